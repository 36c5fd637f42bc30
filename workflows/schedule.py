"""The plan as a schedule: a forward and a backward pass over the tasks and their dependencies,
in working days (weekends, Vietnamese holidays and moved days do not count), from today.

- Forward: a done task is fixed at its completion; one in progress (or in review, or blocked)
  finishes after its remaining working days (its duration minus the working days since it
  started, at least 1 from today); one not started starts at the latest of today, its
  `starts_on` and the day after the finish of every task it depends on.
- Backward: a task's latest finish is the earliest of its own due date, the day before the
  latest start of every task that depends on it, and the milestone its plan item is anchored
  on (the superior-review deadline or the opening).
- `slack_days` = latest finish - earliest finish, in working days; negative: late by that much
  if nothing changes. The critical path is the chain of open tasks with the least slack that
  drive each other, from its first task to the last one it delays.

One query per table (tasks, dependencies, start dates, calendar exceptions); the passes are
O(tasks + dependencies). `congress_schedule` is the one entry point: the API, the pages, the
warnings and the dashboard use it, on the tasks the asking user may see.
"""

from __future__ import annotations

import bisect
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congress.models import Body, PlanItem
from congress.roles import roles_of
from congress.workdays import WorkingCalendar, superior_review_due
from workflows.models import AuditEntry, Task
from workflows.selectors.tasks import tasks_visible_to

SUPERIOR_REVIEW, OPENING = "superior_review", "opening"
MILESTONE_ANCHORS = {
    str(PlanItem.Anchor.SUPERIOR_REVIEW.value): SUPERIOR_REVIEW,
    str(PlanItem.Anchor.OPENING.value): OPENING,
}
UNBOUNDED = 10**9  # a latest finish that nothing bounds
# Plain strings: comparing with the enum members costs microseconds a row at 20,000 rows.
STARTED_STATES = frozenset(
    str(s.value) for s in (Task.Status.IN_PROGRESS, Task.Status.IN_REVIEW, Task.Status.BLOCKED)
)
DONE = str(Task.Status.DONE.value)


class WorkdayIndex:
    """Working days numbered from an origin, so that date arithmetic in working days is integer
    arithmetic. Extended on demand in both directions."""

    def __init__(self, calendar: WorkingCalendar, origin: date):
        self.calendar = calendar
        self.days: list[date] = []
        self._offset = 0  # the position in `days` of working day number 0
        self._extend_to(origin + timedelta(days=7), start=origin)

    def _extend_back_to(self, day: date) -> None:
        added, current = [], day
        while current < self.days[0]:
            if self.calendar.is_working_day(current):
                added.append(current)
            current += timedelta(days=1)
        self.days[:0] = added
        self._offset += len(added)

    def _extend_to(self, day: date, start: date | None = None) -> None:
        current = start or self.days[-1] + timedelta(days=1)
        while current <= day:
            if self.calendar.is_working_day(current):
                self.days.append(current)
            current += timedelta(days=1)

    def _prepare(self, day: date) -> None:
        if day < self.days[0]:
            self._extend_back_to(day - timedelta(days=7))
        if day > self.days[-1]:
            self._extend_to(day + timedelta(days=7))

    def on_or_after(self, day: date) -> int:
        """The number of the first working day on or after `day`."""
        self._prepare(day)
        return bisect.bisect_left(self.days, day) - self._offset

    def on_or_before(self, day: date) -> int:
        """The number of the last working day on or before `day`."""
        self._prepare(day)
        return bisect.bisect_right(self.days, day) - 1 - self._offset

    def day(self, number: int) -> date:
        while number + self._offset >= len(self.days):
            self._extend_to(self.days[-1] + timedelta(days=60))
        while number + self._offset < 0:
            self._extend_back_to(self.days[0] - timedelta(days=60))
        return self.days[number + self._offset]


@dataclass(slots=True)
class Node:
    id: int
    title: str
    body_id: int
    status: str
    duration: int
    starts_on: date | None = None
    due_on: date | None = None
    started_on: date | None = None
    completed_on: date | None = None
    milestone: str | None = None  # the milestone its plan item is anchored on
    predecessors: list[int] = field(default_factory=list)
    successors: list[int] = field(default_factory=list)
    # computed, as working-day numbers
    es: int = 0
    ef: int = 0
    lf: int = UNBOUNDED
    ls: int = UNBOUNDED
    delay: int = 0  # the what-if: working days added to its duration by the forward pass

    done: bool = False
    slack: int | None = None  # set by the backward pass

    def __post_init__(self):
        self.done = self.status == DONE


@dataclass
class Milestone:
    key: str
    on: date
    number: int
    forecast: int | None = None  # the latest earliest finish of the tasks it bounds
    driver: int | None = None  # the task whose finish that is

    @property
    def slack(self) -> int | None:
        return None if self.forecast is None else self.number - self.forecast


@dataclass
class Schedule:
    today: date
    index: WorkdayIndex
    nodes: dict[int, Node]  # the scheduled tasks, in dependency order
    milestones: list[Milestone]
    critical_path: list[int]
    critical: set[int]
    unscheduled: list[int]
    body_of: dict[int, int] = field(default_factory=dict)  # every task's body, unscheduled too

    def date(self, number: int) -> date | None:
        return None if number >= UNBOUNDED else self.index.day(number)


def schedule_compute(
    nodes: list[Node],
    *,
    today: date,
    calendar: WorkingCalendar,
    milestones: dict[str, date],
    delay: tuple[int, int] | None = None,
) -> Schedule:
    """The forward and backward passes over `nodes` (their predecessors among themselves).
    `delay` = (task id, working days): as if that task finished so many days later."""
    by_id = {node.id: node for node in nodes}
    for node in nodes:
        node.predecessors = [p for p in node.predecessors if p in by_id]
        for predecessor in node.predecessors:
            by_id[predecessor].successors.append(node.id)
    unscheduled = [
        n.id
        for n in nodes
        if not (n.predecessors or n.successors or n.starts_on or n.due_on or n.done)
        and n.started_on is None
    ]
    skip = set(unscheduled)
    order = _topological([n for n in nodes if n.id not in skip], by_id)
    index = WorkdayIndex(calendar, min([today, *_dates(order)]))
    now = index.on_or_after(today)
    extra = dict([delay]) if delay else {}
    for node in order:
        _forward(node, by_id, index, now, extra.get(node.id, 0))
    marks = [Milestone(key, on, index.on_or_before(on)) for key, on in milestones.items() if on]
    bounds = {m.key: m.number for m in marks}
    for node in reversed(order):
        _backward(node, by_id, index, bounds)
    for milestone in marks:
        bound = [n for n in order if n.milestone == milestone.key]
        if bound:
            last = max(bound, key=lambda n: (n.ef, -n.id))
            milestone.forecast, milestone.driver = last.ef, last.id
    scheduled = {n.id: n for n in order}
    path, critical = _critical(scheduled)
    bodies = {n.id: n.body_id for n in nodes}
    return Schedule(today, index, scheduled, marks, path, critical, unscheduled, bodies)


def _dates(nodes: list[Node]) -> list[date]:
    found = []
    for node in nodes:
        found += [d for d in (node.starts_on, node.started_on, node.completed_on) if d]
    return found


def _topological(nodes: list[Node], by_id: dict[int, Node]) -> list[Node]:
    """Kahn's algorithm; dependencies refuse cycles, so every node comes out."""
    waiting = {n.id: sum(p in by_id for p in n.predecessors) for n in nodes}
    ready = [n.id for n in nodes if waiting[n.id] == 0]
    order = []
    while ready:
        current = by_id[ready.pop()]
        order.append(current)
        for successor in current.successors:
            if successor in waiting:
                waiting[successor] -= 1
                if waiting[successor] == 0:
                    ready.append(successor)
    return order


def _forward(node: Node, by_id, index: WorkdayIndex, now: int, delay: int) -> None:
    node.delay = delay
    if node.done and node.completed_on:
        node.ef = index.on_or_before(node.completed_on) + delay
        node.es = node.ef - node.duration + 1
        return
    if node.status in STARTED_STATES and node.started_on:
        node.es = index.on_or_after(node.started_on)
        remaining = max(node.duration - max(now - node.es, 0), 1)
        node.ef = now + remaining - 1 + delay
        return
    start = now
    if node.starts_on:
        start = max(start, index.on_or_after(node.starts_on))
    for predecessor in node.predecessors:
        start = max(start, by_id[predecessor].ef + 1)
    node.es = start
    node.ef = start + node.duration - 1 + delay


def _backward(node: Node, by_id, index: WorkdayIndex, bounds: dict[str, int]) -> None:
    latest = UNBOUNDED
    if node.due_on:
        latest = index.on_or_before(node.due_on)
    if node.milestone in bounds:
        latest = min(latest, bounds[node.milestone])
    for successor in node.successors:
        after = by_id[successor]
        if not after.done:
            latest = min(latest, after.ls - 1)
    node.lf = latest
    # The same effective duration as the forward pass: a delayed task must start earlier.
    node.ls = latest - node.duration - node.delay + 1 if latest < UNBOUNDED else UNBOUNDED
    node.slack = None if node.done or latest >= UNBOUNDED else latest - node.ef


def _critical(nodes: dict[int, Node]) -> tuple[list[int], set[int]]:
    """The open tasks of least slack, and one chain of them: from the one that finishes last
    back through the predecessors that drive it."""
    slacks = [n.slack for n in nodes.values() if not n.done and n.slack is not None]
    if not slacks:
        return [], set()
    least = min(slacks)
    critical = {i for i, n in nodes.items() if not n.done and n.slack == least}
    current = max((nodes[i] for i in critical), key=lambda n: (n.ef, -n.id))
    path, seen = [current.id], {current.id}
    while True:
        drivers = [
            nodes[p]
            for p in current.predecessors
            if p in critical and nodes[p].ef + 1 == current.es and nodes[p].id not in seen
        ]
        if not drivers:
            break
        current = min(drivers, key=lambda n: n.id)
        path.append(current.id)
        seen.add(current.id)
    path.reverse()
    return path, critical


def driving_chain(schedule: Schedule, task_id: int) -> list[int]:
    """The open tasks that drive `task_id`'s earliest start, first one first: each is the
    predecessor that finishes last, up the chain while each one starts right after it."""
    chain = [task_id]
    current = schedule.nodes[task_id]
    while True:
        drivers = [
            schedule.nodes[p]
            for p in current.predecessors
            if not schedule.nodes[p].done and schedule.nodes[p].ef + 1 == current.es
        ]
        if not drivers:
            break
        current = max(drivers, key=lambda n: (n.ef, -n.id))
        chain.append(current.id)
    chain.reverse()
    return chain


def congress_schedule(
    user,
    congress,
    *,
    delay: tuple[int, int] | None = None,
    today: date | None = None,
    calendar: WorkingCalendar | None = None,
) -> Schedule:
    """The schedule of the congress's plan as `user` may see it (ARCHITECTURE §5); with no
    user, the whole plan (the warnings, which filter their recipients themselves)."""
    today = today or timezone.localdate()
    tasks = (
        (Task.objects.all() if user is None else tasks_visible_to(user))
        .filter(congress=congress)
        .exclude(status=Task.Status.CANCELLED)
        .order_by("id")
    )
    # Local dates computed by the database: cheaper than reading and converting datetimes.
    rows = _rows(
        tasks.annotate(
            due_on=TruncDate("due_at"), completed_on=TruncDate("completed_at")
        ).values_list(
            "id",
            "title",
            "body_id",
            "status",
            "duration_days",
            "starts_on",
            "due_on",
            "completed_on",
            "plan_item__anchor",
        )
    )
    links = _rows(
        Task.depends_on.through.objects.filter(from_task_id__in=tasks.values("id")).values_list(
            "from_task_id", "to_task_id"
        )
    )
    predecessors: dict[int, list[int]] = {}
    for task_id, depends_on_id in links:
        predecessors.setdefault(task_id, []).append(depends_on_id)
    started = _start_dates(tasks.filter(status__in=sorted(STARTED_STATES)).values("id"))
    nodes = [_node(row, predecessors.get(row[0], []), started) for row in rows]
    calendar = calendar or WorkingCalendar()
    milestones = {
        SUPERIOR_REVIEW: superior_review_due(congress, calendar),
        OPENING: congress.opens_on,
    }
    return schedule_compute(
        nodes, today=today, calendar=calendar, milestones=milestones, delay=delay
    )


def schedule_inputs_key(user, congress, *, today: date, calendar: WorkingCalendar) -> str:
    """A key that changes whenever `congress_schedule(user, congress, today=today)` may: the
    tasks the user may see (which bodies' work is hidden from them), every task's fields
    (their versions, count, last id and last save), the dependencies (their count and last
    id), which tasks are tied to a milestone through their plan item, the
    opening, the calendar's exceptions and the day. Three small aggregate queries instead of
    the 20,000 rows of a large congress, so that what is derived from the schedule can be
    cached under this key. Equal keys for two users mean they see the same tasks."""
    return schedule_inputs_keys(user, [congress], today=today, calendar=calendar)[congress.pk]


def schedule_inputs_keys(
    user, congresses, *, today: date, calendar: WorkingCalendar
) -> dict[int, str]:
    """`schedule_inputs_key` of each of `congresses` (by id), in the same three queries
    whatever their number, each grouped by congress: the oversight page keys the forecasts
    of hundreds of congresses with them."""
    congresses = list(congresses)
    ids = [c.pk for c in congresses]
    hidden: dict[int, list[int]] = {}
    if user is not None and not user.is_staff:
        roles = roles_of(user)
        confidential = (
            Body.objects.filter(congress_id__in=ids, confidential=True)
            .order_by("id")
            .values_list("congress_id", "id")
        )
        for congress_id, body_id in confidential:
            if not roles.sees_work(congress_id, body_id, True):
                hidden.setdefault(congress_id, []).append(body_id)
    tied = {
        f"{name}_{milestone}": aggregate(
            "id", filter=Q(plan_item__anchor=anchor) & ~Q(status=Task.Status.CANCELLED)
        )
        for anchor, milestone in MILESTONE_ANCHORS.items()
        for name, aggregate in (("count", Count), ("sum", Sum))
    }
    # Every service that changes a task adds 1 to its version (the sum moves); a new task
    # raises the last id, a deletion lowers the count; `updated_at` catches a save elsewhere.
    task_figures = {"count": Count("id"), "last_id": Max("id"), "versions": Sum("version"), **tied}
    task_figures["last_saved"] = Max("updated_at")
    tasks = _grouped(Task.objects.filter(congress_id__in=ids), "congress_id", task_figures)
    links = _grouped(
        Task.depends_on.through.objects.filter(from_task__congress_id__in=ids),
        "from_task__congress_id",
        {"count": Count("id"), "last": Max("id")},
    )
    exceptions = [f"{day.isoformat()}={kind}" for day, kind in sorted(calendar.exceptions.items())]
    keys = {}
    for congress in congresses:
        task_row, link_row = tasks[congress.pk], links[congress.pk]
        parts = [
            congress.pk,
            today.isoformat(),
            congress.opens_on.isoformat() if congress.opens_on else "",
            congress.superior_review_working_days,
            ",".join(map(str, hidden.get(congress.pk, []))),
            *(str(task_row[k]) for k in sorted(task_row)),
            *(str(link_row[k]) for k in sorted(link_row)),
            *exceptions,
        ]
        keys[congress.pk] = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()
    return keys


def _grouped(queryset, group: str, figures: dict) -> defaultdict[int, dict]:
    """The aggregates `figures` per value of `group`, in one query; a group without rows has
    what `aggregate` answers for none (0 for a count, None for the rest)."""
    empty = {name: 0 if isinstance(f, Count) else None for name, f in figures.items()}
    found: defaultdict[int, dict] = defaultdict(lambda: dict(empty))
    for row in queryset.order_by().values(group).annotate(**figures):
        found[row.pop(group)] = row
    return found


def _rows(queryset) -> list[tuple]:
    """The rows of a values_list query. On PostgreSQL straight from the cursor: the columns
    are already ints, strings and dates, and Django's per-value converters cost more than the
    query for 20,000 rows. Elsewhere (SQLite returns dates as text) through the queryset."""
    if connection.vendor != "postgresql":
        return list(queryset)
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _local_date(moment, zone=None) -> date | None:
    if not moment:
        return None
    return moment.astimezone(zone or timezone.get_current_timezone()).date()


def _node(row, predecessors: list[int], started: dict[int, date]) -> Node:
    task_id, title, body_id, status, duration, starts_on, due_on, completed_on, anchor = row
    # Positional: 20,000 of these per schedule of a large congress.
    return Node(
        task_id,
        title,
        body_id,
        status,
        duration,
        starts_on,
        due_on,
        started.get(task_id),
        completed_on,
        MILESTONE_ANCHORS.get(anchor),
        predecessors,
    )


def _start_dates(task_ids) -> dict[int, date]:
    """When each started task was last started (its `start` audit entry), in one query;
    `task_ids` is a subquery of their ids."""
    rows = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Task),
            object_id__in=task_ids,
            transition="start",
        )
        .values("object_id")
        .annotate(on=TruncDate(Max("at")))
        .values_list("object_id", "on")
    )
    return dict(rows)


def default_duration_days(starts_on: date | None, due_at, calendar=None) -> int:
    """A new task's working days of work when none is given: the working days from its start
    to its due date (both counted) when it has both, else 1."""
    if not (starts_on and due_at):
        return 1
    calendar = calendar or WorkingCalendar()
    due = _local_date(due_at)
    if due < starts_on:
        return 1
    days = calendar.count_between(starts_on, due) + calendar.is_working_day(due)
    return min(max(days, 1), 250)


def schedule_data(congress, schedule: Schedule, *, body: int | None = None) -> dict:
    """The schedule as the API answers it (ARCHITECTURE §6); `body` keeps that body's tasks."""

    known: dict[int, str | None] = {}

    def day(number):
        if number not in known:
            found = schedule.date(number)
            known[number] = found.isoformat() if found else None
        return known[number]

    tasks = []
    for node in schedule.nodes.values():
        if body is not None and node.body_id != body:
            continue
        slack = node.slack
        tasks.append(
            {
                "id": node.id,
                "title": node.title,
                "body": node.body_id,
                "status": node.status,
                "duration_days": node.duration,
                "earliest_start": day(node.es),
                "earliest_finish": day(node.ef),
                "latest_start": day(node.ls),
                "latest_finish": day(node.lf),
                "due_on": node.due_on.isoformat() if node.due_on else None,
                "depends_on": node.predecessors,
                "slack_days": slack,
                "critical": node.id in schedule.critical,
                "late_by_days": max(-slack, 0) if slack is not None else 0,
            }
        )
    return {
        "congress": congress.pk,
        "today": schedule.today.isoformat(),
        "milestones": [
            {
                "key": m.key,
                "date": m.on.isoformat(),
                "forecast": day(m.forecast) if m.forecast is not None else None,
                "slack_days": m.slack,
            }
            for m in schedule.milestones
        ],
        "critical_path": schedule.critical_path,
        "tasks": tasks,
        "unscheduled": [
            i for i in schedule.unscheduled if body is None or schedule.body_of[i] == body
        ],
    }


def slack_text(slack: int | None) -> str:
    if slack is None:
        return _("no deadline")
    if slack < 0:
        return ngettext("%(n)s working day late", "%(n)s working days late", -slack) % {"n": -slack}
    if slack == 0:
        return _("no working day to spare")
    return ngettext("%(n)s working day to spare", "%(n)s working days to spare", slack) % {
        "n": slack
    }
