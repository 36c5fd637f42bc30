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
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from congress.models import Congress
from congress.roles import LEADING, roles_of
from notifications.delivery import About, notification_build, notifications_deliver
from notifications.models import Category, Preference
from notifications.reminders import day_format, time_format
from workflows.events import page_link
from workflows.models import Task, is_overdue
from workflows.schedule import congress_schedule, slack_text
from workflows.selectors.superior import superior_reviews
from workflows.selectors.tasks import tasks_to_review_query, tasks_visible_to

DUE_SOON = timedelta(days=3)
PLANNED = (Congress.Status.PLANNING, Congress.Status.PREPARING)


@dataclass
class Digest:
    due_soon: list[Task] = field(default_factory=list)
    overdue: list[Task] = field(default_factory=list)
    to_review: list[Task] = field(default_factory=list)
    critical: list = field(default_factory=list)  # (node, body) of the plan's critical path
    # For the superior's standing committee and reviewers: documents of the congresses under
    # them waiting for the superior level's review.
    from_below: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(
            self.due_soon or self.overdue or self.to_review or self.critical or self.from_below
        )


def critical_this_week(user, now: datetime, schedules: dict) -> list:
    """For the leaders of a congress's bodies: the open tasks on its critical path that start
    or should finish in the coming week (or are already late), on the schedule of the tasks
    they may see (as their schedule page shows it: a hidden task neither appears nor drives).
    `schedules` keeps, for the whole run, one schedule per congress and set of bodies seen."""
    found = []
    roles = roles_of(user)
    today = timezone.localtime(now).date()
    week_end = today + timedelta(days=7)
    for congress in Congress.objects.filter(pk__in=roles.kind_roles, status__in=PLANNED):
        if not any(held & LEADING for held in roles.kind_roles[congress.pk].values()):
            continue  # the plan's course is the leaders' to watch
        if congress.pk not in schedules:
            schedules[congress.pk] = {b.pk: b for b in congress.bodies.all()}
        bodies = schedules[congress.pk]
        seen = frozenset(
            pk
            for pk, b in bodies.items()
            if user.is_staff or roles.sees_work(congress.pk, pk, b.confidential)
        )
        key = (congress.pk, seen)
        if key not in schedules:  # the same bodies seen: the same tasks, the same schedule
            schedules[key] = congress_schedule(user, congress, today=today)
        schedule = schedules[key]
        for task_id in schedule.critical_path:
            node = schedule.nodes[task_id]
            if schedule.date(node.es) <= week_end or (node.slack or 0) < 0:
                found.append((node, bodies[node.body_id]))
    return found


def tasks_to_review(user, *, due_within: tuple[datetime, datetime] | None = None) -> list[Task]:
    """Tasks in review that the user may approve or return (never their own), of bodies they
    may see; only those due within `due_within` (both ends included) if given. Staff are not
    sent every review of the system: only those of bodies they lead."""
    to_review = tasks_to_review_query(user, due_within=due_within)
    return list(to_review.select_related("body").order_by("due_at", "id"))


def digest_for(user, now: datetime, schedules: dict | None = None) -> Digest:
    mine = (
        tasks_visible_to(user)
        .filter(assignee=user, status__in=Task.OPEN_STATES, due_at__lt=now + DUE_SOON)
        .select_related("body")
        .order_by("due_at", "id")
    )
    roles = roles_of(user)
    digest = Digest(
        to_review=tasks_to_review(user),
        critical=critical_this_week(user, now, {} if schedules is None else schedules),
        # No query for anyone who is no superior's member or reviewer.
        from_below=list(superior_reviews(user)[:20]) if roles.superior or roles.reviews else [],
    )
    for task in mine:
        late = is_overdue(task.status, task.due_at, now)
        (digest.overdue if late else digest.due_soon).append(task)
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
    if digest.from_below:
        heading = _("Waiting for the superior level's review:")
        lines += ["", heading] if lines else [heading]
        lines += [_from_below_line(document) for document in digest.from_below]
    return "\n".join(lines)


def _from_below_line(document) -> str:
    since = getattr(document, "waiting_since", None)
    when = _(" since %(date)s") % {"date": day_format(since)} if since else ""
    return (
        f"- {document.title} ({document.congress.organization.name}){when}: "
        f"{settings.SITE_URL}{reverse('web-superior-review', args=[document.pk])}"
    )


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
