"""My tasks, a task's page, its transitions and comments, and planning a new task."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.collation import person_sort_key
from congress.errors import DomainError
from congress.selectors import assignable_people, memberships_of_body
from workflows import rules
from workflows.selectors.bodies import people_for_bodies, visible_bodies
from workflows.selectors.tasks import (
    task_comments,
    task_get,
    task_history,
    tasks_for_page,
    visible_related,
)
from workflows.services.tasks import task_comment_add, task_create, task_transition, task_update
from workflows.web.actions import TASK_LABELS, task_actions
from workflows.web.forms import CommentForm, TaskCreateForm, TaskFilterForm
from workflows.web.setup_forms import show_error
from workflows.web.task_forms import BulkForm
from workflows.web.views.base import (
    current_congress,
    form_marked,
    no_congress,
    page_of,
    refuse,
    render_page,
    web_view,
)
from workflows.web.views.comments import comment_post
from workflows.web.views.task_edit import (
    bulk_form,
    bulk_post,
    selectable_ids,
    task_forms,
)
from workflows.web.views.transitions import transition_view

PAGE_SIZE = 50
LIST_FRAGMENTS = {"task-list": "web/tasks/_list.html"}
DETAIL_FRAGMENTS = {"task-detail": "web/tasks/_detail.html"}
# Left to the task's own page, so that a leader's list is not a column of "Cancel" buttons.
RARE_ACTIONS = {"cancel", "reopen"}


@web_view
def task_list_page(request):
    congress = current_congress(request)
    if congress is None:
        return no_congress(request)
    bulk = None
    if request.method == "POST":
        bulk = bulk_post(request, congress)
        if not isinstance(bulk, BulkForm):
            return bulk
    bodies = visible_bodies(request.user, congress)
    form = TaskFilterForm(request.GET, bodies=bodies)
    filters = form.values()
    tasks = tasks_for_page(request.user, congress, **filters)
    page = page_of(request, tasks, PAGE_SIZE)
    rows = [
        (task, [a for a in task_actions(task, request.user) if a.name not in RARE_ACTIONS])
        for task in page.object_list
    ]
    context = {
        "congress": congress,
        "form": form,
        "filters": filters,
        "page": page,
        "rows": rows,
        "may_plan": any(rules.may_create_task_in(b, request.user) for b in bodies),
        "nav": "tasks",
    }
    context.update(_bulk_context(request.user, congress, page.object_list, bulk))
    return render_page(request, "web/tasks/list.html", context, LIST_FRAGMENTS)


def _bulk_context(user, congress, tasks, bound) -> dict:
    """The list's bulk form (the bound one that failed, with its ticks kept) and the rows
    that may be ticked."""
    selectable = selectable_ids(user, tasks)
    if not selectable and bound is None:
        return {"selectable": set(), "selected": set()}
    selected = set(bound.cleaned_data.get("tasks", []) if bound is not None else [])
    return {
        "selectable": selectable,
        "selected": selected,
        "bulk_form": bound or bulk_form(user, congress),
    }


@web_view
def task_page(request, pk):
    task = task_get(request.user, pk)
    return task_page_render(request, task, task_forms(request.user, task))


def task_page_render(request, task, forms: dict, comment_form=None, status: int = 200):
    context = {**forms, **_page_context(request, task, comment_form)}
    response = render_page(request, "web/tasks/detail.html", context, DETAIL_FRAGMENTS)
    response.status_code = status
    return response


def _page_context(request, task, comment_form=None) -> dict:
    return {
        "congress": current_congress(request, task.congress_id),
        "task": task,
        "actions": task_actions(task, request.user),
        "history": task_history(task),
        "comments": task_comments(task),
        "related": visible_related(request.user, task),
        "comment_form": comment_form or CommentForm(),
        "mentionable": sorted(
            (m.user for m in memberships_of_body(task.body)), key=person_sort_key
        ),
        "nav": "tasks",
    }


@require_POST
@web_view
def task_reassign_page(request, pk):
    task = task_get(request.user, pk)
    forms = task_forms(request.user, task, request.POST, failed="reassign")
    form = forms.get("reassign_form")
    if form is None:
        messages.error(request, str(rules.may_reassign_task.description))
        return redirect("web-task", pk=task.pk)
    if form.is_valid():
        people = {u.pk: u for u in assignable_people(request.user, task.body)}
        try:
            task_update(
                actor=request.user,
                task_id=task.pk,
                version=form.cleaned_data["version"],
                assignee=people[form.cleaned_data["assignee"]],
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            show_error(form, error)
        else:
            name = people[form.cleaned_data["assignee"]]
            messages.success(
                request,
                _("The task now goes to %(name)s.")
                % {"name": name.get_full_name() or name.username},
            )
            return redirect("web-task", pk=task.pk)
    return task_page_render(request, task, forms)


@require_POST
@web_view
def task_subtask_page(request, pk):
    task = task_get(request.user, pk)
    forms = task_forms(request.user, task, request.POST, failed="subtask")
    form = forms.get("subtask_form")
    if form is None:
        messages.error(request, _("Only the leaders and secretaries of a body plan its tasks."))
        return redirect("web-task", pk=task.pk)
    if form.is_valid():
        data = form.cleaned_data
        people = {u.pk: u for u in assignable_people(request.user, task.body)}
        try:
            subtask = task_create(
                actor=request.user,
                body=task.body,
                title=data["title"],
                assignee=people.get(data["assignee"]),
                due_at=data["due_at"],
                parent=task,
                congress=task.congress,
            )
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Subtask added: %(title)s") % {"title": subtask.title})
            return redirect(reverse("web-task", args=[task.pk]) + "#subtasks")
    return task_page_render(request, task, forms)


task_transition_page = transition_view(
    task_get,
    labels=TASK_LABELS,
    service=task_transition,
    id_field="task_id",
    page="web-task",
    nav="tasks",
)


@require_POST
@web_view
def task_comment_page(request, pk):
    task = task_get(request.user, pk)
    form = CommentForm(request.POST)

    def add(data):
        return task_comment_add(actor=request.user, task_id=task.pk, text=data["text"])

    def again(status):
        forms = task_forms(request.user, task)
        return task_page_render(request, task, forms, form_marked(form), status)

    return comment_post(request, form, add, reverse("web-task", args=[task.pk]), again=again)


@web_view
def task_create_page(request):
    congress = current_congress(request)
    if congress is None:
        return no_congress(request)
    bodies = [
        b
        for b in visible_bodies(request.user, congress)
        if rules.may_create_task_in(b, request.user)
    ]
    if not bodies:
        messages.error(request, _("Only the leaders and secretaries of a body plan its tasks."))
        return redirect("web-tasks")
    choices, bodies_of = people_for_bodies(request.user, bodies)
    people = {person.pk: person for person in choices}
    form = TaskCreateForm(request.POST or None, bodies=bodies, people=choices, bodies_of=bodies_of)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        body = next(b for b in bodies if b.pk == data["body"])
        assignee = people.get(data["assignee"])
        try:
            task = task_create(
                actor=request.user,
                body=body,
                title=data["title"],
                description=data["description"],
                assignee=assignee,
                priority=data["priority"],
                due_at=data["due_at"],
                requires_review=data["requires_review"],
            )
        except DomainError as error:
            refuse(request, error)
        else:
            messages.success(request, _("Task created: %(title)s") % {"title": task.title})
            return redirect("web-task", pk=task.pk)
    context = {"congress": congress, "form": form, "nav": "tasks"}
    return render(request, "web/tasks/create.html", context)
