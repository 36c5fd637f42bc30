"""The daily digest: at the hour a user chose, one email and one inbox notification listing
their tasks due in the next 3 days, their overdue tasks, and the tasks waiting for their
review, only what they may see. Users with nothing to report get nothing.

The job runs every 5 minutes; a user's digest is claimed with a conditional UPDATE of
`last_digest_on` in the transaction that creates it, so it goes out once a day even when two
runners overlap, and a crash before the commit leaves it to the next run.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from congress.models import Congress
from congress.roles import LEADING, roles_of
from notifications.delivery import About, notification_build, notifications_deliver
from notifications.models import Category, Preference
from notifications.reminders import day_format, time_format
from workflows.events import page_link
from workflows.models import Task
from workflows.rules import tasks_reviewed_by
from workflows.schedule import congress_schedule, slack_text
from workflows.selectors.tasks import tasks_visible_to

DUE_SOON = timedelta(days=3)
PLANNED = (Congress.Status.PLANNING, Congress.Status.PREPARING)


@dataclass
class Digest:
    due_soon: list[Task] = field(default_factory=list)
    overdue: list[Task] = field(default_factory=list)
    to_review: list[Task] = field(default_factory=list)
    critical: list = field(default_factory=list)  # (node, body) of the plan's critical path

    def __bool__(self) -> bool:
        return bool(self.due_soon or self.overdue or self.to_review or self.critical)


def critical_this_week(user, now: datetime, schedules: dict) -> list:
    """For the leaders of a congress's bodies: the open tasks on its critical path that start
    or should finish in the coming week (or are already late), as they may see them.
    `schedules` keeps each congress's schedule for the whole run (computed once)."""
    found = []
    roles = roles_of(user)
    week_end = timezone.localtime(now).date() + timedelta(days=7)
    for congress in Congress.objects.filter(pk__in=roles.kind_roles, status__in=PLANNED):
        if not any(held & LEADING for held in roles.kind_roles[congress.pk].values()):
            continue  # the plan's course is the leaders' to watch
        if congress.pk not in schedules:
            schedules[congress.pk] = (
                congress_schedule(None, congress, today=timezone.localtime(now).date()),
                {b.pk: b for b in congress.bodies.all()},
            )
        schedule, bodies = schedules[congress.pk]
        for task_id in schedule.critical_path:
            node, body = schedule.nodes[task_id], bodies[schedule.nodes[task_id].body_id]
            soon = schedule.date(node.es) <= week_end or (node.slack or 0) < 0
            if soon and roles.sees_work(congress.pk, body.pk, body.confidential):
                found.append((node, body))
    return found


def tasks_to_review(user, *, due_within: tuple[datetime, datetime] | None = None) -> list[Task]:
    """Tasks in review that the user may approve or return (never their own), of bodies they
    may see; only those due within `due_within` (both ends included) if given. Staff are not
    sent every review of the system: only those of bodies they lead."""
    to_review = tasks_to_review_query(user, due_within=due_within)
    return list(to_review.select_related("body").order_by("due_at", "id"))


def tasks_to_review_query(
    user, *, due_within: tuple[datetime, datetime] | None = None
) -> QuerySet[Task]:
    """`tasks_to_review` as a query, for counting or grouping them in the database."""
    in_review = tasks_visible_to(user).filter(status=Task.Status.IN_REVIEW)
    if due_within is not None:
        in_review = in_review.filter(due_at__range=due_within)
    return tasks_reviewed_by(user, in_review)


def digest_for(user, now: datetime, schedules: dict | None = None) -> Digest:
    mine = (
        tasks_visible_to(user)
        .filter(assignee=user, status__in=Task.OPEN_STATES, due_at__lt=now + DUE_SOON)
        .select_related("body")
        .order_by("due_at", "id")
    )
    digest = Digest(
        to_review=tasks_to_review(user),
        critical=critical_this_week(user, now, {} if schedules is None else schedules),
    )
    for task in mine:
        (digest.overdue if task.due_at < now else digest.due_soon).append(task)
    return digest


def digests_send(now: datetime | None = None) -> dict[str, int]:
    """Send the digests of the users whose digest hour is the current local hour."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    not_today = Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=local.date())
    waiting = Preference.objects.filter(not_today, digest_hour=local.hour, user__is_active=True)
    counts = {"sent": 0, "empty": 0}
    schedules: dict = {}
    for preference in waiting.select_related("user").order_by("id"):
        with transaction.atomic():
            claimed = Preference.objects.filter(
                not_today, pk=preference.pk, digest_hour=local.hour
            ).update(last_digest_on=local.date())
            if not claimed:  # another runner has it
                continue
            digest = digest_for(preference.user, now, schedules)
            if not digest:
                counts["empty"] += 1
                continue
            _deliver(preference.user, digest, now)
            counts["sent"] += 1
    return counts


def _deliver(user, digest: Digest, now: datetime) -> None:
    with translation.override(user.language or settings.LANGUAGE_CODE):
        title = _(
            "Daily digest %(date)s: %(due)s due soon, %(overdue)s overdue, %(review)s to review"
        ) % {
            "date": day_format(now),
            "due": len(digest.due_soon),
            "overdue": len(digest.overdue),
            "review": len(digest.to_review),
        }
        text = digest_text(digest)
    notifications_deliver(
        [
            notification_build(
                recipient=user,
                category=Category.DIGEST,
                title=title,
                text=text,
                about=About(link="/"),
            )
        ]
    )


def digest_text(digest: Digest) -> str:
    sections = (
        (_("Due in the next 3 days:"), digest.due_soon),
        (_("Overdue:"), digest.overdue),
        (_("Waiting for your review:"), digest.to_review),
    )
    lines = []
    for heading, tasks in sections:
        if tasks:
            lines += ["", heading] if lines else [heading]
            lines += [_line(task) for task in tasks]
    if digest.critical:
        lines += (
            ["", _("On the plan's critical path this week:")]
            if lines
            else [_("On the plan's critical path this week:")]
        )
        lines += [_critical_line(node, body) for node, body in digest.critical]
    return "\n".join(lines)


def _critical_line(node, body) -> str:
    what = (
        _("A confidential task of %(body)s") % {"body": body.name}
        if body.confidential
        else f"{node.title} ({body.name})"
    )
    return f"- {what}, {slack_text(node.slack)}: {settings.SITE_URL}{page_link('task', node.id)}"


def _line(task: Task) -> str:
    """One task; a confidential body's task is not described (the digest is also an email)."""
    if task.body.confidential:
        what = _("A confidential task of %(body)s") % {"body": task.body.name}
    else:
        what = f"{task.title} ({task.body.name})"
    due = (
        _("due %(when)s") % {"when": time_format(task.due_at)} if task.due_at else _("no deadline")
    )
    return f"- {what}, {due}: {settings.SITE_URL}{page_link('task', task.pk)}"
