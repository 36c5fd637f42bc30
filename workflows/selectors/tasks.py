"""Reads of tasks, comments and history, always through the visibility rule."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from congress.errors import NotFound
from congress.selectors import visible_q
from workflows.models import AuditEntry, Comment, Task


def tasks_visible_to(user) -> QuerySet[Task]:
    return Task.objects.filter(visible_q(user))


def task_list(user) -> QuerySet[Task]:
    """Tasks with what their representation needs, in a constant number of queries.

    Open dependencies are counted by a correlated subquery, not by a join and GROUP BY: a
    page then sorts and cuts the user's tasks without grouping every one of them first, and
    the paginator's count is a plain COUNT(*) (benchmarks/RESULTS.md, task list).
    """
    open_dependencies = (
        Task.depends_on.through.objects.filter(from_task_id=OuterRef("pk"))
        .exclude(to_task__status=Task.Status.DONE)
        .order_by()
        .values("from_task_id")
        .annotate(count=Count("to_task"))
        .values("count")
    )
    # Links to hidden work show no id (DESIGN section 5): the dependencies come through the
    # visibility rule in the same one prefetch query, the parent's visibility in the page query.
    visible_dependencies = Prefetch(
        "depends_on", queryset=tasks_visible_to(user).only("pk"), to_attr="visible_dependencies"
    )
    parent_visible = Exists(tasks_visible_to(user).filter(pk=OuterRef("parent_id")))
    return (
        tasks_visible_to(user)
        .select_related("body", "assignee", "congress")
        .prefetch_related(visible_dependencies)
        .annotate(
            open_dependency_count=Coalesce(Subquery(open_dependencies), 0),
            parent_visible=parent_visible,
        )
    )


def task_get(user, task_id) -> Task:
    """A task the user may see; a missing and an invisible task are the same 404."""
    task = task_list(user).filter(pk=task_id).first()
    if task is None:
        raise NotFound(_("Not found."))
    return task


def task_history(task: Task) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Task), object_id=task.pk
    ).select_related("actor")


def task_comments(task: Task) -> QuerySet[Comment]:
    return task.comments.select_related("author")


def congress_dashboard(user, congress) -> dict:
    """Progress figures of one congress, over the tasks and documents the user may see
    (4 queries)."""
    from datetime import timedelta

    from django.utils import timezone

    from congress.selectors import may_see_work_of
    from congress.workdays import superior_review_due
    from workflows.selectors.documents import documents_by_state

    now = timezone.now()
    today = timezone.localdate()
    open_q = Q(status__in=Task.OPEN_STATES)
    overdue_q = open_q & Q(due_at__lt=now)
    upcoming_q = open_q & Q(due_at__gte=now, due_at__lt=now + timedelta(days=7))
    rows = (
        tasks_visible_to(user)
        .filter(congress=congress)
        .values("body_id")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status=Task.Status.DONE)),
            open=Count("id", filter=open_q),
            overdue=Count("id", filter=overdue_q),
            due_next_7_days=Count("id", filter=upcoming_q),
            in_review=Count("id", filter=Q(status=Task.Status.IN_REVIEW)),
            mine_open=Count("id", filter=open_q & Q(assignee=user)),
        )
    )
    by_body = {row.pop("body_id"): row for row in rows}
    zero = dict.fromkeys(
        ("total", "done", "open", "overdue", "due_next_7_days", "in_review", "mine_open"), 0
    )
    bodies = [
        {"body": body.pk, "name": body.name, "kind": body.kind, **by_body.get(body.pk, zero)}
        for body in congress.bodies.order_by("id")
        if may_see_work_of(user, body)
    ]
    totals = {key: sum(b[key] for b in bodies) for key in zero}
    review_due = superior_review_due(congress)
    return {
        "congress": congress.pk,
        "title": congress.title,
        "status": congress.status,
        "opens_on": congress.opens_on,
        "superior_review_due": review_due,
        "days_to_opening": (congress.opens_on - today).days,
        "days_to_superior_review": (review_due - today).days,
        "tasks": {k: v for k, v in totals.items() if k != "mine_open"},
        "bodies": [{k: v for k, v in b.items() if k != "mine_open"} for b in bodies],
        "my_open_tasks": totals["mine_open"],
        "documents_by_state": documents_by_state(user, congress),
    }
