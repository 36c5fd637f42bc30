"""Working days: weekends and Vietnamese public holidays (Tết by the lunar calendar) do not
count; the government's moved days off and make-up working days come from CalendarDay."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congress.models import CalendarDay
from congress.workdays import (
    WorkingCalendar,
    add_working_days,
    is_working_day,
    subtract_working_days,
)
from tests.factories import CalendarDayFactory, CongressFactory

pytestmark = pytest.mark.django_db

TET_2025 = [date(2025, 1, 27) + timedelta(days=i) for i in range(6)]  # Mon 27/1 - Sat 1/2


@pytest.mark.parametrize("day", TET_2025)
def test_tet_2025_days_are_not_working_days(day):
    assert is_working_day(day) is False


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 1, 24), True),  # Friday before Tết
        (date(2025, 2, 3), True),  # Monday after Tết
        (date(2025, 1, 25), False),  # Saturday
        (date(2025, 1, 26), False),  # Sunday
        (date(2025, 4, 7), False),  # Hùng Kings' Commemoration Day
        (date(2025, 4, 26), True),  # Saturday worked to make up for Friday 2/5
        (date(2025, 4, 27), False),
        (date(2025, 4, 30), False),
        (date(2025, 5, 1), False),
        (date(2025, 5, 2), False),  # substituted day off
        (date(2025, 5, 5), True),
        (date(2025, 9, 1), False),
        (date(2025, 9, 2), False),
        (date(2025, 9, 3), True),
    ],
)
def test_working_days_of_2025(day, expected):
    assert is_working_day(day) is expected


def test_one_working_day_after_the_friday_before_tet_is_the_monday_after():
    assert add_working_days(date(2025, 1, 24), 1) == date(2025, 2, 3)
    assert subtract_working_days(date(2025, 2, 3), 1) == date(2025, 1, 24)


def test_working_days_across_tet():
    # 20-24/1 count, the Tết week does not, 3-7/2 count.
    assert WorkingCalendar().count_between(date(2025, 1, 20), date(2025, 2, 10)) == 10


def test_working_days_across_30_4_and_1_5_2025():
    calendar = WorkingCalendar()

    # 21-25/4, Saturday 26/4, 28-29/4, then 30/4-4/5 off, 5-9/5.
    assert calendar.count_between(date(2025, 4, 21), date(2025, 5, 10)) == 13
    assert add_working_days(date(2025, 4, 29), 1) == date(2025, 5, 5)
    assert subtract_working_days(date(2025, 4, 28), 1) == date(2025, 4, 26)
    assert add_working_days(date(2025, 4, 25), 1) == date(2025, 4, 26)


def test_zero_working_days_is_the_same_day():
    assert add_working_days(date(2025, 1, 28), 0) == date(2025, 1, 28)


def test_moved_day_off_in_calendar_table_changes_the_count():
    CalendarDayFactory(date=date(2025, 2, 3), kind=CalendarDay.Kind.DAY_OFF)

    assert is_working_day(date(2025, 2, 3)) is False
    assert add_working_days(date(2025, 1, 24), 1) == date(2025, 2, 4)
    assert WorkingCalendar().count_between(date(2025, 1, 20), date(2025, 2, 10)) == 9


def test_make_up_working_day_in_calendar_table_changes_the_count():
    CalendarDayFactory(date=date(2025, 2, 8), kind=CalendarDay.Kind.WORKING_DAY)

    assert is_working_day(date(2025, 2, 8)) is True
    assert WorkingCalendar().count_between(date(2025, 2, 3), date(2025, 2, 10)) == 6
    assert add_working_days(date(2025, 2, 7), 1) == date(2025, 2, 8)


def test_calendar_table_overrides_a_national_holiday():
    CalendarDayFactory(date=date(2025, 1, 31), kind=CalendarDay.Kind.WORKING_DAY)

    assert is_working_day(date(2025, 1, 31)) is True
    assert add_working_days(date(2025, 1, 24), 1) == date(2025, 1, 31)


def test_superior_review_due_is_45_working_days_before_opening_across_tet():
    congress = CongressFactory(opens_on=date(2025, 3, 20))

    # Counting back from Thu 20/3/2025: 17-19/3 (3), four full weeks 17/2-14/3 (20) ... down to
    # 3-7/2 (33), the Tết week 27/1-1/2 (none), 20-24/1 (38), 13-17/1 (43), Fri 10/1 and Thu 9/1.
    assert congress.superior_review_due == date(2025, 1, 9)
    assert WorkingCalendar().count_between(date(2025, 1, 9), date(2025, 3, 20)) == 45


def test_superior_review_due_across_30_4_and_hung_kings_day():
    congress = CongressFactory(opens_on=date(2025, 5, 15))

    # 12-14/5 (3), 5-9/5 (8), 28-29/4 (10), Sat 26/4 (11), 21-25/4 (16), 14-18/4 (21),
    # 8-11/4 (25, 7/4 off), 31/3-4/4 (30), 24-28/3 (35), 17-21/3 (40), 10-14/3 (45).
    assert congress.superior_review_due == date(2025, 3, 10)


def test_superior_review_due_moves_with_a_day_off_in_calendar_table():
    congress = CongressFactory(opens_on=date(2025, 3, 20))
    CalendarDayFactory(date=date(2025, 2, 3), kind=CalendarDay.Kind.DAY_OFF)

    assert congress.superior_review_due == date(2025, 1, 8)


def test_superior_review_offset_is_a_setting_of_the_congress():
    congress = CongressFactory(opens_on=date(2025, 3, 20), superior_review_working_days=5)

    assert congress.superior_review_due == date(2025, 3, 13)


@given(
    day=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
    count=st.integers(min_value=0, max_value=80),
)
def test_shifting_back_and_forth_returns_to_a_working_day(day, count):
    calendar = WorkingCalendar(exceptions={})
    if not calendar.is_working_day(day):
        day = calendar.shift(day, 1)

    earlier = calendar.shift(day, -count)

    assert calendar.shift(earlier, count) == day
    assert calendar.count_between(earlier, day) == count
