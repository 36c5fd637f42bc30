"""The reminder sweep (every 5 minutes, celery beat; `manage.py send_reminders` runs one):
find the task, document and congress deadlines that are due a reminder and hand them to
notifications.reminders, which records each reminder once and delivers it.

- Before a deadline: the reminder of the tightest of the congress's `reminder_days` windows
  the deadline is in (7, 3, 1 days by default). A deadline first seen 2 days ahead gets the
  3-day reminder, then the 1-day one, never a stale 7-day one.
- After it: `overdue` once; an open task overdue for 2 working days (weekends and holidays do
  not count) escalates to its body's head(s).
- The superior-review deadline of a congress in planning or preparation (45 working days before
  the opening by default) is reminded at the same thresholds to every member of its standing
  committee and steering board.

The unique key of a reminder includes the deadline, so a re-dated task is reminded afresh.
The sweep reads in a constant number of queries whatever the number of tasks: the windows are
computed in memory and the reminders already recorded are left out by the database.

One sweep sends at most REMINDERS_PER_SWEEP reminders, the most urgent first (escalations,
then the passed deadlines, then the nearest ones), and starts no new chunk of them after
REMINDERS_SWEEP_SECONDS (a loaded machine), so that a backlog (a first deployment, a long
outage) is spread over the next sweeps instead of making one sweep run for minutes. What
is left is not recorded, so the next sweep finds it again; the unique key still sends each
reminder once.
"""

import math
from collections import Counter
from datetime import date, datetime, time, timedelta
from time import monotonic
from typing import NamedTuple

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from congress.models import Body, Congress, Membership, default_reminder_days
from congress.selectors import heads_of_bodies
from congress.workdays import WorkingCalendar, superior_review_due
from notifications.models import Category, Reminder
from notifications.reminders import ReminderSpec, reminders_send
from workflows.events import page_link
from workflows.models import Document, Task
from workflows.services.consultation_reminders import consultation_sweep

ESCALATE_AFTER_WORKING_DAYS = 2
# A bound on the passed deadlines one sweep takes (a backlog after an outage or an import):
# those not reminded yet come oldest first, and the next sweep takes the rest. Upcoming
# deadlines are bounded by the longest window instead: they include the reminded ones.
MAX_PASSED = 20_000
ACTIVE_CONGRESS = (
    Congress.Status.PLANNING,
    Congress.Status.PREPARING,
    Congress.Status.IN_SESSION,
)
SUPERIOR_REVIEW_REMINDED = (Congress.Status.PLANNING, Congress.Status.PREPARING)


class Work(NamedTuple):
    """A task or document row as the sweep reads it."""

    kind: str
    pk: int
    congress_id: int
    body_id: int
    confidential: bool
    owner_id: int | None  # the assignee or the rapporteur
    title: str
    deadline: datetime
    owner_name: str = ""


def reminders_sweep(now: datetime | None = None) -> dict[str, int]:
    """The one reminder sweep, every kind: the deadline reminders, escalations and the
    superior-review reminders that are due and not sent yet, the most urgent first, at most
    REMINDERS_PER_SWEEP of them and no new chunk of them once REMINDERS_SWEEP_SECONDS have
    passed (the rest go in the next sweeps); and the consultation's invitations and reminders
    to outside organizations. Each is recorded once in notifications.Reminder (so are the
    forecast warnings, swept beside it by workflows.jobs.send_reminders). Returns counts by
    kind."""
    started = monotonic()
    now = now or timezone.now()
    congresses = {
        c.pk: c
        for c in Congress.objects.filter(status__in=ACTIVE_CONGRESS).select_related("organization")
    }
    thresholds = {pk: thresholds_of(c) for pk, c in congresses.items()}
    calendar = WorkingCalendar()
    specs = [
        *_work_specs(now, thresholds, calendar),
        *_superior_review_specs(now, congresses, thresholds, calendar),
    ]
    specs.sort(key=urgency)
    budget = settings.REMINDERS_SWEEP_SECONDS
    sent = reminders_send(
        specs,
        limit=settings.REMINDERS_PER_SWEEP or None,
        until=started + budget if budget else None,
    )
    counts = Counter(_count_key(r) for r in sent.reminders)
    keys = ("due", "overdue", "escalation", "document", "superior_review")
    consultations = consultation_sweep(now)  # outside organizations: emails of their own
    return {
        **{key: counts[key] for key in keys},
        "notifications": len(sent.notifications),
        **consultations,
    }


def urgency(spec: ReminderSpec) -> tuple:
    """The order a sweep sends in, so that a capped sweep sends the most urgent first:
    escalations, then by deadline (the passed ones oldest first, then the nearest ones)."""
    return (spec.kind != "escalation", spec.deadline, spec.key)


def thresholds_of(congress: Congress) -> tuple[int, ...]:
    """The congress's reminder days, ascending; an empty list means no advance reminders."""
    days = congress.reminder_days
    if days is None:
        days = default_reminder_days()
    valid = {d for d in days if isinstance(d, int) and not isinstance(d, bool) and d > 0}
    return tuple(sorted(valid))


def window(deadline: datetime, now: datetime, thresholds) -> int | None:
    """The tightest threshold (in days) whose window before the deadline `now` is in."""
    remaining = deadline - now
    if remaining <= timedelta(0):
        return None
    for days in thresholds:
        if remaining <= timedelta(days=days):
            return days
    return None


def days_left(deadline: datetime, now: datetime) -> int:
    return max(1, math.ceil((deadline - now) / timedelta(days=1)))


def _count_key(reminder: Reminder) -> str:
    if reminder.object_kind == "document":
        return "document"
    if reminder.object_kind == "congress":
        return "superior_review"
    return "due" if reminder.kind.startswith("due_") else reminder.kind


def _recorded(object_kind: str, kind: str, deadline_field: str):
    return Exists(
        Reminder.objects.filter(
            object_kind=object_kind,
            object_id=OuterRef("pk"),
            kind=kind,
            deadline=OuterRef(deadline_field),
        )
    )


# --- tasks and documents ------------------------------------------------------------------


def _open_tasks(congress_ids):
    return Task.objects.filter(
        status__in=Task.OPEN_STATES,
        assignee__isnull=False,
        due_at__isnull=False,
        congress_id__in=congress_ids,
    ).order_by("due_at", "id")


def _open_documents(congress_ids):
    return Document.objects.exclude(status__in=Document.FINAL_STATES).filter(
        congress_id__in=congress_ids
    )


def _rows(
    kind: str, queryset, deadline_field: str, owner: str, with_name=False, limit=None
) -> list[Work]:
    fields = ["pk", "congress_id", "body_id", "body__confidential", f"{owner}_id", "title"]
    fields.append(deadline_field)
    if with_name:
        fields += [f"{owner}__first_name", f"{owner}__last_name", f"{owner}__username"]
    rows = []
    for values in queryset.values_list(*fields)[:limit]:
        work = Work(kind, *values[:7])
        if with_name:
            first, last, username = values[7:]
            work = work._replace(owner_name=f"{first} {last}".strip() or username)
        rows.append(work)
    return rows


def _deadlines(thresholds):
    """(object kind, open rows, deadline field, owner, reminder prefix, kind once passed)."""
    ids = list(thresholds)
    documents = _open_documents(ids)
    return (
        ("task", _open_tasks(ids), "due_at", "assignee", "due", "overdue"),
        ("document", documents, "due_at", "rapporteur", "due", "overdue"),
        (
            "document",
            documents.filter(status=Document.Status.CONSULTATION),
            "consultation_closes_at",
            "rapporteur",
            "consultation",
            "consultation_closed",
        ),
    )


def _work_specs(now, thresholds, calendar) -> list[ReminderSpec]:
    """Reminders of task and document deadlines: before them, once passed, and the
    escalations; then the body heads they go to, in one query."""
    longest = max((max(t, default=0) for t in thresholds.values()), default=0)
    horizon = now + timedelta(days=longest)
    due: list[tuple[Work, str, int | None]] = []
    for kind, queryset, field, owner, prefix, past in _deadlines(thresholds):
        upcoming = queryset.filter(**{f"{field}__gt": now, f"{field}__lte": horizon})
        for work in _rows(kind, upcoming, field, owner):
            days = window(work.deadline, now, thresholds[work.congress_id])
            if days:
                due.append((work, f"{prefix}_{days}d", days_left(work.deadline, now)))
        passed = queryset.filter(**{f"{field}__lt": now}).exclude(_recorded(kind, past, field))
        passed = passed.order_by(field, "id")
        due += [(work, past, None) for work in _rows(kind, passed, field, owner, limit=MAX_PASSED)]
    escalations = _escalations(now, _open_tasks(list(thresholds)), calendar)
    heads = heads_of_bodies(
        {w.body_id for w, _k, _d in due if w.kind == "document"}
        | {w.body_id for w, _k, _d in escalations}
    )
    specs = [_spec(w, k, d, _recipients(w, heads)) for w, k, d in due]
    specs += [
        _spec(w, "escalation", d, dict.fromkeys(heads.get(w.body_id, ()), Category.ESCALATION))
        for w, _k, d in escalations
    ]
    return specs


def _recipients(work: Work, heads: dict[int, set[int]]) -> dict[int, str]:
    """A task's reminder goes to its assignee; a document's to its rapporteur and the heads
    of its owning body."""
    recipients = {}
    if work.kind == "document":
        recipients = dict.fromkeys(heads.get(work.body_id, ()), Category.REMINDER)
    if work.owner_id:
        recipients[work.owner_id] = Category.REMINDER
    return recipients


def _escalations(now, tasks, calendar) -> list[tuple[Work, str, int]]:
    """Overdue tasks not escalated yet whose deadline is 2 working days past."""
    # 2 working days are at least 2 calendar days: the database narrows, the calendar decides.
    late = tasks.filter(due_at__lt=now - timedelta(days=ESCALATE_AFTER_WORKING_DAYS)).exclude(
        _recorded("task", "escalation", "due_at")
    )
    today = timezone.localdate(now)
    escalate_on: dict[date, date] = {}
    overdue_days: dict[date, int] = {}
    found = []
    for work in _rows("task", late, "due_at", "assignee", with_name=True, limit=MAX_PASSED):
        local = timezone.localtime(work.deadline)
        day = local.date()
        if day not in escalate_on:
            escalate_on[day] = calendar.shift(day, ESCALATE_AFTER_WORKING_DAYS)
            overdue_days[day] = calendar.count_between(
                day + timedelta(days=1), today + timedelta(days=1)
            )
        if now >= datetime.combine(escalate_on[day], local.timetz()):
            found.append((work, "escalation", overdue_days[day]))
    return found


def _spec(work: Work, kind: str, days: int | None, recipients: dict) -> ReminderSpec:
    return ReminderSpec(
        congress_id=work.congress_id,
        object_kind=work.kind,
        object_id=work.pk,
        kind=kind,
        deadline=work.deadline,
        recipients=recipients,
        subject=work.title,
        days=days,
        body_id=work.body_id,
        confidential=work.confidential,
        link=page_link(work.kind, work.pk),
        facts={"person": work.owner_name} if kind == "escalation" else {},
    )


# --- the superior-review deadline ---------------------------------------------------------


def superior_review_deadline(congress: Congress, calendar: WorkingCalendar) -> datetime:
    """The start (local midnight) of the day the superior level must have reviewed by."""
    day = superior_review_due(congress, calendar)
    return timezone.make_aware(datetime.combine(day, time.min))


def _superior_review_specs(now, congresses, thresholds, calendar) -> list[ReminderSpec]:
    due = []
    for congress in congresses.values():
        if congress.status not in SUPERIOR_REVIEW_REMINDED:
            continue
        deadline = superior_review_deadline(congress, calendar)
        days = window(deadline, now, thresholds[congress.pk])
        if days:
            due.append((congress, deadline, days))
    if not due:
        return []
    members: dict[int, set[int]] = {}
    rows = Membership.objects.filter(
        body__congress_id__in=[c.pk for c, _d, _n in due],
        body__kind__in=(Body.Kind.STANDING_COMMITTEE, Body.Kind.STEERING_BOARD),
    ).values_list("body__congress_id", "user_id")
    for congress_id, user_id in rows:
        members.setdefault(congress_id, set()).add(user_id)
    return [
        ReminderSpec(
            congress_id=congress.pk,
            object_kind="congress",
            object_id=congress.pk,
            kind=f"superior_review_{days}d",
            deadline=deadline,
            recipients=dict.fromkeys(members.get(congress.pk, ()), Category.REMINDER),
            subject=congress.title,
            days=days_left(deadline, now),
            link=page_link("congress", congress.pk),
            facts={
                "opens_on": congress.opens_on,
                "working_days": congress.superior_review_working_days,
            },
        )
        for congress, deadline, days in due
    ]
