"""Reads of tasks, comments and history, always through the visibility rule."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.db.models.query import ModelIterable
from django.utils.translation import gettext as _

from congress.errors import NotFound
from congress.selectors import visible_q
from workflows.models import AuditEntry, Comment, Task


def tasks_visible_to(user) -> QuerySet[Task]:
    return Task.objects.filter(visible_q(user))


class TaskListQuerySet(QuerySet):
    """Tasks that, once fetched, know the ids of the dependencies their reader may see
    (`visible_dependency_ids`): one query on the dependency table for all the rows, without
    loading the dependencies themselves (Django's prefetch would build a Task, a manager and
    a queryset for each of them)."""

    _dependencies_reader = None

    def dependencies_seen_by(self, user) -> "TaskListQuerySet":
        clone = self._chain()  # type: ignore[attr-defined]  # Django's own, not in its stubs
        clone._dependencies_reader = user
        return clone

    def _clone(self):
        clone = super()._clone()  # type: ignore[misc]  # likewise
        clone._dependencies_reader = self._dependencies_reader
        return clone

    def _fetch_all(self):
        fetched = self._result_cache is None
        super()._fetch_all()
        reader = self._dependencies_reader
        if fetched and reader is not None and self._iterable_class is ModelIterable:
            visible_dependency_ids_attach(reader, self._result_cache)


def visible_dependency_ids_attach(user, tasks) -> None:
    """Set `visible_dependency_ids` (sorted) on each task: a link from visible work to hidden
    work shows no id (DESIGN section 5), so the dependencies go through the visibility rule."""
    if not tasks:
        return
    through = Task.depends_on.through
    visible = visible_q(
        user,
        congress="to_task__congress_id",
        body="to_task__body_id",
        confidential="to_task__body__confidential",
    )
    rows = (
        through.objects.filter(visible, from_task_id__in=[task.pk for task in tasks])
        .order_by()
        .values_list("from_task_id", "to_task_id")
    )
    ids: dict[int, list[int]] = {}
    for from_id, to_id in rows:
        ids.setdefault(from_id, []).append(to_id)
    for task in tasks:
        task.visible_dependency_ids = sorted(ids.get(task.pk, ()))


def task_list(user) -> QuerySet[Task]:
    """Tasks with what their representation needs, in a constant number of queries: the page
    query and one for the ids of the visible dependencies of its rows.

    Open dependencies are counted by a correlated subquery, not by a join and GROUP BY: a
    page then sorts and cuts the user's tasks without grouping every one of them first, and
    the paginator's count is a plain COUNT(*) (benchmarks/RESULTS.md, task list).
    """
    open_dependencies = (
        Task.depends_on.through.objects.filter(from_task_id=OuterRef("pk"))
        .exclude(to_task__status=Task.Status.DONE)
        .order_by()
        .values("from_task_id")
        .annotate(count=Count("to_task"))  # type: ignore[misc]  # django-stubs misreads it
        .values("count")
    )
    # Links to hidden work show no id (DESIGN section 5): the parent's visibility comes in the
    # page query, the dependencies' ids through the rule once the rows are fetched.
    parent_visible = Exists(tasks_visible_to(user).filter(pk=OuterRef("parent_id")))
    return (
        TaskListQuerySet(Task)
        .filter(visible_q(user))
        .select_related("body", "assignee", "congress")
        .annotate(
            open_dependency_count=Coalesce(Subquery(open_dependencies), 0),
            parent_visible=parent_visible,
        )
        .dependencies_seen_by(user)
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


def congress_dashboard(user, congress, *, calendar=None) -> dict:
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
    # Counted per body over all the congress's tasks, without the visibility join; the bodies
    # whose work the user may not see are dropped below, by the same rule in memory.
    rows = (
        Task.objects.filter(congress=congress)
        .order_by()
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
    review_due = superior_review_due(congress, calendar)
    assert review_due is not None  # a saved congress has its opening date
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
