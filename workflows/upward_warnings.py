"""Warnings upward (issue 22, flow 4): what the superior level must hear of the congresses
under it, once each, through the reminder machinery (notifications.reminders: one row per
object, kind and deadline, so a warning is sent exactly once whatever the sweeps):

- `superior_late`: a congress whose forecast (the schedule of what the superior's office may
  see, against the superior-review milestone) says it will miss the superior-review deadline;
- `superior_waiting`: a document waiting for the superior's decision more than
  SUPERIOR_WAITING_WORKING_DAYS working days;
- `plan_not_applied`: a plan the superior pushed that the congress has not applied by its date.

They go to the superior's office and its standing committee's members, each judged by the
visibility rule when sent (a document of a confidential body reaches nobody there but whom the
rule lets see it). Swept with the reminders (workflows.jobs.send_reminders).
"""

from datetime import datetime, time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from congress.models import Congress, Membership, PlanDirective
from congress.offices import office_user_ids_for
from congress.roles import STANDING_COMMITTEE
from congress.workdays import WorkingCalendar, superior_review_due
from notifications.models import Category
from notifications.reminders import ReminderSpec, reminders_send
from workflows import rules
from workflows.events import page_link
from workflows.models import AuditEntry, Document
from workflows.schedule import SUPERIOR_REVIEW, congress_schedule

WATCHED = (Congress.Status.PLANNING, Congress.Status.PREPARING)


def upward_warnings_sweep(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    calendar = WorkingCalendar()
    congresses = [
        c
        for c in Congress.objects.filter(
            status__in=WATCHED, organization__parent__isnull=False
        ).select_related("organization__parent")
        if rules.superior_uses_product(c)
    ]
    if not congresses:
        return {"superior_late": 0, "superior_waiting": 0, "plan_not_applied": 0}
    # The same superior's people for every congress under it: read once per superior.
    by_superior: dict[int, tuple[list[int], set[int]]] = {}
    for congress in congresses:
        parent_id = congress.organization.parent_id
        if parent_id not in by_superior:
            by_superior[parent_id] = _superior_people(congress)
    above = {c.pk: by_superior[c.organization.parent_id] for c in congresses}
    specs = [
        *_late_specs(congresses, above, now, calendar),
        *_waiting_specs(congresses, above, now, calendar),
        *_plan_specs(congresses, above, now),
    ]
    sent = reminders_send(specs)
    counts = {"superior_late": 0, "superior_waiting": 0, "plan_not_applied": 0}
    for reminder in sent.reminders:
        counts[reminder.kind] += 1
    return counts


def _superior_people(congress: Congress) -> tuple[list[int], set[int]]:
    """(the superior's office users, office first; everyone to tell)."""
    office = sorted(office_user_ids_for(congress.organization.parent))
    members = set(
        Membership.objects.filter(
            body__kind=STANDING_COMMITTEE,
            body__congress__organization_id=congress.organization.parent_id,
        ).values_list("user_id", flat=True)
    )
    return office, set(office) | members


def _midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _late_specs(congresses, above, now, calendar) -> list[ReminderSpec]:
    users = get_user_model().objects.in_bulk({a[0][0] for a in above.values() if a[0]})
    specs = []
    today = timezone.localtime(now).date()
    for congress in congresses:
        office, told = above[congress.pk]
        viewer = users.get(office[0]) if office else None
        if viewer is None or not told:
            continue  # the forecast is the office's view: no office, no such warning
        schedule = congress_schedule(viewer, congress, today=today, calendar=calendar)
        milestone = next((m for m in schedule.milestones if m.key == SUPERIOR_REVIEW), None)
        if milestone is None or milestone.slack is None or milestone.slack >= 0:
            continue
        due = superior_review_due(congress, calendar)
        specs.append(
            ReminderSpec(
                congress_id=congress.pk,
                object_kind="congress",
                object_id=congress.pk,
                kind="superior_late",
                deadline=_midnight(due),
                recipients=dict.fromkeys(told, Category.REMINDER),
                subject=congress.title,
                days=-milestone.slack,
                link=reverse("web-oversight"),
            )
        )
    return specs


def _waiting_specs(congresses, above, now, calendar) -> list[ReminderSpec]:
    limit = getattr(settings, "SUPERIOR_WAITING_WORKING_DAYS", 10)
    entered = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Document),
        object_id=OuterRef("pk"),
        to_state=SUPERIOR_REVIEW,
    ).order_by("-at", "-id")
    documents = (
        Document.objects.filter(congress__in=congresses, status=Document.Status.SUPERIOR_REVIEW)
        .select_related("body")
        .annotate(since=Subquery(entered.values("at")[:1]))
    )
    today = timezone.localtime(now).date()
    specs = []
    for document in documents:
        if document.since is None:
            continue
        waited = calendar.count_between(timezone.localtime(document.since).date(), today)
        if waited <= limit:
            continue
        specs.append(
            ReminderSpec(
                congress_id=document.congress_id,
                object_kind="document",
                object_id=document.pk,
                kind="superior_waiting",
                deadline=document.since,
                recipients=dict.fromkeys(above[document.congress_id][1], Category.REMINDER),
                subject=document.title,
                days=waited,
                body_id=document.body_id,
                confidential=document.body.confidential,
                link=reverse("web-superior-review", args=[document.pk]),
            )
        )
    return specs


def _plan_specs(congresses, above, now) -> list[ReminderSpec]:
    today = timezone.localtime(now).date()
    late = PlanDirective.objects.filter(
        congress__in=congresses, applied_at=None, deadline__lt=today
    ).select_related("template", "congress")
    return [
        ReminderSpec(
            congress_id=directive.congress_id,
            object_kind="congress",
            object_id=directive.congress_id,
            kind="plan_not_applied",
            deadline=_midnight(directive.deadline),
            recipients=dict.fromkeys(above[directive.congress_id][1], Category.REMINDER),
            subject=f"{directive.congress.title}: {directive.template.name}",
            days=(today - directive.deadline).days,
            link=page_link("congress", directive.congress_id),
        )
        for directive in late
    ]
