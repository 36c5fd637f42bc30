"""The working-day calendar: weekends and Vietnamese public holidays (Tết by the lunar
calendar, from the `holidays` package) do not count; the admin-edited CalendarDay table
adds the days off and make-up working days that the government moves each year.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


@lru_cache(maxsize=64)
def _national_calendar(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year)


class CalendarDay(models.Model):
    """A government decision that moves a day off or adds a make-up working day."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off")
        WORKING_DAY = "working_day", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["date"]

    def __str__(self):
        return f"{date_format(self.date)} · {self.get_kind_display()}"


def _exceptions() -> dict[date, str]:
    return dict(CalendarDay.objects.values_list("date", "kind"))


class WorkingCalendar:
    """Answers working-day questions with the exception table read once."""

    def __init__(self, exceptions: dict[date, str] | None = None):
        self.exceptions = _exceptions() if exceptions is None else exceptions
        # Each day asked once: the holidays package takes microseconds a day, and the
        # oversight page dates the deadlines of hundreds of congresses around the same days.
        self._known: dict[date, bool] = {}

    def is_working_day(self, day: date) -> bool:
        known = self._known.get(day)
        if known is None:
            kind = self.exceptions.get(day)
            if kind is not None:
                known = kind == "working_day"
            else:
                known = _national_calendar(day.year).is_working_day(day)
            self._known[day] = known
        return known

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


def superior_review_due(congress, calendar: WorkingCalendar | None = None) -> date | None:
    """Directive 35-CT/TW: the superior level reviews the contents `superior_review_working_days`
    (45) working days before the opening. The one place this date is computed."""
    if congress.opens_on is None:
        return None
    calendar = calendar or WorkingCalendar()
    return calendar.shift(congress.opens_on, -congress.superior_review_working_days)
