"""The month calendar page's grid: the weeks of a month, each day with its deadlines."""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from workflows.selectors.deadlines import deadlines_between

# Weeks start on Monday, as Vietnamese calendars print them.
MONTHS = calendar.Calendar(firstweekday=calendar.MONDAY)


@dataclass
class Day:
    day: date
    in_month: bool
    today: bool
    entries: list = field(default_factory=list)


def month_grid(user, congress, first: date, *, mine: bool, review_due: date) -> list[list[Day]]:
    """Weeks (Monday first) covering the month of `first`, each day with its deadlines."""
    weeks = MONTHS.monthdatescalendar(first.year, first.month)
    start, end = weeks[0][0], weeks[-1][-1] + timedelta(days=1)
    by_day = _entries_by_day(user, congress, start, end, mine=mine)
    for day, kind in ((congress.opens_on, "opening"), (review_due, "superior_review")):
        if day is not None and start <= day < end:
            by_day.setdefault(day, []).insert(0, kind)
    today = timezone.localdate()
    return [
        [
            Day(day=d, in_month=d.month == first.month, today=d == today, entries=by_day.get(d, []))
            for d in week
        ]
        for week in weeks
    ]


def _entries_by_day(user, congress, start: date, end: date, *, mine: bool) -> dict[date, list]:
    zone = timezone.get_current_timezone()
    entries = deadlines_between(
        user,
        congress,
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end, time.min, tzinfo=zone),
    )
    by_day: dict[date, list] = {}
    for entry in entries:
        if entry.mine or not mine:
            by_day.setdefault(timezone.localtime(entry.when).date(), []).append(entry)
    return by_day
