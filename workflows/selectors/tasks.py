"""Reads of tasks, comments and history, always through the visibility rule."""

from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.collation import sort_key
from congress.errors import NotFound
from congress.search import fold
from congress.selectors import visible_q
from workflows.models import AuditEntry, Comment, Task, overdue_q
from workflows.rules import tasks_reviewed_by


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
    """Set `visible_dependency_ids` (sorted) and `visible_open_dependency_count` on each task:
    a link from visible work to hidden work shows no id and tells no state (ARCHITECTURE §5),
    so the dependencies go through the visibility rule. (`open_dependency_count` counts them
    all, for the rule that a task waits for its dependencies; never shown.)"""
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
        .values_list("from_task_id", "to_task_id", "to_task__status")
    )
    ids: dict[int, list[int]] = {}
    open_counts: dict[int, int] = {}
    for from_id, to_id, status in rows:
        ids.setdefault(from_id, []).append(to_id)
        if status != Task.Status.DONE:
            open_counts[from_id] = open_counts.get(from_id, 0) + 1
    for task in tasks:
        task.visible_dependency_ids = sorted(ids.get(task.pk, ()))
        task.visible_open_dependency_count = open_counts.get(task.pk, 0)


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
    # Links to hidden work show no id (ARCHITECTURE §5): the parent's visibility comes in the
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
    overdue = overdue_q(now)
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
            overdue=Count("id", filter=overdue),
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


def tasks_to_review_query(
    user, *, due_within: tuple[datetime, datetime] | None = None
) -> QuerySet[Task]:
    """`tasks_to_review` as a query, for counting or grouping them in the database."""
    in_review = tasks_visible_to(user).filter(status=Task.Status.IN_REVIEW)
    if due_within is not None:
        in_review = in_review.filter(due_at__range=due_within)
    return tasks_reviewed_by(user, in_review)


SCOPES = ("mine", "review", "all")
DUE_FILTERS = ("overdue", "week", "month", "none")


def review_task_ids(user, congress) -> QuerySet:
    """The ids of the congress's tasks in review that the user may approve or return (the
    digest's rule, for one congress), as a subquery."""
    return tasks_to_review_query(user).filter(congress=congress).values("pk")


def tasks_for_page(
    user,
    congress,
    *,
    scope: str = "mine",
    statuses: list[str] | None = None,
    due: str = "",
    body_id: int | None = None,
    now: datetime | None = None,
) -> QuerySet[Task]:
    """The task list page: mine, waiting for my review, or every task I may see, filtered by
    status and due date."""
    now = now or timezone.now()
    tasks = task_list(user).filter(congress=congress)
    if scope == "mine":
        tasks = tasks.filter(assignee=user)
    elif scope == "review":
        tasks = tasks.filter(pk__in=review_task_ids(user, congress))
    if statuses:
        tasks = tasks.filter(status__in=statuses)
    if body_id:
        tasks = tasks.filter(body_id=body_id)
    if due == "overdue":
        tasks = tasks.filter(overdue_q(now))
    elif due == "week":
        tasks = tasks.filter(due_at__gte=now, due_at__lt=now + timedelta(days=7))
    elif due == "month":
        tasks = tasks.filter(due_at__gte=now, due_at__lt=now + timedelta(days=30))
    elif due == "none":
        tasks = tasks.filter(due_at__isnull=True)
    return tasks.order_by("due_at", "id")


def my_open_tasks(user, congress, limit: int = 8) -> list[Task]:
    tasks = task_list(user).filter(congress=congress, assignee=user, status__in=Task.OPEN_STATES)
    return list(tasks.order_by("due_at", "id")[:limit])


def tasks_waiting_for_review(user, congress, limit: int = 8) -> list[Task]:
    """The first tasks waiting for the user's review, by due date (the task list's "review"
    scope has them all)."""
    ids = review_task_ids(user, congress)
    return list(task_list(user).filter(pk__in=ids).order_by("due_at", "id")[:limit])


def visible_related(user, task: Task) -> dict:
    """The task's dependencies, dependents, parent and subtasks that the user may see: a
    document member's task may depend on a personnel task whose title they must not read."""
    visible = tasks_visible_to(user).select_related("body", "assignee")
    depends_on = list(visible.filter(dependents=task).order_by("due_at", "id"))
    dependents = list(visible.filter(depends_on=task).order_by("due_at", "id"))
    subtasks = list(visible.filter(parent=task).order_by("due_at", "id"))
    parent = visible.filter(pk=task.parent_id).first() if task.parent_id else None
    hidden = task.depends_on.count() - len(depends_on)
    return {
        "depends_on": depends_on,
        "dependents": dependents,
        "subtasks": subtasks,
        "parent": parent,
        "hidden_dependencies": hidden,
    }


SEARCH_RESULTS = 30


def tasks_to_link(user, task: Task) -> list[Task]:
    """The tasks of the congress a task may be linked to (its parent, its dependencies): only
    those the user may see, in Vietnamese order of their titles."""
    tasks = list(
        tasks_visible_to(user)
        .filter(congress_id=task.congress_id)
        .exclude(pk=task.pk)
        .only("id", "title", "status")
    )
    return sorted(tasks, key=lambda t: (sort_key(t.title), t.pk))


def dependency_candidates(tasks: list[Task], kept: set[int], q: str) -> list[Task]:
    """Of `tasks`, those offered as dependencies: the ones already chosen, then those whose
    title holds every word of the search, without regard to diacritics or case (at most
    SEARCH_RESULTS)."""
    words = fold(q).split()
    found = [t for t in tasks if t.pk not in kept and all(word in fold(t.title) for word in words)]
    return [t for t in tasks if t.pk in kept] + found[:SEARCH_RESULTS]
