"""Editing tasks from the web: the edit page, reassignment and subtasks from a task's page,
and the bulk actions of the task list. Every change goes through workflows.services.tasks
and workflows.services.task_bulk; a refusal is shown next to the form that failed, with what
was typed kept."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congress.collation import person_sort_key
from congress.errors import DomainError
from congress.selectors import assignable_people, users_visible_to
from workflows import rules
from workflows.due_warnings import due_warnings
from workflows.models import Task
from workflows.selectors.bodies import visible_bodies
from workflows.selectors.tasks import dependency_candidates, task_get, tasks_to_link
from workflows.services.task_bulk import tasks_cancel, tasks_move, tasks_reassign
from workflows.services.tasks import task_update
from workflows.web.setup_forms import show_error
from workflows.web.task_forms import (
    SEARCH_MAX,
    BulkForm,
    ReassignForm,
    SubtaskForm,
    TaskEditForm,
)
from workflows.web.views.base import current_congress, render_page, web_view

# The edit page


@web_view
def task_edit_page(request, pk):
    task = task_get(request.user, pk)
    congress = current_congress(request, task.congress_id)
    if not rules.may_edit_task(task, request.user):
        messages.error(request, str(rules.may_edit_task.description))
        return redirect("web-task", pk=task.pk)
    data = request.POST if request.method == "POST" else None
    form, choices = _edit_form(request, task, data)
    if data is not None and "search" not in data and form.is_valid():
        saved = _save(request, task, form, choices)
        if saved is not None:
            return saved
    context = {
        "congress": congress,
        "task": task,
        "form": form,
        "hidden_parent": task.parent_id is not None and not task.parent_visible,
        "hidden_dependencies": task.depends_on.count() - len(task.visible_dependency_ids),
        "warnings": _warnings(task, form, searching=data is not None and "search" in data),
        "searched": _search_text(request),
        "nav": "tasks",
    }
    return render_page(request, "web/tasks/edit.html", context)


def _edit_form(request, task, data):
    """The bound or initial form, and the objects behind its choices (by id)."""
    user = request.user
    bodies = [task.body] + [
        b
        for b in visible_bodies(user, task.congress)
        if b.pk != task.body_id and rules.may_create_task_in(b, user)
    ]
    chosen = _int((data or {}).get("body"))
    people = _people_for(user, task, next((b for b in bodies if b.pk == chosen), task.body))
    linkable = tasks_to_link(user, task)
    kept = set(task.visible_dependency_ids)
    if data is not None:
        kept = {i for i in (_int(v) for v in data.getlist("depends_on")) if i is not None}
    form = TaskEditForm(
        data,
        initial=_initial(request, task),
        bodies=bodies,
        people=people,
        parents=linkable,
        candidates=dependency_candidates(linkable, kept, _search_text(request)),
    )
    choices = {
        "bodies": {b.pk: b for b in bodies},
        "people": {u.pk: u for u in people},
        "tasks": {t.pk: t for t in linkable},
    }
    return form, choices


def _people_for(user, task, body) -> list:
    """Who may get the body's work; the present assignee stays listed (the service says so if
    they may no longer see it)."""
    people = assignable_people(user, body)
    if task.assignee is not None and task.assignee not in people:
        people = sorted([*people, task.assignee], key=person_sort_key)
    return people


def _initial(request, task) -> dict:
    return {
        "version": task.version,
        "title": task.title,
        "description": task.description,
        "body": task.body_id,
        "assignee": task.assignee_id,
        "priority": task.priority,
        "starts_on": task.starts_on,
        "due_at": task.due_at,
        "requires_review": task.requires_review,
        "parent": task.parent_id if task.parent_visible else None,
        "depends_on": task.visible_dependency_ids,
        "q": _search_text(request),
    }


def _search_text(request) -> str:
    source = request.POST if request.method == "POST" else request.GET
    return (source.get("q") or "").strip()[:SEARCH_MAX]


def _save(request, task, form, choices):
    data = form.cleaned_data
    changes = {
        "title": data["title"],
        "description": data["description"],
        "body": choices["bodies"][data["body"]],
        "assignee": choices["people"].get(data["assignee"]),
        "priority": data["priority"],
        "starts_on": data["starts_on"],
        "due_at": data["due_at"],
        "requires_review": data["requires_review"],
        "parent": choices["tasks"].get(data["parent"]),
        "depends_on": data["depends_on"],
    }
    try:
        saved = task_update(
            actor=request.user,
            task_id=task.pk,
            version=data["version"],
            note=data["note"],
            **changes,
        )
    except DomainError as error:
        show_error(form, error)
        return None
    messages.success(request, _("Task saved: %(title)s") % {"title": saved.title})
    if saved.status in Task.OPEN_STATES:
        for warning in due_warnings(saved.congress, saved.due_at):
            messages.warning(request, warning)
    return redirect("web-task", pk=saved.pk)


def _warnings(task, form, searching: bool) -> list[str]:
    """The deadline's warnings, of what was typed once it was checked (a search re-reads
    the page without checking the form: the saved deadline then)."""
    if task.status not in Task.OPEN_STATES:
        return []
    due_at = task.due_at
    if form.is_bound and not searching:
        due_at = form.cleaned_data.get("due_at") if form.is_valid() else None
    return due_warnings(task.congress, due_at)


def _int(value) -> int | None:
    value = str(value or "")
    return int(value) if value.isdecimal() and len(value) <= 18 else None


# Reassignment and subtasks from the task's page


def task_forms(user, task, data=None, failed: str = "") -> dict:
    """The task page's own forms: reassign it, add a subtask (for those who may); `failed`
    names the bound one that was refused, shown with what was typed."""
    people = None
    forms = {}
    if task.status in Task.OPEN_STATES and rules.may_reassign_task(task, user):
        people = assignable_people(user, task.body)
        bound = data if failed == "reassign" else None
        forms["reassign_form"] = ReassignForm(
            bound, people=people, initial={"version": task.version}, prefix="reassign"
        )
    if rules.may_create_task_in(task.body, user):
        people = people if people is not None else assignable_people(user, task.body)
        bound = data if failed == "subtask" else None
        forms["subtask_form"] = SubtaskForm(bound, people=people, prefix="subtask")
    forms["may_edit"] = rules.may_edit_task(task, user)
    return forms


# Bulk actions of the task list


def bulk_people(user, congress) -> list:
    """Whom the list's tasks may be given to: the congress's people the user shares it with
    (the service refuses, by task, anyone who may not see a task's body)."""
    people = users_visible_to(user).filter(memberships__body__congress=congress).distinct()
    return sorted(people.filter(is_active=True), key=person_sort_key)


def bulk_post(request, congress):
    """Do the bulk action the list's form asked for and go back to the list (a redirect), or
    return the bound form that failed."""
    people = bulk_people(request.user, congress)
    form = BulkForm(request.POST, people=people, prefix="bulk")
    if not form.is_valid():
        return form
    data = form.cleaned_data
    common = {"actor": request.user, "congress_id": congress.pk, "task_ids": data["tasks"]}
    try:
        if data["bulk"] == "reassign":
            assignee = next(u for u in people if u.pk == data["assignee"])
            changed = tasks_reassign(**common, assignee=assignee, note=data["note"])
        elif data["bulk"] == "move":
            changed = tasks_move(**common, working_days=data["working_days"])
        else:
            changed = tasks_cancel(**common, reason=data["reason"])
    except DomainError as error:
        show_error(form, error)
        return form
    count = len(changed)
    messages.success(
        request,
        ngettext("%(count)s task changed.", "%(count)s tasks changed.", count) % {"count": count},
    )
    return redirect(request.get_full_path())


def bulk_form(user, congress):
    return BulkForm(people=bulk_people(user, congress), prefix="bulk")


def selectable_ids(user, tasks) -> set[int]:
    """The rows the user may tick: tasks they may edit or cancel."""
    return {t.pk for t in tasks if rules.may_edit_task(t, user) or rules.may_manage_task(t, user)}
