"""Fixtures for reminders, digests and the calendar feed: moments in Hà Nội time, a sweep that
runs the after-commit work as production does, and the batched emails sent when due."""

from datetime import datetime, timedelta

import pytest
from django.core import mail

from notifications import tasks as notification_tasks
from notifications.models import Notification, Reminder
from tests.factories import HANOI
from workflows.models import Document
from workflows.reminders import reminders_sweep


def hanoi(*args) -> datetime:
    return datetime(*args, tzinfo=HANOI)


@pytest.fixture
def clock(time_machine):
    """`clock(2025, 8, 13, 17, 1)` stops time at that Hà Nội moment."""

    def move(*args) -> datetime:
        moment = hanoi(*args)
        time_machine.move_to(moment, tick=False)
        return moment

    return move


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """One reminder sweep, with its after-commit work (live pushes) run."""

    def run(**kwargs) -> dict:
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_sweep(**kwargs)

    return run


@pytest.fixture
def send_due_emails(time_machine, django_capture_on_commit_callbacks):
    """Let the batching window pass and send what is due; returns the outbox."""

    def run(after=timedelta(minutes=6)):
        time_machine.shift(after)
        with django_capture_on_commit_callbacks(execute=True):
            notification_tasks.send_due_emails.delay()
        return mail.outbox

    return run


@pytest.fixture
def english(world):
    """Make users read English, so that texts can be asserted exactly."""

    def make(*users):
        for user in users:
            user.language = "en"
            user.save(update_fields=["language"])

    make(*(getattr(world, name) for name in ("docs_member", "docs_head", "personnel_member")))
    return make


@pytest.fixture
def make_document(world):
    def make(status=None, **kwargs):
        kwargs.setdefault("congress", world.congress)
        kwargs.setdefault("body", world.docs)
        kwargs.setdefault("kind", Document.Kind.POLITICAL_REPORT)
        kwargs.setdefault("title", "Báo cáo chính trị")
        kwargs.setdefault("rapporteur", world.docs_member)
        document = Document.objects.create(**kwargs)
        if status:
            Document.objects.filter(pk=document.pk).update(status=status)
            document.refresh_from_db()
        return document

    return make


def reminder_kinds(object_kind="task", object_id=None) -> list[str]:
    reminders = Reminder.objects.filter(object_kind=object_kind)
    if object_id is not None:
        reminders = reminders.filter(object_id=object_id)
    return list(reminders.order_by("id").values_list("kind", flat=True))


def inbox(user) -> list[tuple[str, str]]:
    """(category, title) of the user's notifications, oldest first."""
    rows = Notification.objects.filter(recipient=user).order_by("id")
    return list(rows.values_list("category", "title"))
