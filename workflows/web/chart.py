"""The dashboard's chart of open tasks against the time left: the data and the SVG geometry
the template draws."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, Count, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import date_format

from workflows.models import Task, overdue_q
from workflows.selectors.tasks import tasks_visible_to


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
    # Counted by the database per local due date (and whether that moment has passed): a few
    # hundred rows whatever the number of tasks.
    rows = (
        tasks_visible_to(user)
        .filter(congress=congress, status__in=Task.OPEN_STATES)
        .order_by()
        .annotate(
            day=TruncDate("due_at"),
            late=Case(When(overdue_q(now), then=Value(True)), default=Value(False)),
        )
        .values_list("day", "late")
        .annotate(n=Count("id"))
    )
    monday = today - timedelta(days=today.weekday())
    weeks = max((congress.opens_on - monday).days // 7 + 1, 1)
    counts = [0] * weeks
    overdue = 0
    chart = Chart()
    for day, late, n in rows:
        chart.open_total += n
        if day is None:
            chart.undated += n
        elif late:
            overdue += n
        else:
            index = (day - monday).days // 7
            if index >= weeks:
                chart.after_opening += n
            else:
                counts[index] += n
    remaining = chart.open_total
    chart.bars.append(Bar(label="!", start=None, count=overdue, remaining=0, overdue=True))
    remaining -= overdue
    chart.bars[0].remaining = remaining
    for index, count in enumerate(counts):
        remaining -= count
        start = monday + timedelta(weeks=index)
        label = date_format(start, "MONTH_DAY_FORMAT")
        chart.bars.append(Bar(label=label, start=start, count=count, remaining=remaining))
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
