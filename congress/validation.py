"""What a person may write into a date, a year or a one-line text: checked here, once.

Dates and datetimes lie between 2000 and 2100. The working-day arithmetic walks day by day
from the dates people write (45 working days before an opening, a plan's offsets, a calendar
month's neighbours) and Python's dates end at years 1 and 9999: a congress "opening" on
0001-01-02 made every page that shows it fail.

One-line fields (titles, names, venue, source, section...) hold no control characters: a line
break in a task's title becomes a line break in an email's Subject header, which no mail library
sends.

The validators raise Django's ValidationError, so the same function serves model fields,
forms, the admin and DRF fields (DRF turns it into a 400 with the message).
"""

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 2000
LAST_YEAR = 2100
EARLIEST = date(FIRST_YEAR, 1, 1)
LATEST = date(LAST_YEAR, 12, 31)

# C0 and C1 control characters (line feed, carriage return, tab, NUL, escape, NEL...) and the
# Unicode line and paragraph separators: everything str.splitlines() would break a line at.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
CONTROL_RUNS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def in_date_range(value: date | datetime) -> bool:
    day = value.date() if isinstance(value, datetime) else value
    return EARLIEST <= day <= LATEST


def validate_date(value) -> None:
    """A date or datetime between 2000 and 2100 (None passes: emptiness is the field's rule)."""
    if value is None or in_date_range(value):
        return
    raise ValidationError(
        _("Give a date between %(first)s and %(last)s."),
        code="date_out_of_range",
        params={"first": date_format(EARLIEST), "last": date_format(LATEST)},
    )


def validate_year(value) -> None:
    if value is None or FIRST_YEAR <= value <= LAST_YEAR:
        return
    raise ValidationError(
        _("Give a year between %(first)s and %(last)s."),
        code="year_out_of_range",
        params={"first": FIRST_YEAR, "last": LAST_YEAR},
    )


def validate_single_line(value) -> None:
    """One line of text: no line break, tab or other control character."""
    if value and CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            _("Write this on one line, without line breaks or control characters."),
            code="control_characters",
        )


def checks_for(model_field) -> list:
    """The checks above that a value written to this model field goes through: the base of
    the API's model serializers (congress.api.validated) and of admin forms apply them."""
    if isinstance(model_field, models.CharField) and not model_field.choices:
        return [validate_single_line]
    if isinstance(model_field, models.DateField):  # DateTimeField is one too
        return [validate_date]
    return []


def fold_line(text: str) -> str:
    """The text on one line: each run of control characters becomes one space."""
    return CONTROL_RUNS.sub(" ", text).strip()
