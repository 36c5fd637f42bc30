"""Plan dates in working days: weekends, public holidays and Tết (by the lunar calendar) do not
count, whether a deadline is set from the opening, from the superior review deadline or after
another item, and when the plan moves with a new opening date."""

from datetime import date

import pytest

from congress.errors import Invalid
from congress.models import CalendarDay, PlanItem
from congress.plans import (
    moved_day,
    plan_schedule,
    template_items,
    working_day_offset,
)
from congress.workdays import WorkingCalendar
from tests.factories import CalendarDayFactory

pytestmark = pytest.mark.django_db

# Tết Bính Ngọ: Mon 16/2 - Fri 20/2/2026 are days off.
OPENS_2026 = date(2026, 3, 12)  # a Thursday, three weeks after Tết


def _dates(template, opens_on, calendar=None):
    calendar = calendar or WorkingCalendar()
    review = calendar.shift(opens_on, -45)
    schedule = plan_schedule(
        template, opens_on=opens_on, superior_review_due=review, calendar=calendar
    )
    return {s.item.key: (s.due_on, s.starts_on) for s in schedule}


def test_deadlines_before_the_opening_skip_tet(small_template):
    dates = _dates(small_template, OPENS_2026)

    # 10 working days back from Thu 12/3: 11, 10, 9, 6, 5, 4, 3, 2/3, 27, 26/2.
    assert dates["venue"] == (date(2026, 2, 26), date(2026, 2, 5))
    # 60 working days back: 8 in March, 15 in February (not the Tết week), 21 in January
    # (not 1/1), then 16 in December: Wed 10/12/2025.
    assert dates["outline"][0] == date(2025, 12, 10)


def test_deadline_after_another_item_counts_forward_over_tet():
    calendar = WorkingCalendar()

    # The Friday before Tết plus one working day is the Monday after it.
    assert calendar.shift(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert calendar.shift(date(2026, 2, 12), 5) == date(2026, 2, 26)


def test_superior_review_items_follow_the_congress_setting(small_template):
    calendar = WorkingCalendar()
    review = calendar.shift(OPENS_2026, -45)
    dates = _dates(small_template, OPENS_2026)

    assert review == date(2025, 12, 31)
    assert dates["review"] == (review, review)
    # Two working days before Wed 31/12/2025: Mon 29/12.
    assert dates["submit"][0] == date(2025, 12, 29)


def test_item_after_item_and_its_start(small_template):
    dates = _dates(small_template, OPENS_2026)

    # Outline Wed 10/12/2025, draft 5 working days later: Wed 17/12; starts 5 before: 10/12.
    assert dates["draft"] == (date(2025, 12, 17), date(2025, 12, 10))


def test_a_moved_day_off_in_the_calendar_table_moves_the_plan(small_template):
    plain = _dates(small_template, OPENS_2026)
    CalendarDayFactory(date=date(2026, 3, 2), kind=CalendarDay.Kind.DAY_OFF)

    moved = _dates(small_template, OPENS_2026)

    assert plain["venue"][0] == date(2026, 2, 26)
    assert moved["venue"][0] == date(2026, 2, 25)


def test_schedule_lists_dependencies_including_the_anchor_item(small_template):
    calendar = WorkingCalendar()
    schedule = plan_schedule(
        small_template,
        opens_on=OPENS_2026,
        superior_review_due=calendar.shift(OPENS_2026, -45),
        calendar=calendar,
    )
    keys = {s.item.pk: s.item.key for s in schedule}

    assert [s.item.key for s in schedule] == ["outline", "venue", "draft", "submit", "review"]
    assert {keys[s.item.pk]: sorted(keys[d] for d in s.depends_on) for s in schedule} == {
        "outline": [],
        "venue": [],
        "draft": ["outline"],
        "submit": ["draft"],
        "review": ["submit"],
    }


def test_a_cycle_in_a_template_is_refused(small_template):
    outline = small_template.items.get(key="outline")
    outline.depends_on.add(small_template.items.get(key="review"))

    with pytest.raises(Invalid) as error:
        _dates(small_template, OPENS_2026)

    assert "outline" in str(error.value.details["fields"]["items"][0])


@pytest.mark.parametrize(
    ("day", "offset"),
    [
        (date(2026, 3, 12), 0),
        (date(2026, 3, 11), 1),
        (date(2026, 2, 23), 13),
        (date(2026, 2, 13), 14),  # the Friday before Tết
        (date(2026, 2, 18), 14),  # in Tết: counts as the working day before it
        (date(2026, 3, 14), -1),  # Saturday after the opening: counts as Friday
        (date(2026, 3, 16), -2),  # Monday after: Thu 12 and Fri 13 lie between
    ],
)
def test_working_day_offset_from_the_opening(day, offset):
    assert working_day_offset(day, OPENS_2026, WorkingCalendar()) == offset


def test_moving_the_opening_across_tet_keeps_working_day_offsets():
    calendar = WorkingCalendar()
    # Opening moves from Thu 5/2/2026 (before Tết) to Thu 26/2/2026 (after it).
    old, new = date(2026, 2, 5), date(2026, 2, 26)

    # 5 working days before: Thu 29/1 -> Thu 12/2 (Tết week does not count).
    assert moved_day(date(2026, 1, 29), old_opening=old, new_opening=new, calendar=calendar) == (
        date(2026, 2, 12)
    )
    # 1 working day before: Wed 4/2 -> Wed 25/2.
    assert moved_day(date(2026, 2, 4), old_opening=old, new_opening=new, calendar=calendar) == (
        date(2026, 2, 25)
    )
    # 2 working days after: Mon 9/2 -> Mon 2/3.
    assert moved_day(date(2026, 2, 9), old_opening=old, new_opening=new, calendar=calendar) == (
        date(2026, 3, 2)
    )


def test_builtin_template_keeps_every_dependency_due_first(builtin):
    """For a congress opening on 12/3/2026, no item is due before an item it waits for."""
    calendar = WorkingCalendar()
    schedule = plan_schedule(
        builtin,
        opens_on=OPENS_2026,
        superior_review_due=calendar.shift(OPENS_2026, -45),
        calendar=calendar,
    )
    due = {s.item.pk: s.due_on for s in schedule}
    late = [
        (s.item.key, PlanItem.objects.get(pk=d).key)
        for s in schedule
        for d in s.depends_on
        if due[d] > s.due_on
    ]

    assert late == []
    assert all(s.due_on <= OPENS_2026 for s in schedule)


def test_the_migration_installs_the_builtin_template_once_with_its_items():
    from importlib import import_module

    from django.apps import apps

    from congress.models import PlanTemplate
    from congress.plan_builtin import ITEMS, KEY

    migration = import_module("congress.migrations.0004_builtin_plan_template")
    migration.install(apps, None)
    migration.install(apps, None)

    builtin = PlanTemplate.objects.get(key=KEY)
    items, depends_on = template_items(builtin)
    assert builtin.builtin is True
    assert [i.key for i in items] == [i.key for i in ITEMS]
    review = next(i for i in items if i.key == "superior_review")
    assert (review.anchor, review.offset_days, review.body_kind) == (
        "superior_review",
        0,
        "standing_committee",
    )
    assert sum(len(d) for d in depends_on.values()) == sum(len(i.depends_on) for i in ITEMS)
