"""Reads the pages need beyond the API's selectors, each composed from the visibility selectors
(`task_list`, `document_list`, `events_visible_to`...), never from the models directly: what a
user may not see cannot reach a page or a fragment."""

from datetime import datetime, timedelta

from django.db.models import Max, QuerySet
from django.utils import timezone

from congress.collation import people_sorted, sort_key
from congress.fsm import available_transitions
from congress.search import fold
from congress.selectors import assignable_people, may_see_work_of
from notifications.selectors import events_visible_to, notifications_of
from workflows import rules
from workflows.digest import tasks_to_review_query
from workflows.models import Document, Task, overdue_q
from workflows.selectors.documents import document_list
from workflows.selectors.tasks import task_list, tasks_visible_to

SCOPES = ("mine", "review", "all")
DUE_FILTERS = ("overdue", "week", "month", "none")
REVIEW_ACTIONS = {"approve", "return", "open_consultation", "close_consultation"}


def last_event_id(user, congress) -> int:
    """The newest event of the congress the user may see: a page rendered now has seen it, so
    its live connection asks only for what comes after."""
    found = events_visible_to(user).filter(congress=congress).aggregate(last=Max("id"))
    return found["last"] or 0


def unread_count(user) -> int:
    return notifications_of(user).filter(read_at__isnull=True).count()


def visible_bodies(user, congress) -> list:
    """The bodies of the congress whose work the user may see (for filters and headings)."""
    return [b for b in congress.bodies.order_by("id") if may_see_work_of(user, b)]


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


def documents_waiting_for(user, congress, limit: int = 8) -> list[Document]:
    """The first documents at a step where the user is the reviewer (approve, return, or the
    consultation to open or close); none looked at for who may review none."""
    if not rules.may_act_on_some_review(user, congress.pk):
        return []
    in_review = document_list(user).filter(
        congress=congress, status__in=[*Document.REVIEW_STATES, Document.Status.CONSULTATION]
    )
    found = []
    for document in in_review.order_by("id").iterator(chunk_size=100):
        if REVIEW_ACTIONS & set(available_transitions(document, user)):
            found.append(document)
            if len(found) == limit:
                break
    return found


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


def bodies_for_documents(user, congress) -> list:
    """The bodies whose work the user sees and where they may start documents."""
    return [b for b in visible_bodies(user, congress) if rules.may_create_document_in(b, user)]


def people_for_bodies(user, bodies) -> tuple[list, dict[int, set[int]]]:
    """Everyone who may be given the work of one of the bodies (assignee, rapporteur), in
    Vietnamese order, and for each person the bodies whose work they may see."""
    people, bodies_of = {}, {}
    for body in bodies:
        for person in assignable_people(user, body):
            people[person.pk] = person
            bodies_of.setdefault(person.pk, set()).add(body.pk)
    return people_sorted(people.values()), bodies_of
