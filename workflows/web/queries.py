"""Reads the pages need beyond the API's selectors, each composed from the visibility selectors
(`task_list`, `document_list`, `events_visible_to`...), never from the models directly: what a
user may not see cannot reach a page or a fragment."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from congress.fsm import available_transitions
from congress.selectors import may_see_work_of
from congress.workdays import WorkingCalendar
from notifications.selectors import events_visible_to, notifications_of
from workflows.digest import tasks_to_review
from workflows.models import Document, Task
from workflows.selectors.documents import document_list
from workflows.selectors.tasks import task_list, tasks_visible_to

SCOPES = ("mine", "review", "all")
DUE_FILTERS = ("overdue", "week", "month", "none")
REVIEW_ACTIONS = {"approve", "return", "open_consultation", "close_consultation"}


def superior_review_due(congress) -> date:
    """As the dashboard selector computes it (working days back from the opening)."""
    return WorkingCalendar().shift(congress.opens_on, -congress.superior_review_working_days)


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


def review_task_ids(user, congress) -> list[int]:
    return [t.pk for t in tasks_to_review(user) if t.congress_id == congress.pk]


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
        tasks = tasks.filter(status__in=Task.OPEN_STATES, due_at__lt=now)
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


def tasks_waiting_for_review(user, congress) -> list[Task]:
    ids = review_task_ids(user, congress)
    if not ids:
        return []
    return list(task_list(user).filter(pk__in=ids).order_by("due_at", "id"))


def documents_waiting_for(user, congress) -> list[Document]:
    """Documents at a step where the user is the reviewer (approve, return, or the
    consultation to open or close)."""
    in_review = document_list(user).filter(
        congress=congress, status__in=[*Document.REVIEW_STATES, Document.Status.CONSULTATION]
    )
    return [
        d for d in in_review.order_by("id") if REVIEW_ACTIONS & set(available_transitions(d, user))
    ]


@dataclass
class Deadline:
    when: datetime
    kind: str  # "task", "document", "consultation"
    title: str
    url: str
    body: str
    status: str
    status_label: str
    overdue: bool = False
    mine: bool = False


def deadlines_between(user, congress, start: datetime, end: datetime) -> list[Deadline]:
    """Task and document deadlines (and consultations closing) in [start, end), of what the
    user may see, in time order."""
    now = timezone.now()
    tasks = (
        tasks_visible_to(user)
        .filter(congress=congress, due_at__gte=start, due_at__lt=end)
        .exclude(status=Task.Status.CANCELLED)
        .select_related("body")
    )
    entries = [
        Deadline(
            when=t.due_at,
            kind="task",
            title=t.title,
            url=f"/tasks/{t.pk}/",
            body=t.body.name,
            status=t.status,
            status_label=t.get_status_display(),
            overdue=t.is_overdue,
            mine=t.assignee_id == user.pk,
        )
        for t in tasks
    ]
    documents = (
        document_list(user)
        .filter(congress=congress)
        .filter(
            Q(due_at__gte=start, due_at__lt=end)
            | Q(
                status=Document.Status.CONSULTATION,
                consultation_closes_at__gte=start,
                consultation_closes_at__lt=end,
            )
        )
        .exclude(status__in=Document.FINAL_STATES)
    )
    for d in documents:
        common = {
            "title": d.title,
            "url": f"/documents/{d.pk}/",
            "body": d.body.name,
            "status": d.status,
            "status_label": d.get_status_display(),
            "mine": d.rapporteur_id == user.pk,
        }
        if d.due_at and start <= d.due_at < end:
            entries.append(
                Deadline(when=d.due_at, kind="document", overdue=d.due_at < now, **common)
            )
        closes = d.consultation_closes_at
        if d.status == Document.Status.CONSULTATION and closes and start <= closes < end:
            entries.append(Deadline(when=closes, kind="consultation", **common))
    return sorted(entries, key=lambda e: (e.when, e.title))


def next_deadlines(user, congress, days: int = 7) -> list[Deadline]:
    now = timezone.now()
    return [
        d
        for d in deadlines_between(user, congress, now, now + timedelta(days=days))
        if d.status not in (Task.Status.DONE,)
    ]


# The chart of open tasks against the time left ---------------------------------------------


@dataclass
class Bar:
    label: str
    start: date | None
    count: int
    remaining: int
    overdue: bool = False
    show_label: bool = True
    phone_label: bool = True
    x: float = 0
    cx: float = 0
    y: float = 0
    height: float = 0
    line_y: float = 0


@dataclass
class Chart:
    bars: list[Bar] = field(default_factory=list)
    open_total: int = 0
    width: int = 640
    height: int = 240
    plot_top: int = 28
    plot_bottom: int = 200
    plot_left: int = 36
    bar_width: float = 0
    max_value: int = 0
    ticks: list[tuple[int, float]] = field(default_factory=list)
    review_x: float | None = None
    opening_x: float | None = None
    line_points: str = ""
    after_opening: int = 0
    undated: int = 0


def open_tasks_chart(user, congress, review_due: date, today: date | None = None) -> Chart:
    """Open tasks due per week from now to the opening (overdue ones first), and how many
    would remain open after each week if every task were done on time: the work left against
    the time left."""
    today = today or timezone.localdate()
    now = timezone.now()
    due_dates = list(
        tasks_visible_to(user)
        .filter(congress=congress, status__in=Task.OPEN_STATES)
        .values_list("due_at", flat=True)
    )
    chart = Chart(open_total=len(due_dates))
    monday = today - timedelta(days=today.weekday())
    weeks = max((congress.opens_on - monday).days // 7 + 1, 1)
    counts = [0] * weeks
    overdue = 0
    for due_at in due_dates:
        if due_at is None:
            chart.undated += 1
        elif due_at < now:
            overdue += 1
        else:
            index = (timezone.localtime(due_at).date() - monday).days // 7
            if index >= weeks:
                chart.after_opening += 1
            else:
                counts[index] += 1
    remaining = chart.open_total
    chart.bars.append(Bar(label="!", start=None, count=overdue, remaining=0, overdue=True))
    remaining -= overdue
    chart.bars[0].remaining = remaining
    for index, count in enumerate(counts):
        remaining -= count
        start = monday + timedelta(weeks=index)
        chart.bars.append(
            Bar(label=f"{start:%d/%m}", start=start, count=count, remaining=remaining)
        )
    _lay_out(chart, monday, review_due, congress.opens_on)
    return chart


def _nice_step(rough: float) -> int:
    """1, 2, 5, 10, 20, 50...: the smallest such step at least `rough`."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if factor * magnitude >= rough:
                return factor * magnitude
        magnitude *= 10


def _lay_out(chart: Chart, monday: date, review_due: date, opens_on: date) -> None:
    plot_width = chart.width - chart.plot_left - 8
    slot = plot_width / len(chart.bars)
    chart.bar_width = max(slot * 0.7, 2)
    highest = max([b.count for b in chart.bars] + [b.remaining for b in chart.bars] + [1])
    step = _nice_step(highest / 4)
    chart.max_value = -(-highest // step) * step
    scale = (chart.plot_bottom - chart.plot_top) / chart.max_value
    points = []
    for index, bar in enumerate(chart.bars):
        bar.x = chart.plot_left + index * slot + (slot - chart.bar_width) / 2
        bar.cx = bar.x + chart.bar_width / 2
        bar.height = bar.count * scale
        bar.y = chart.plot_bottom - bar.height
        bar.line_y = chart.plot_bottom - bar.remaining * scale
        points.append(f"{bar.cx:.1f},{bar.line_y:.1f}")
    chart.line_points = " ".join(points)
    # The overdue bar's label is wide: the current week's, next to it, is left out.
    every = max(1, -(-len(chart.bars) // 9))
    for index, bar in enumerate(chart.bars):
        bar.show_label = index == 0 or (index > 1 and (index - 2) % every == 0)
        bar.phone_label = index == 0 or (index > 1 and (index - 2) % (every * 2) == 0)
    chart.ticks = [(v, chart.plot_bottom - v * scale) for v in range(0, chart.max_value + 1, step)]

    def x_of(day: date) -> float | None:
        if day < monday:
            return None
        index = 1 + (day - monday).days / 7
        return chart.plot_left + index * slot

    chart.review_x = x_of(review_due)
    chart.opening_x = x_of(opens_on)


# The calendar -------------------------------------------------------------------------------


@dataclass
class Day:
    day: date
    in_month: bool
    today: bool
    entries: list = field(default_factory=list)


def month_grid(user, congress, first: date, *, mine: bool, review_due: date) -> list[list[Day]]:
    """Weeks (Monday first) covering the month of `first`, each day with its deadlines."""
    zone = timezone.get_current_timezone()
    start = first - timedelta(days=first.weekday())
    next_month = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    end = next_month + timedelta(days=(7 - next_month.weekday()) % 7)
    entries = deadlines_between(
        user,
        congress,
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end, time.min, tzinfo=zone),
    )
    if mine:
        entries = [e for e in entries if e.mine]
    by_day: dict[date, list] = {}
    for entry in entries:
        by_day.setdefault(timezone.localtime(entry.when).date(), []).append(entry)
    for day, kind in ((congress.opens_on, "opening"), (review_due, "superior_review")):
        if start <= day < end:
            by_day.setdefault(day, []).insert(0, kind)
    today = timezone.localdate()
    days = [start + timedelta(days=n) for n in range((end - start).days)]
    grid = [
        Day(day=d, in_month=d.month == first.month, today=d == today, entries=by_day.get(d, []))
        for d in days
    ]
    return [grid[i : i + 7] for i in range(0, len(grid), 7)]


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
