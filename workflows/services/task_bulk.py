"""Bulk actions on the task list: reassign, move deadlines by N working days, cancel.

Each task goes through the one-task service (`task_update`, `task_transition`): its rules,
audit entry and event. All of it in one transaction: the first task refused undoes the
others, and the refusal names that task. The per-task events stay (live updates need them)
but are marked as told by a summary, and each person concerned gets one notification listing
their tasks (notifications.summaries), not one per task.
"""

from collections import defaultdict
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from congress.errors import DomainError, Invalid
from congress.workdays import WorkingCalendar
from notifications.models import Category
from notifications.summaries import (
    TASKS_ASSIGNED,
    TASKS_CANCELLED,
    TASKS_HANDED_OVER,
    TASKS_MOVED,
    Summary,
    events_summarize,
    summaries_send,
)
from workflows import events
from workflows.models import Task
from workflows.selectors.tasks import tasks_visible_to
from workflows.services.plans import summary_line
from workflows.services.tasks import task_transition, task_update

MAX_TASKS = 200
MAX_DAYS = 250  # about a working year
REASON_MAX = 2000
LIST_LINK = "/tasks/?scope=mine"


class TaskRefused(DomainError):
    """One task of a bulk action was refused: the whole action is undone, and this says which
    task and why."""

    def __init__(self, task: Task, error: DomainError):
        why = str(error.message)
        if isinstance(error, Invalid):
            why = " ".join(str(m) for msgs in error.details["fields"].values() for m in msgs)
        super().__init__(
            _("“%(title)s”: %(why)s") % {"title": task.title, "why": why},
            code=error.code,
            task=task.pk,
        )
        self.status = error.status
        self.task = task


def _tasks(actor, congress_id: int, task_ids) -> list[Task]:
    """The selected tasks the actor may see in the congress, in the order of the list; an id
    that is not one of them is the same refusal as an empty selection."""
    ids = list(dict.fromkeys(int(i) for i in task_ids))
    if not ids:
        raise Invalid({"tasks": [_("Select at least one task.")]})
    if len(ids) > MAX_TASKS:
        raise Invalid({"tasks": [_("Select at most %(max)s tasks at once.") % {"max": MAX_TASKS}]})
    tasks = list(
        tasks_visible_to(actor)
        .filter(congress_id=congress_id, pk__in=ids)
        .select_related("body", "assignee")
        .order_by("due_at", "id")
    )
    if len(tasks) != len(ids):
        raise Invalid({"tasks": [_("Some selected tasks are not in this congress.")]})
    return tasks


def _each(tasks: list[Task], change) -> list[Task]:
    """`change(task)` for every task; the first refusal names its task (the caller's
    transaction then undoes the others)."""
    changed = []
    for task in tasks:
        try:
            changed.append(change(task))
        except DomainError as error:
            raise TaskRefused(task, error) from error
    return changed


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


@transaction.atomic
def tasks_reassign(*, actor, congress_id: int, task_ids, assignee, note: str = "") -> list[Task]:
    """Give the selected tasks to `assignee` with a note to them. The new assignee hears of
    them in one notification (with the note), each previous assignee in one too."""
    tasks = _tasks(actor, congress_id, task_ids)
    moving = [t for t in tasks if t.assignee_id != assignee.pk]
    previous = {t.pk: t.assignee for t in moving}
    changed = _each(
        moving,
        lambda t: task_update(actor=actor, task_id=t.pk, assignee=assignee, note=note),
    )
    events_summarize(
        object_kind="task", object_ids=[t.pk for t in changed], type=events.TASK_UPDATED
    )
    facts = {"actor": _name(actor)}
    congress = changed[0].congress if changed else None
    if congress is None:
        return changed
    summaries_send(
        summary=Summary(
            kind=TASKS_ASSIGNED,
            congress=congress,
            category=Category.ASSIGNMENT,
            facts={**facts, "note": note.strip()},
            link=LIST_LINK,
        ),
        lines_by_user={assignee.pk: [summary_line(t) for t in changed]},
        actor=actor,
    )
    handed = defaultdict(list)
    for task in changed:
        if (was := previous[task.pk]) is not None:
            handed[was.pk].append(summary_line(task))
    summaries_send(
        summary=Summary(
            kind=TASKS_HANDED_OVER,
            congress=congress,
            facts={**facts, "assignee": _name(assignee)},
            link=LIST_LINK,
        ),
        lines_by_user=handed,
        actor=actor,
    )
    return changed


def moved_due_at(due_at: datetime, working_days: int, calendar: WorkingCalendar) -> datetime:
    """The deadline `working_days` working days later (earlier when negative), at the same
    local time; a deadline on a day off counts as the working day before it."""
    local = timezone.localtime(due_at)
    day = local.date()
    while not calendar.is_working_day(day):
        day = date.fromordinal(day.toordinal() - 1)
    moved = calendar.shift(day, working_days)
    return local.replace(year=moved.year, month=moved.month, day=moved.day)


@transaction.atomic
def tasks_move(*, actor, congress_id: int, task_ids, working_days: int) -> list[Task]:
    """Move the selected tasks' deadlines by `working_days` working days (the congress's
    calendar: weekends, holidays and moved days off do not count). A task without a deadline,
    or whose deadline would fall before its start, is refused by name."""
    if not working_days or abs(working_days) > MAX_DAYS:
        raise Invalid(
            {
                "working_days": [
                    _("Give a number of working days between -%(max)s and %(max)s, not 0.")
                    % {"max": MAX_DAYS}
                ]
            }
        )
    tasks = _tasks(actor, congress_id, task_ids)
    calendar = WorkingCalendar()
    old = {t.pk: t.due_at for t in tasks}

    def move(task):
        if task.due_at is None:
            raise Invalid({"due_at": [_("it has no deadline to move.")]})
        due_at = moved_due_at(task.due_at, working_days, calendar)
        if task.starts_on and timezone.localtime(due_at).date() < task.starts_on:
            raise Invalid(
                {
                    "due_at": [
                        _("the deadline would fall before its start (%(date)s).")
                        % {"date": date_format(task.starts_on)}
                    ]
                }
            )
        return task_update(actor=actor, task_id=task.pk, due_at=due_at)

    changed = _each(tasks, move)
    events_summarize(
        object_kind="task", object_ids=[t.pk for t in changed], type=events.TASK_UPDATED
    )
    lines = defaultdict(list)
    for task in changed:
        if task.assignee_id:
            lines[task.assignee_id].append(summary_line(task, old_due_at=old[task.pk]))
    summaries_send(
        summary=Summary(
            kind=TASKS_MOVED,
            congress=changed[0].congress,
            facts={"actor": _name(actor), "days": working_days},
            link=LIST_LINK,
        ),
        lines_by_user=lines,
        actor=actor,
    )
    return changed


@transaction.atomic
def tasks_cancel(*, actor, congress_id: int, task_ids, reason: str) -> list[Task]:
    """Cancel the selected tasks with one reason; each assignee is told once."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({"reason": [_("Cancelling needs a reason.")]})
    if len(reason) > REASON_MAX:
        raise Invalid(
            {"reason": [_("A reason holds at most %(max)s characters.") % {"max": REASON_MAX}]}
        )
    tasks = _tasks(actor, congress_id, task_ids)
    changed = _each(
        tasks,
        lambda t: task_transition(
            actor=actor, task_id=t.pk, name="cancel", reason=reason, version=t.version
        ),
    )
    events_summarize(
        object_kind="task", object_ids=[t.pk for t in changed], type=events.TASK_TRANSITIONED
    )
    lines = defaultdict(list)
    for task in changed:
        if task.assignee_id:
            lines[task.assignee_id].append(summary_line(task))
    summaries_send(
        summary=Summary(
            kind=TASKS_CANCELLED,
            congress=changed[0].congress,
            facts={"actor": _name(actor), "reason": reason},
            link=LIST_LINK,
        ),
        lines_by_user=lines,
        actor=actor,
    )
    return changed
