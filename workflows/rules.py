"""Who may do which transition, and the conditions a transition needs (DESIGN section 4).

These are the `permission=` and `conditions=` callables of the django-fsm transitions; the
transition service checks them with `has_transition_perm` before it calls a transition.
"""

from django.utils.translation import gettext_lazy as _

from congress.roles import STEERING_BOARD, roles_of


def is_assignee(task, user) -> bool:
    return task.assignee_id is not None and task.assignee_id == user.pk


def leads_task_body(task, user) -> bool:
    """Head or deputy of the task's body, of its parent body, or of the steering board."""
    if user.is_staff:
        return True
    roles = roles_of(user)
    body = task.body
    return (
        roles.leads_body(body.pk)
        or (body.parent_id is not None and roles.leads_body(body.parent_id))
        or roles.leads_kind(task.congress_id, STEERING_BOARD)
    )


def may_review_task(task, user) -> bool:
    """A leader reviews the work; nobody approves or returns their own task."""
    return leads_task_body(task, user) and not is_assignee(task, user)


def may_manage_task(task, user) -> bool:
    return leads_task_body(task, user)


def is_assignee_or_leader(task, user) -> bool:
    return is_assignee(task, user) or leads_task_body(task, user)


def may_create_task_in(body, user) -> bool:
    """Leaders and secretaries of a body (or its parent, or the steering board) plan its work."""
    if user.is_staff:
        return True
    roles = roles_of(user)
    role = roles.body_role.get(body.pk)
    return (
        role in ("head", "deputy", "secretary")
        or (body.parent_id is not None and roles.leads_body(body.parent_id))
        or roles.leads_kind(body.congress_id, STEERING_BOARD)
    )


def may_edit_task(task, user) -> bool:
    return may_create_task_in(task.body, user) or (
        task.created_by_id is not None and task.created_by_id == user.pk
    )


def dependencies_done(task) -> bool:
    """A task cannot start while a task it depends on is not done.

    List queries annotate `open_dependency_count` so that this costs no query per task.
    """
    count = getattr(task, "open_dependency_count", None)
    if count is None:
        count = task.depends_on.exclude(status="done").count()
    return count == 0


def needs_review(task) -> bool:
    return task.requires_review


def skips_review(task) -> bool:
    return not task.requires_review


def _describe(func, description, code=None):
    func.description = description
    if code:
        func.code = code


# Shown in 403/409 answers so the user learns who may act and why not.
_describe(is_assignee, _("Only the task's assignee may do this."))
_describe(
    may_review_task,
    _(
        "Only the head or a deputy of the task's body (or of the steering board) may do "
        "this, and not on a task assigned to them."
    ),
)
_describe(
    may_manage_task,
    _("Only the head or a deputy of the task's body (or of the steering board) may do this."),
)
_describe(
    is_assignee_or_leader,
    _("Only the assignee or the head or a deputy of the task's body may do this."),
)
_describe(dependencies_done, _("a task it depends on is not done yet."), "dependency_open")
_describe(
    needs_review,
    _("this task does not require review; complete it instead."),
    "review_not_required",
)
_describe(skips_review, _("this task requires review; submit it instead."), "review_required")
