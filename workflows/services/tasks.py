"""Writes on tasks: create, update, transition, comment. Each takes the acting user and
commits the change, its audit entry and its outbox event in one transaction."""

from datetime import date, datetime

from django.db import transaction
from django.utils.translation import gettext as _

from congress.errors import Conflict, Forbidden, Invalid, NotFound
from congress.models import Body
from congress.selectors import may_see_work_of, users_visible_to
from notifications.mentions import mentioned_user_ids
from notifications.services import event_record
from workflows import events, rules
from workflows.jobs import forecast_warnings_soon
from workflows.models import Comment, Task
from workflows.schedule import default_duration_days
from workflows.selectors.tasks import tasks_visible_to
from workflows.services.placement import check_body_in_congress, check_stays_in_congress
from workflows.services.transitions import audit_record, perform_transition

# In the order forms and the API show them.
EDITABLE_FIELDS = (
    "body",
    "title",
    "description",
    "assignee",
    "priority",
    "starts_on",
    "due_at",
    "duration_days",
    "requires_review",
    "parent",
)


NOTE_MAX = 2000  # a note to the new assignee

# A change of these moves the schedule: its warnings are recomputed soon after.
SCHEDULE_FIELDS = {"starts_on", "due_at", "duration_days", "depends_on"}


def _task_data(task: Task, **extra) -> dict:
    return {
        "status": task.status,
        "version": task.version,
        "title": task.title,
        "body": task.body_id,
        "assignee": task.assignee_id,
        "due_at": task.due_at.isoformat() if task.due_at else None,
        **extra,
    }


def _record(task: Task, type_: str, actor, **extra) -> None:
    event_record(
        congress_id=task.congress_id,
        type=type_,
        object_kind="task",
        object_id=task.pk,
        body=task.body,
        actor=actor,
        audience=[task.assignee_id, task.created_by_id],
        data=_task_data(task, **extra),
    )


def _lock(actor, task_id) -> Task:
    task = (
        tasks_visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("body")
        .filter(pk=task_id)
        .first()
    )
    if task is None:
        raise NotFound(_("Not found."))
    return task


def _check_assignee(body: Body, assignee) -> None:
    if assignee is not None and not may_see_work_of(assignee, body):
        raise Invalid(
            {"assignee": [_("The assignee must be a member who can see this body's work.")]}
        )


def _check_dependencies(actor, task: Task | None, congress_id: int, depends_on) -> list[Task]:
    ids = {t.pk if isinstance(t, Task) else int(t) for t in depends_on}
    found = list(tasks_visible_to(actor).filter(pk__in=ids, congress_id=congress_id))
    if len(found) != len(ids):
        raise Invalid({"depends_on": [_("Dependencies must be tasks of the same congress.")]})
    if task is not None:
        if task.pk in ids:
            raise Invalid({"depends_on": [_("A task cannot depend on itself.")]})
        if _reaches(ids, task.pk):
            raise Invalid({"depends_on": [_("These dependencies would make a cycle.")]})
    return found


def _check_parent(actor, task: Task | None, congress_id: int, parent: Task | None) -> None:
    if parent is None:
        return
    # A task the actor may not see is answered as one that is not there.
    if parent.congress_id != congress_id or not _sees(actor, {parent.pk}):
        raise Invalid({"parent": [_("The parent task must belong to the same congress.")]})
    if task is None:
        return
    seen: set[int] = set()
    current: Task | None = parent
    while current is not None and current.pk not in seen:
        if current.pk == task.pk:
            raise Invalid({"parent": [_("A task cannot be placed under itself or its subtasks.")]})
        seen.add(current.pk)
        current = current.parent
    return


def _sees(actor, task_ids: set[int]) -> bool:
    return tasks_visible_to(actor).filter(pk__in=task_ids).count() == len(task_ids)


def _hidden_dependency_ids(actor, task: Task) -> set[int]:
    """The task's dependencies the actor may not see: an edit of `depends_on` keeps them."""
    return set(
        task.depends_on.exclude(pk__in=tasks_visible_to(actor).values("pk")).values_list(
            "pk", flat=True
        )
    )


def _parent_change(actor, task: Task, changes: dict) -> None:
    """A parent the editor may not see stays: they were shown no parent, so writing none
    leaves it, and only someone who sees it may put the task elsewhere."""
    if task.parent_id is None or _sees(actor, {task.parent_id}):
        _check_parent(actor, task, task.congress_id, changes["parent"])
        return
    if changes["parent"] is None:
        del changes["parent"]
        return
    raise Invalid(
        {
            "parent": [
                _("This task is part of a task you cannot see; only someone who can may move it.")
            ]
        }
    )


def _reaches(start_ids: set[int], target_id: int) -> bool:
    """Whether following depends_on from `start_ids` leads to `target_id` (one query a level)."""
    seen, frontier = set(), set(start_ids)
    while frontier:
        if target_id in frontier:
            return True
        seen |= frontier
        frontier = (
            set(
                Task.depends_on.through.objects.filter(from_task_id__in=frontier).values_list(
                    "to_task_id", flat=True
                )
            )
            - seen
        )
    return False


@transaction.atomic
def task_create(
    *,
    actor,
    body: Body,
    title: str,
    description: str = "",
    assignee=None,
    priority: str = Task.Priority.NORMAL,
    starts_on: date | None = None,
    due_at: datetime | None = None,
    duration_days: int | None = None,
    requires_review: bool = True,
    parent: Task | None = None,
    depends_on=(),
    congress=None,
) -> Task:
    check_body_in_congress(body, congress.pk if congress is not None else None)
    if not rules.may_create_task_in(body, actor):
        raise Forbidden(
            _(
                "Only the head, a deputy or the secretary of this body (or the steering board's "
                "leaders) may plan its tasks."
            ),
            code="task_create_forbidden",
        )
    _check_assignee(body, assignee)
    _check_parent(actor, None, body.congress_id, parent)
    dependencies = _check_dependencies(actor, None, body.congress_id, depends_on)
    task = Task.objects.create(
        congress_id=body.congress_id,
        body=body,
        title=title,
        description=description,
        assignee=assignee,
        created_by=actor,
        priority=priority,
        starts_on=starts_on,
        due_at=due_at,
        duration_days=duration_days or default_duration_days(starts_on, due_at),
        requires_review=requires_review,
        parent=parent,
    )
    task.depends_on.set(dependencies)
    audit_record(task, transition="create", actor=actor, to_state=task.status)
    _record(task, events.TASK_CREATED, actor)
    return task


@transaction.atomic
def task_update(
    *,
    actor,
    task_id: int,
    version: int | None = None,
    congress=None,
    note: str = "",
    **changes,
) -> Task:
    """Change a task's planning fields (never its status: that is what transitions are for,
    nor its congress). `note` is a word to the new assignee when the assignee changes: it
    goes in the audit entry and the event, so it reaches their notification."""
    task = _lock(actor, task_id)
    check_stays_in_congress(
        task.congress_id, congress, _("A task cannot move to another congress.")
    )
    note = _check_update(actor, task, changes, (note or "").strip(), version)
    if "parent" in changes:
        _parent_change(actor, task, changes)
    changed = [f for f in EDITABLE_FIELDS if f in changes and changes[f] != getattr(task, f)]
    for name in changed:
        setattr(task, name, changes[name])
    if "depends_on" in changes and _dependencies_change(actor, task, changes["depends_on"]):
        changed.append("depends_on")
    if not changed:
        return task
    task.version += 1
    task.save()
    summary = ", ".join(changed)
    audit_record(
        task, transition="update", actor=actor, note=f"{summary}: {note}" if note else summary
    )
    _record(task, events.TASK_UPDATED, actor, changed=changed, **({"note": note} if note else {}))
    if SCHEDULE_FIELDS & set(changed):
        congress_id = task.congress_id
        transaction.on_commit(lambda: forecast_warnings_soon(congress_id))
    return task


def _check_update(actor, task: Task, changes: dict, note: str, version: int | None) -> str:
    """Refuse what the actor may not change, a note without a new assignee, a stale version,
    a body or an assignee out of place; the note as it will be kept."""
    if not rules.may_edit_task(task, actor):
        raise Forbidden(rules.may_edit_task.description, code="task_edit_forbidden")
    reassigned = "assignee" in changes and changes["assignee"] != task.assignee
    if reassigned and not rules.may_reassign_task(task, actor):
        raise Forbidden(rules.may_reassign_task.description, code="task_reassign_forbidden")
    if len(note) > NOTE_MAX:
        raise Invalid({"note": [_("A note holds at most %(max)s characters.") % {"max": NOTE_MAX}]})
    if note and not reassigned:
        raise Invalid(
            {"note": [_("A note goes to a new assignee: choose someone else, or leave it empty.")]}
        )
    if version is not None and version != task.version:
        raise Conflict(
            _(
                "This task was changed by someone else (version %(current)s, you sent "
                "%(sent)s). Reload it and try again."
            )
            % {"current": task.version, "sent": version},
            code="stale_version",
            current_version=task.version,
        )
    body = changes.get("body", task.body)
    if body.pk != task.body_id:
        check_body_in_congress(body, task.congress_id)
        if not rules.may_create_task_in(body, actor):
            raise Forbidden(_("You may not move tasks into that body."), code="task_edit_forbidden")
    _check_assignee(body, changes.get("assignee", task.assignee))
    return note


def _dependencies_change(actor, task: Task, depends_on) -> bool:
    """Set the dependencies the actor chose, keeping those they may not see; whether they
    changed."""
    dependencies = _check_dependencies(actor, task, task.congress_id, depends_on)
    wanted = {d.pk for d in dependencies} | _hidden_dependency_ids(actor, task)
    if wanted == set(task.depends_on.values_list("pk", flat=True)):
        return False
    task.depends_on.set(wanted)
    return True


@transaction.atomic
def task_transition(
    *,
    actor,
    task_id: int,
    name: str,
    note: str = "",
    reason: str = "",
    version: int | None = None,
) -> Task:
    """Move a task through its workflow (ARCHITECTURE §4) with the row locked, so that of two
    concurrent attempts exactly one succeeds and the other gets a 409."""
    task = _lock(actor, task_id)
    entry = perform_transition(
        task, name=name, actor=actor, note=note or "", reason=reason or "", version=version
    )
    _record(
        task,
        events.TASK_TRANSITIONED,
        actor,
        transition=name,
        from_status=entry.from_state,
        note=entry.note,
        # Who is asked for a review: notifications cannot apply workflows' rules itself.
        reviewers=rules.task_reviewer_ids(task) if task.status == Task.Status.IN_REVIEW else [],
    )
    return task


@transaction.atomic
def task_comment_add(*, actor, task_id: int, text: str, section: str = "") -> Comment:
    task = _lock(actor, task_id)
    if not text.strip():
        raise Invalid({"text": [_("A comment needs some text.")]})
    comment = Comment.objects.create(task=task, author=actor, text=text, section=section)
    mentions = mentioned_user_ids(text, among=users_visible_to(actor))
    event_record(
        congress_id=task.congress_id,
        type=events.COMMENT_ADDED,
        object_kind="comment",
        object_id=comment.pk,
        body=task.body,
        actor=actor,
        audience=[task.assignee_id, task.created_by_id],
        data={
            "task": task.pk,
            "title": task.title,
            "status": task.status,
            "version": task.version,
            "mentions": mentions,
        },
    )
    return comment
