"""The working-day calendar: weekends and Vietnamese public holidays (Tết by the lunar
calendar, from the `holidays` package) do not count; the admin-edited CalendarDay table
adds the days off and make-up working days that the government moves each year.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _national_calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year)


def _exceptions() -> dict[date, str]:
    from congress.models import CalendarDay

    return dict(CalendarDay.objects.values_list("date", "kind"))


class WorkingCalendar:
    """Answers working-day questions with the exception table read once."""

    def __init__(self, exceptions: dict[date, str] | None = None):
        self.exceptions = _exceptions() if exceptions is None else exceptions

    def is_working_day(self, day: date) -> bool:
        kind = self.exceptions.get(day)
        if kind is not None:
            return kind == "working_day"
        return _national_calendar(day.year).is_working_day(day)

    def shift(self, day: date, working_days: int) -> date:
        """The day `working_days` working days after (positive) or before (negative) `day`."""
        step = timedelta(days=1 if working_days >= 0 else -1)
        remaining = abs(working_days)
        current = day
        while remaining:
            current += step
            if self.is_working_day(current):
                remaining -= 1
        return current

    def count_between(self, start: date, end: date) -> int:
        """Working days in [start, end)."""
        count, current = 0, start
        while current < end:
            count += self.is_working_day(current)
            current += timedelta(days=1)
        return count


def is_working_day(day: date) -> bool:
    return WorkingCalendar().is_working_day(day)


def subtract_working_days(day: date, working_days: int) -> date:
    return WorkingCalendar().shift(day, -working_days)


def add_working_days(day: date, working_days: int) -> date:
    return WorkingCalendar().shift(day, working_days)
