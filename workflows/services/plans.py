"""A plan template applied to a congress, and the plan re-dated when the opening moves.

Both are decisions of the congress's leaders (congress.roles.leads_congress). Applying creates
every task through `task_create`, so each gets its audit entry and its event; the events are
marked as told by a summary, and each assignee gets one notification listing their new tasks.
Re-dating moves every open task that came from the plan by the working days the opening
moves, keeping its offset; finished tasks stay. The preview and the re-date compute the moves
with the same function (`redate_moves`) over the same tasks.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from congress.errors import Conflict, Forbidden, Invalid, NotFound
from congress.models import Body, Congress, Membership, PlanDirective, PlanTemplate, User
from congress.plans import (
    ScheduledItem,
    moved_day,
    plan_placement,
    plan_schedule,
    working_day_offset,
)
from congress.roles import leads_congress, may_lead_congress
from congress.selectors import congresses_visible_to
from congress.services import congress_update
from congress.workdays import WorkingCalendar, superior_review_due
from notifications.models import Category
from notifications.recipients import SUMMARIZED
from notifications.services import event_record
from notifications.summaries import (
    PLAN_APPLIED,
    PLAN_REDATED,
    Summary,
    SummaryLine,
    events_summarize,
    summaries_send,
)
from workflows import events, rules
from workflows.jobs import forecast_warnings_soon
from workflows.models import Task
from workflows.selectors.tasks import tasks_visible_to
from workflows.services.tasks import task_create
from workflows.services.transitions import audit_record

DUE_HOUR = time(17, 0)


# Shared checks -----------------------------------------------------------------------------


def congress_for_leader(actor, congress_id: int, *, lock: bool = False) -> Congress:
    """The congress, if the actor may see it (404 otherwise) and leads it (403 otherwise)."""
    congresses = congresses_visible_to(actor)
    if lock:
        congresses = congresses.select_for_update(of=("self",))
    congress = congresses.filter(pk=congress_id).first()
    if congress is None:
        raise NotFound(_("Not found."))
    if not leads_congress(actor, congress.pk):
        raise Forbidden(may_lead_congress.description, code="plan_forbidden")
    return congress


def require_open(congress: Congress) -> None:
    if congress.status not in Congress.OPEN_STATES:
        raise Conflict(
            _("This congress is “%(status)s”: its plan no longer changes.")
            % {"status": congress.get_status_display()},
            code="congress_not_open",
            status=congress.status,
        )


def heads_by_body(bodies) -> dict[int, User]:
    """The head of each body (the first appointed), one query."""
    heads: dict[int, User] = {}
    memberships = Membership.objects.filter(body__in=list(bodies), role=Membership.Role.HEAD)
    for membership in memberships.select_related("user").order_by("id"):
        heads.setdefault(membership.body_id, membership.user)
    return heads


def summary_line(task: Task, **extra) -> SummaryLine:
    return SummaryLine(
        title=task.title,
        congress_id=task.congress_id,
        body_id=task.body_id,
        body_name=task.body.name,
        confidential=task.body.confidential,
        due_at=task.due_at,
        **extra,
    )


def _due_at(day: date) -> datetime:
    return datetime.combine(day, DUE_HOUR, tzinfo=timezone.get_current_timezone())


# Apply -------------------------------------------------------------------------------------


@dataclass
class Applied:
    congress: Congress
    template: PlanTemplate
    tasks: list[Task]
    fallbacks: dict[str, Body] = field(default_factory=dict)  # kind -> body used instead
    notified: list[int] = field(default_factory=list)


def _check_may_plan(actor, bodies) -> None:
    """The task rules (ARCHITECTURE §4) hold for a plan too: a leader of the standing
    committee who is not on the steering board does not plan a subcommittee's tasks."""
    refused = sorted({b.name for b in bodies if not rules.may_create_task_in(b, actor)})
    if refused:
        raise Forbidden(
            _(
                "You may not plan the tasks of: %(bodies)s. The steering board's head or a "
                "deputy applies the plan."
            )
            % {"bodies": ", ".join(refused)},
            code="plan_forbidden",
        )


@dataclass(frozen=True)
class Proposed:
    """One task the template would create: what the preview shows and the apply writes."""

    scheduled: ScheduledItem
    body: Body
    assignee: object  # the body's head, or None
    due_at: datetime
    working_days_before_opening: int

    @property
    def item(self):
        return self.scheduled.item


@dataclass
class Proposal:
    congress: Congress
    template: PlanTemplate
    tasks: list[Proposed]
    fallbacks: dict[str, Body]  # kind -> body used instead


def _proposal(actor, congress: Congress, template_id) -> Proposal:
    """The tasks the template gives this congress, each with its body, assignee and dates;
    checks everything `plan_apply` checks and writes nothing."""
    require_open(congress)
    template = PlanTemplate.objects.filter(pk=template_id).first()
    if template is None:
        raise Invalid({"template": [_("There is no such plan template.")]})
    if congress.tasks.filter(plan_item__template=template).exists():
        raise Conflict(
            _("This plan has already been applied to this congress."),
            code="plan_already_applied",
        )
    calendar = WorkingCalendar()
    review_due = superior_review_due(congress, calendar)
    assert review_due is not None  # a saved congress has its opening date
    schedule = plan_schedule(
        template, opens_on=congress.opens_on, superior_review_due=review_due, calendar=calendar
    )
    if not schedule:
        raise Invalid({"template": [_("This plan template has no items.")]})
    bodies = list(congress.bodies.all())
    placement = plan_placement(bodies, {s.item.body_kind for s in schedule})
    _check_may_plan(actor, {body for body, _fallback in placement.values()})
    heads = heads_by_body(bodies)
    tasks = []
    for scheduled in schedule:
        body = placement[scheduled.item.body_kind][0]
        offset = working_day_offset(scheduled.due_on, congress.opens_on, calendar)
        tasks.append(
            Proposed(scheduled, body, heads.get(body.pk), _due_at(scheduled.due_on), offset)
        )
    return Proposal(
        congress=congress,
        template=template,
        tasks=tasks,
        fallbacks={kind: body for kind, (body, fallback) in placement.items() if fallback},
    )


def plan_apply_preview(*, actor, congress_id: int, template_id: int) -> Proposal:
    """What `plan_apply` would create with this template, changing nothing."""
    congress = congress_for_leader(actor, congress_id)
    return _proposal(actor, congress, template_id)


@transaction.atomic
def plan_apply(*, actor, congress_id: int, template_id: int) -> Applied:
    """Create the template's tasks for the congress: deadlines in working days from its
    opening, dependencies linked, each in the body of the item's kind (or the steering board
    when the congress has none), assigned to that body's head; one summary per assignee."""
    congress = congress_for_leader(actor, congress_id, lock=True)
    proposal = _proposal(actor, congress, template_id)
    template = proposal.template
    created = _create_tasks(actor, proposal.tasks)
    congress.plan_opens_on = congress.opens_on
    congress.save(update_fields=["plan_opens_on"])
    PlanDirective.objects.filter(congress=congress, template=template, applied_at=None).update(
        applied_at=timezone.now()
    )
    audit_record(
        congress,
        transition="plan_apply",
        actor=actor,
        note=_("%(template)s: %(count)s tasks")
        % {"template": template.name, "count": len(created)},
    )
    _record_congress(
        congress, events.CONGRESS_PLAN_APPLIED, actor, template=template.pk, tasks=len(created)
    )
    notified = _notify_assignees(actor, congress, template, created)
    return Applied(
        congress=congress,
        template=template,
        tasks=created,
        fallbacks=proposal.fallbacks,
        notified=[n.recipient_id for n in notified],
    )


def _create_tasks(actor, proposed: list[Proposed]) -> list[Task]:
    """One task per item through `task_create` (audit entry, event), dependencies first; the
    events are told by the summary instead of one assignment notice per task."""
    tasks: dict[int, Task] = {}
    for row in proposed:
        item = row.item
        task = task_create(
            actor=actor,
            body=row.body,
            title=item.title,
            description=item.description,
            assignee=row.assignee,
            priority=item.priority,
            starts_on=row.scheduled.starts_on,
            due_at=row.due_at,
            duration_days=item.duration_days,
            requires_review=item.requires_review,
            depends_on=[tasks[d] for d in row.scheduled.depends_on if d in tasks],
        )
        task.plan_item = item
        tasks[item.pk] = task
    created = list(tasks.values())
    Task.objects.bulk_update(created, ["plan_item"])
    events_summarize(
        object_kind="task", object_ids=[t.pk for t in created], type=events.TASK_CREATED
    )
    return created


def _notify_assignees(actor, congress, template, tasks: list[Task]):
    lines = defaultdict(list)
    for task in tasks:
        if task.assignee_id:
            lines[task.assignee_id].append(summary_line(task))
    summary = Summary(
        kind=PLAN_APPLIED,
        congress=congress,
        category=Category.ASSIGNMENT,
        facts={"template": template.name},
    )
    return summaries_send(summary=summary, lines_by_user=lines, actor=actor)


def _record_congress(congress: Congress, type_: str, actor, **data) -> None:
    event_record(
        congress_id=congress.pk,
        type=type_,
        object_kind="congress",
        object_id=congress.pk,
        actor=actor,
        data={"status": congress.status, "version": congress.version, SUMMARIZED: True, **data},
    )


# Re-date -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    task: Task
    old_due_at: datetime
    new_due_at: datetime
    old_starts_on: date | None
    new_starts_on: date | None
    working_days_before_opening: int

    @property
    def overdue(self) -> bool:
        return self.new_due_at < timezone.now()

    @property
    def no_longer_late(self) -> bool:
        """Late today, not late after the move: someone decides whether that is right."""
        return self.old_due_at < timezone.now() <= self.new_due_at


@dataclass
class Redate:
    congress: Congress
    old_opens_on: date  # the opening the plan was dated for
    new_opens_on: date
    moves: list[Move]
    staying: int  # tasks of the plan that are done or cancelled: they keep their dates


def redate_moves(tasks, *, old_opening: date, new_opening: date, calendar) -> list[Move]:
    """How each open task of the plan moves: its deadline (same local time of day) and start
    day keep their offset in working days from the opening. The preview and the re-date
    both call this, on the same tasks."""
    moves = []
    for task in tasks:
        if task.due_at is None:
            continue
        local = timezone.localtime(task.due_at)
        day = moved_day(
            local.date(), old_opening=old_opening, new_opening=new_opening, calendar=calendar
        )
        new_due = datetime.combine(day, local.timetz())
        new_starts = task.starts_on and moved_day(
            task.starts_on, old_opening=old_opening, new_opening=new_opening, calendar=calendar
        )
        if new_due == task.due_at and new_starts == task.starts_on:
            continue
        offset = working_day_offset(day, new_opening, calendar)
        moves.append(Move(task, task.due_at, new_due, task.starts_on, new_starts, offset))
    return moves


def _plan_tasks(actor, congress: Congress) -> QuerySet[Task]:
    return (
        tasks_visible_to(actor)
        .filter(congress=congress, plan_item__isnull=False)
        .select_related("body", "assignee")
        .order_by("due_at", "id")
    )


def _redate(congress: Congress, opens_on: date, tasks, calendar) -> Redate:
    old = congress.plan_opens_on or congress.opens_on
    tasks = list(tasks)
    open_tasks = [t for t in tasks if t.status in Task.OPEN_STATES]
    return Redate(
        congress=congress,
        old_opens_on=old,
        new_opens_on=opens_on,
        moves=redate_moves(open_tasks, old_opening=old, new_opening=opens_on, calendar=calendar),
        staying=len(tasks) - len(open_tasks),
    )


def plan_redate_preview(*, actor, congress_id: int, opens_on: date) -> Redate:
    """What `plan_redate` would do with this opening date, changing nothing."""
    congress = congress_for_leader(actor, congress_id)
    require_open(congress)
    return _redate(congress, opens_on, _plan_tasks(actor, congress), WorkingCalendar())


@transaction.atomic
def plan_redate(*, actor, congress_id: int, opens_on: date) -> Redate:
    """Move the opening to `opens_on` (the closing keeps its distance) and every open task
    of the plan with it; audit entries say from which date to which; one summary to each
    person whose tasks moved (the assignee, or the body's head for an unassigned task)."""
    congress = congress_for_leader(actor, congress_id, lock=True)
    require_open(congress)
    tasks = _plan_tasks(actor, congress).select_for_update(of=("self",))
    result = _redate(congress, opens_on, tasks, WorkingCalendar())
    if not result.moves and opens_on == congress.opens_on == result.old_opens_on:
        return result  # nothing to move, nothing to record
    congress = _move_opening(actor, congress, result)
    for move in result.moves:
        _move_task(actor, move, result)
    audit_record(
        congress,
        transition="redate",
        actor=actor,
        note=_("Opening %(old)s → %(new)s; %(count)s tasks moved")
        % {
            "old": date_format(result.old_opens_on),
            "new": date_format(opens_on),
            "count": len(result.moves),
        },
    )
    _notify_moves(actor, congress, result)
    congress_id = congress.pk
    transaction.on_commit(lambda: forecast_warnings_soon(congress_id))
    result.congress = congress
    return result


def _move_opening(actor, congress: Congress, result: Redate) -> Congress:
    if result.new_opens_on != congress.opens_on:
        closes_on = congress.closes_on and congress.closes_on + (
            result.new_opens_on - congress.opens_on
        )
        congress = congress_update(
            actor=actor, congress_id=congress.pk, opens_on=result.new_opens_on, closes_on=closes_on
        )
    congress.plan_opens_on = result.new_opens_on
    congress.save(update_fields=["plan_opens_on"])
    return congress


def _move_task(actor, move: Move, result: Redate) -> None:
    task = move.task
    task.due_at, task.starts_on = move.new_due_at, move.new_starts_on
    task.version += 1
    task.save(update_fields=["due_at", "starts_on", "version", "updated_at"])
    audit_record(
        task,
        transition="redate",
        actor=actor,
        note=_("Deadline %(old)s → %(new)s (opening %(old_opening)s → %(new_opening)s)")
        % {
            "old": date_format(timezone.localtime(move.old_due_at)),
            "new": date_format(timezone.localtime(move.new_due_at)),
            "old_opening": date_format(result.old_opens_on),
            "new_opening": date_format(result.new_opens_on),
        },
    )
    event_record(
        congress_id=task.congress_id,
        type=events.TASK_UPDATED,
        object_kind="task",
        object_id=task.pk,
        body=task.body,
        actor=actor,
        audience=[task.assignee_id, task.created_by_id],
        data={
            "status": task.status,
            "version": task.version,
            "title": task.title,
            "body": task.body_id,
            "assignee": task.assignee_id,
            "due_at": task.due_at.isoformat(),
            "changed": ["due_at", "starts_on"],
            SUMMARIZED: True,
        },
    )


def _notify_moves(actor, congress: Congress, result: Redate) -> None:
    unassigned = {m.task.body_id for m in result.moves if m.task.assignee_id is None}
    heads = heads_by_body(Body.objects.filter(pk__in=unassigned)) if unassigned else {}
    lines = defaultdict(list)
    for move in result.moves:
        person = move.task.assignee_id or getattr(heads.get(move.task.body_id), "pk", None)
        if person:
            lines[person].append(summary_line(move.task, old_due_at=move.old_due_at))
    summary = Summary(
        kind=PLAN_REDATED,
        congress=congress,
        facts={"old_opens_on": result.old_opens_on, "new_opens_on": result.new_opens_on},
    )
    summaries_send(summary=summary, lines_by_user=lines, actor=actor)


@transaction.atomic
def congress_update_redating(*, actor, congress_id: int, opens_on: date, **changes) -> Congress:
    """The congress form with a new opening date, confirmed with its re-dating preview: the
    plan moves with the opening (`plan_redate`), then the other fields are saved as typed (a
    closing date typed in the form wins over the one that kept its distance), all or
    nothing."""
    plan_redate(actor=actor, congress_id=congress_id, opens_on=opens_on)
    return congress_update(actor=actor, congress_id=congress_id, opens_on=opens_on, **changes)
