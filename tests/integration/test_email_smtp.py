"""Email through a real SMTP server (aiosmtpd): the worker dispatches the assignment and sends
its email over SMTP; when nothing listens, the delivery stays queued with its error."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from notifications.models import EmailDelivery
from notifications.tasks import send_due_emails
from tests.integration.services import wait_for
from workflows.services.tasks import task_create

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ASSIGNED = "New task assigned to you: %(title)s"


def _assign(world, title: str):
    return task_create(
        actor=world.docs_head,
        body=world.docs,
        title=title,
        assignee=world.docs_member,
        due_at=timezone.now() + timedelta(days=10),
    )


def _delivery_of(task) -> EmailDelivery | None:
    return EmailDelivery.objects.filter(
        notification__event__type="task.created", notification__event__object_id=task.pk
    ).first()


def _vietnamese_catalog() -> Path:
    return Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES" / "django.mo"


def test_the_assignment_email_reaches_the_smtp_server_in_vietnamese(
    world, smtp_server, process_env, worker
):
    title = "Hoàn thiện dự thảo Báo cáo chính trị lần 2"
    world.docs_member.language = "vi"  # the product default (test users read in English)
    world.docs_member.save(update_fields=["language"])

    task = _assign(world, title)

    to = world.docs_member.email
    (message,) = wait_for(
        lambda: smtp_server.messages(to=to, containing=title),
        what="the assignment email at the SMTP server",
    )
    with translation.override("vi"):
        subject = gettext(ASSIGNED) % {"title": title}
    # Python's email package folds a long encoded subject after "Subject:"; readers unfold it.
    assert message["Subject"].strip() == subject
    if _vietnamese_catalog().exists():
        with translation.override("en"):
            assert subject != gettext(ASSIGNED) % {"title": title}, "not translated"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    link = f"{process_env['SITE_URL']}/tasks/{task.pk}/"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert title in text
    assert link in text
    assert f"<strong>{subject}</strong>" in html
    assert f'href="{link}"' in html
    # The worker records the delivery just after the SMTP server has accepted the message.
    delivery = wait_for(
        lambda: EmailDelivery.objects.filter(pk=_delivery_of(task).pk, status="sent").first(),
        what="the delivery to be recorded as sent",
    )
    assert (delivery.attempts, delivery.last_error) == (1, "")


def test_a_failing_smtp_server_leaves_the_email_queued_with_its_error(world, smtp_server, worker):
    title = "Tổng hợp ý kiến góp ý dự thảo Nghị quyết"
    smtp_server.stop()  # nothing listens on its port now
    try:
        task = _assign(world, title)
        delivery = wait_for(
            lambda: (
                EmailDelivery.objects.filter(pk=getattr(_delivery_of(task), "pk", None))
                .exclude(attempts=0)
                .first()
            ),
            what="the worker's first attempt",
        )
    finally:
        smtp_server.start()

    assert delivery.status == EmailDelivery.Status.QUEUED
    assert delivery.attempts == 1
    assert delivery.last_error.startswith("ConnectionRefusedError")
    assert delivery.send_after > timezone.now()  # a later try, not dropped
    assert delivery.sent_at is None

    # When its time comes (moved here to now), the periodic sweep sends it: once.
    EmailDelivery.objects.filter(pk=delivery.pk).update(send_after=timezone.now())
    send_due_emails.delay()
    wait_for(
        lambda: EmailDelivery.objects.filter(pk=delivery.pk, status="sent"),
        what="the retried email to be sent",
    )
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_error) == (2, "")
    assert len(smtp_server.messages(to=world.docs_member.email, containing=title)) == 1
