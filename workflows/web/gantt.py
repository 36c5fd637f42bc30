"""The timeline page's geometry: the schedule (workflows/schedule.py) laid out as a Gantt chart
grouped by body, and as a list by week for phones. Pure layout: no queries. The rows are
chosen first (filters, order, one page of them) and only those are laid out: a congress of
20,000 tasks draws a page, not the plan."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from workflows.schedule import Node, Schedule, slack_text

ZOOMS = {"week": 22.0, "month": 6.0}  # pixels per calendar day
DEFAULT_ZOOM = "month"
PAGE_SIZE = 150  # rows of the Gantt (and of the phone's list) a page draws
ONLY_OPEN, ONLY_CRITICAL = "open", "critical"
SORT_SLACK, SORT_START = "slack", "start"
LABEL_WIDTH = 230
ROW_HEIGHT = 26
HEADER_HEIGHT = 40
GROUP_HEIGHT = 24
BAR_HEIGHT = 14


@dataclass
class Bar:
    """One row. Coordinates rounded to a tenth of a pixel here, printed unlocalized by the
    template (a filter a coordinate costs more than the row's layout)."""

    task_id: int
    title: str
    status: str
    x: float
    y: float
    width: float
    critical: bool
    late: bool
    slack: int | None
    slack_text: str
    due_x: float | None
    start: date
    finish: date
    label_y: float = 0.0
    due_top: float = 0.0
    due_bottom: float = 0.0

    def __post_init__(self):
        self.x, self.y, self.width = round(self.x, 1), round(self.y, 1), round(self.width, 1)
        self.due_x = round(self.due_x, 1) if self.due_x is not None else None
        self.label_y = round(self.y + 11, 1)
        self.due_top, self.due_bottom = round(self.y - 2, 1), round(self.y + 16, 1)


@dataclass
class Group:
    name: str
    y: float


@dataclass
class Arrow:
    points: str
    critical: bool


@dataclass
class Tick:
    x: float
    day: date


@dataclass
class Marker:
    key: str
    label: str
    x: float
    day: date


@dataclass
class Gantt:
    width: float
    height: float
    label_width: int
    groups: list[Group] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    today_x: float = 0.0


def timeline_rows(schedule: Schedule, *, body_id: int | None = None, only: str = "") -> list[Node]:
    """The scheduled tasks the page's filters keep: one body's, the open ones, or those on the
    critical path and the late ones."""
    rows = schedule.nodes.values()
    if body_id is not None:
        rows = [n for n in rows if n.body_id == body_id]
    if only == ONLY_OPEN:
        return [n for n in rows if not n.done]
    if only == ONLY_CRITICAL:
        critical = schedule.critical
        return [n for n in rows if n.id in critical or (n.slack is not None and n.slack < 0)]
    return list(rows)


def rows_sorted(rows: list[Node], sort: str) -> list[Node]:
    """Least slack first (the critical path, then the other late tasks, then the open tasks
    by slack, the open ones without a deadline and the done ones last), or in schedule order."""
    if sort == SORT_SLACK:
        return sorted(rows, key=_slack_key)
    return sorted(rows, key=lambda n: (n.es, n.ef, n.id))


def _slack_key(node: Node) -> tuple:
    if node.done:
        return (2, 0, node.es, node.ef, node.id)
    if node.slack is None:
        return (1, 0, node.es, node.ef, node.id)
    return (0, node.slack, node.es, node.ef, node.id)


def late_and_critical_counts(schedule: Schedule) -> tuple[int, int]:
    """How many open tasks of the whole (visible) plan are late, and on the critical path."""
    late = sum(1 for n in schedule.nodes.values() if n.slack is not None and n.slack < 0)
    return late, len(schedule.critical)


def gantt_layout(
    schedule: Schedule, rows: list[Node], body_names: dict[int, str], zoom: str, milestones
) -> Gantt:
    """The `rows` (one page of the timeline, in their order) as bars from earliest start to
    earliest finish, the due date marked, arrows from each predecessor's end to its
    dependent's start when both are drawn; grouped by body in the bodies' order. The time
    axis spans these rows, today and the milestones, so a page costs its rows, not the plan."""
    scale = ZOOMS.get(zoom, ZOOMS["week"])
    starts = [schedule.date(min(n.es for n in rows))] if rows else []
    ends = [schedule.date(max(n.ef for n in rows))] if rows else []
    first = min([*starts, schedule.today]) - timedelta(days=2)
    last = max([*ends, schedule.today, *(m.on for m in schedule.milestones)]) + timedelta(days=3)

    def x_of(day: date) -> float:
        return LABEL_WIDTH + (day - first).days * scale

    gantt = Gantt(
        width=x_of(last) + 10, height=0, label_width=LABEL_WIDTH, today_x=x_of(schedule.today)
    )
    by_body: dict[int, list[Node]] = {}
    for node in rows:
        by_body.setdefault(node.body_id, []).append(node)
    y = HEADER_HEIGHT
    position: dict[int, Bar] = {}
    for body_id, name in body_names.items():
        if body_id not in by_body:
            continue
        gantt.groups.append(Group(name=name, y=y))
        y += GROUP_HEIGHT
        for node in by_body[body_id]:
            bar = _bar(schedule, node, x_of, y, scale)
            gantt.bars.append(bar)
            position[node.id] = bar
            y += ROW_HEIGHT
    gantt.height = y + 10
    gantt.arrows = _arrows(schedule, position)
    gantt.ticks = _ticks(first, last, x_of, zoom)
    gantt.markers = [
        Marker(key=m.key, label=label, x=x_of(m.on) + scale, day=m.on) for m, label in milestones
    ]
    return gantt


def _bar(schedule: Schedule, node: Node, x_of, y: float, scale: float) -> Bar:
    start, finish = schedule.date(node.es), schedule.date(node.ef)
    return Bar(
        task_id=node.id,
        title=node.title,
        status=node.status,
        x=x_of(start),
        y=y + (ROW_HEIGHT - BAR_HEIGHT) / 2,
        width=max((finish - start).days + 1, 1) * scale,
        critical=node.id in schedule.critical,
        late=node.slack is not None and node.slack < 0,
        slack=node.slack,
        slack_text=slack_text(node.slack),
        due_x=x_of(node.due_on) + scale if node.due_on else None,
        start=start,
        finish=finish,
    )


def _arrows(schedule: Schedule, position: dict[int, Bar]) -> list[Arrow]:
    """Only between the bars drawn: a page's arrows cost its rows and their dependencies."""
    arrows = []
    for task_id, after in position.items():
        for predecessor in schedule.nodes[task_id].predecessors:
            before = position.get(predecessor)
            if before is None:
                continue
            x1, y1 = before.x + before.width, before.y + BAR_HEIGHT / 2
            x2, y2 = after.x, after.y + BAR_HEIGHT / 2
            bend = x1 + 6
            points = f"{x1:.1f},{y1:.1f} {bend:.1f},{y1:.1f} {bend:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
            critical = before.critical and after.critical
            arrows.append(Arrow(points=points, critical=critical))
    return arrows


def _ticks(first: date, last: date, x_of, zoom: str) -> list[Tick]:
    ticks = []
    day = first
    if zoom == "month":
        day = date(first.year, first.month, 1)
        while day <= last:
            if day >= first:
                ticks.append(Tick(x=x_of(day), day=day))
            day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return ticks
    day = first + timedelta(days=(7 - first.weekday()) % 7)  # Mondays
    while day <= last:
        ticks.append(Tick(x=x_of(day), day=day))
        day += timedelta(days=7)
    return ticks


@dataclass
class Week:
    monday: date
    items: list[Bar]


def weeks_list(gantt: Gantt) -> list[Week]:
    """The phone view: open tasks by the week they can start, each with its slack."""
    weeks: dict[date, list[Bar]] = {}
    for bar in sorted(gantt.bars, key=lambda b: (b.start, b.finish, b.task_id)):
        if bar.status == "done":
            continue
        monday = bar.start - timedelta(days=bar.start.weekday())
        weeks.setdefault(monday, []).append(bar)
    return [Week(monday=monday, items=items) for monday, items in weeks.items()]
