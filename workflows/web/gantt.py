"""The timeline page's geometry: the schedule (workflows/schedule.py) laid out as a Gantt chart
grouped by body, and as a list by week for phones. Pure layout: no queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from workflows.schedule import Schedule, slack_text

ZOOMS = {"week": 22.0, "month": 6.0}  # pixels per calendar day
LABEL_WIDTH = 230
ROW_HEIGHT = 26
HEADER_HEIGHT = 40
GROUP_HEIGHT = 24
BAR_HEIGHT = 14


@dataclass
class Bar:
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


def gantt_layout(schedule: Schedule, body_names: dict[int, str], zoom: str, milestones) -> Gantt:
    """Bars from earliest start to earliest finish, the due date marked, arrows from each
    predecessor's end to its dependent's start; rows grouped by body in the bodies' order."""
    scale = ZOOMS.get(zoom, ZOOMS["week"])
    nodes = list(schedule.nodes.values())
    starts = [schedule.date(n.es) for n in nodes] + [schedule.today]
    ends = [schedule.date(n.ef) for n in nodes] + [m.on for m in schedule.milestones]
    first = min(starts) - timedelta(days=2)
    last = max(ends) + timedelta(days=3)

    def x_of(day: date) -> float:
        return LABEL_WIDTH + (day - first).days * scale

    gantt = Gantt(
        width=x_of(last) + 10, height=0, label_width=LABEL_WIDTH, today_x=x_of(schedule.today)
    )
    y = HEADER_HEIGHT
    position: dict[int, Bar] = {}
    for body_id, name in body_names.items():
        rows = sorted((n for n in nodes if n.body_id == body_id), key=lambda n: (n.es, n.ef, n.id))
        if not rows:
            continue
        gantt.groups.append(Group(name=name, y=y))
        y += GROUP_HEIGHT
        for node in rows:
            start, finish = schedule.date(node.es), schedule.date(node.ef)
            bar = Bar(
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


def _arrows(schedule: Schedule, position: dict[int, Bar]) -> list[Arrow]:
    arrows = []
    for node in schedule.nodes.values():
        after = position.get(node.id)
        for predecessor in node.predecessors:
            before = position.get(predecessor)
            if before is None or after is None:
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
