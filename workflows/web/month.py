"""The month calendar page's grid: the weeks of a month, each day with its milestones, its
first few deadlines and how many more there are (shown in full by the day view)."""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from workflows.selectors.deadlines import deadline_counts_by_day, deadlines_first_by_day

# Weeks start on Monday, as Vietnamese calendars print them.
MONTHS = calendar.Calendar(firstweekday=calendar.MONDAY)
# Deadlines shown in a day cell; the others are a "+N more" link to the day. A congress of
# 20,000 tasks has a hundred a day: nobody reads them in a cell, least of all on a phone.
DAY_CELL_ENTRIES = 3


@dataclass
class Day:
    day: date
    in_month: bool
    today: bool
    milestones: list[str] = field(default_factory=list)  # "opening", "superior_review"
    entries: list = field(default_factory=list)
    more: int = 0  # the day's deadlines not in `entries`

    @property
    def has_entries(self) -> bool:
        return bool(self.milestones or self.entries or self.more)


def month_grid(user, congress, first: date, *, mine: bool, review_due: date) -> list[list[Day]]:
    """Weeks (Monday first) covering the month of `first`, each day with its milestones
    (always shown) and its first `DAY_CELL_ENTRIES` deadlines: the user's own, then by time.
    A constant number of queries, whatever the number of tasks."""
    weeks = MONTHS.monthdatescalendar(first.year, first.month)
    start, end = weeks[0][0], weeks[-1][-1] + timedelta(days=1)
    counts = deadline_counts_by_day(user, congress, start, end, mine=mine)
    shown = deadlines_first_by_day(user, congress, start, end, per_day=DAY_CELL_ENTRIES, mine=mine)
    milestones = milestones_between(congress, review_due, start, end)
    today = timezone.localdate()
    return [[_day(d, first, today, milestones, shown, counts) for d in week] for week in weeks]


def milestones_between(congress, review_due: date, start: date, end: date) -> dict:
    """The congress's opening and superior-review deadline on the days [start, end)."""
    milestones: dict[date, list[str]] = {}
    for day, kind in ((congress.opens_on, "opening"), (review_due, "superior_review")):
        if day is not None and start <= day < end:
            milestones.setdefault(day, []).append(kind)
    return milestones


def _day(d: date, first: date, today: date, milestones, shown, counts) -> Day:
    entries = shown.get(d, [])
    return Day(
        day=d,
        in_month=d.month == first.month,
        today=d == today,
        milestones=milestones.get(d, []),
        entries=entries,
        more=max(counts.get(d, 0) - len(entries), 0),
    )
