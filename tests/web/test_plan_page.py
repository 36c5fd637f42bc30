"""The plan page (/congresses/{id}/plan/) and the congress form (/congresses/{id}/edit/):
a template applied after a preview that shows exactly what the apply writes, the re-dating
preview when the opening moves (late tasks that would stop being late named), the banner on
every page when the plan is dated for another opening, and the page read-only for members."""

import html
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress.models import Congress, OrganizationOffice
from notifications.models import Event
from tests.factories import UserFactory
from tests.plans.conftest import small_template  # noqa: F401
from workflows.models import AuditEntry, Task

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
BEFORE = datetime(2025, 6, 2, 9, 0, tzinfo=HCM)  # before every deadline of the small plan


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def _rows(response, attr: str) -> dict[str, list[str]]:
    """data-<attr> row id -> the texts of its cells."""
    page = html.unescape(response.content.decode())
    rows = {}
    for match in re.finditer(rf'<tr data-{attr}="([^"]+)"[^>]*>(.*?)</tr>', page, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", match.group(2), re.S)
        rows[match.group(1)] = [re.sub(r"<[^>]+>|\s+", " ", c).strip() for c in cells]
    return rows


def _plan(world):
    return f"/congresses/{world.congress.pk}/plan/"


@pytest.fixture
def applied(world, web, small_template):  # noqa: F811
    with time_machine.travel(BEFORE, tick=False):
        web(world.steering_head).post(
            _plan(world), {"action": "apply", "template": small_template.pk}
        )
    return {t.plan_item.key: t for t in Task.objects.filter(congress=world.congress)}


@time_machine.travel(BEFORE, tick=False)
def test_apply_preview_shows_exactly_what_apply_then_writes(world, web, small_template):  # noqa: F811
    client = web(world.steering_head)
    before = (Task.objects.count(), Event.objects.count(), AuditEntry.objects.count())

    preview = client.get(_plan(world), {"template": small_template.pk})

    assert preview.status_code == 200
    assert (Task.objects.count(), Event.objects.count(), AuditEntry.objects.count()) == before
    shown = _rows(preview, "proposed")
    assert shown["venue"] == [
        "Chuẩn bị hội trường",
        "Tiểu ban Tổ chức phục vụ",
        "—",
        "04/09/2025",
        "10",
    ]
    response = client.post(_plan(world), {"action": "apply", "template": small_template.pk})

    assert response.status_code == 302
    written = {
        t.plan_item.key: [
            t.title,
            t.body.name,
            t.assignee.get_full_name() if t.assignee else "—",
            t.due_at.astimezone(HCM).strftime("%d/%m/%Y"),
        ]
        for t in Task.objects.filter(congress=world.congress).select_related("body", "assignee")
    }
    assert {key: cells[:4] for key, cells in shown.items()} == written
    assert world.congress.__class__.objects.get(pk=world.congress.pk).plan_opens_on == date(
        2025, 9, 18
    )


@time_machine.travel(BEFORE, tick=False)
def test_applying_twice_shows_the_refusal_next_to_the_apply_form(
    world,
    web,
    applied,
    small_template,  # noqa: F811
):
    response = web(world.steering_head).get(_plan(world), {"template": small_template.pk})

    page = _text(response)
    form = page[page.index('data-form="apply"') : page.index('data-form="redate"')]
    assert "This plan has already been applied to this congress." in form
    assert "data-apply-preview" not in page


def test_redate_preview_names_late_tasks_that_stop_being_late_and_writes_nothing(
    world, web, applied
):
    # On 10/9/2025 the venue (due 4/9) is late; opening three weeks later, it is due 25/9.
    with time_machine.travel(datetime(2025, 9, 10, 9, 0, tzinfo=HCM), tick=False):
        before = (Event.objects.count(), AuditEntry.objects.count())
        response = web(world.steering_head).get(_plan(world), {"opens_on": "2025-10-09"})

        assert (Event.objects.count(), AuditEntry.objects.count()) == before
        venue = applied["venue"]
        moves = _rows(response, "move")
        assert moves[str(venue.pk)][2:4] == ["04/09/2025", "25/09/2025"]
        assert "late today, not late after the move" in moves[str(venue.pk)][0]
        draft = applied["draft"]  # due later than today: not late before, not named
        assert "late today" not in moves[str(draft.pk)][0]

        done = web(world.steering_head).post(
            _plan(world), {"action": "redate", "opens_on": "2025-10-09"}
        )

    assert done.status_code == 302
    venue.refresh_from_db()
    assert venue.due_at.astimezone(HCM).date() == date(2025, 9, 25)
    assert Congress.objects.get(pk=world.congress.pk).opens_on == date(2025, 10, 9)


def test_plain_members_see_the_plan_read_only(world, web, applied):
    response = web(world.docs_member).get(_plan(world))

    page = _text(response)
    assert response.status_code == 200
    assert "Chuẩn bị hội trường" in page and "04/09/2025" in page
    assert 'data-form="apply"' not in page and 'data-form="redate"' not in page
    assert 'name="action"' not in page
    refused = web(world.docs_member).post(
        _plan(world), {"action": "redate", "opens_on": "2025-10-09"}
    )
    assert refused.status_code == 403
    assert Congress.objects.get(pk=world.congress.pk).opens_on == date(2025, 9, 18)


# The congress form


def _edit(world):
    return f"/congresses/{world.congress.pk}/edit/"


def _form(world, **changes):
    congress = world.congress
    data = {
        "number": congress.number,
        "term_start": congress.term_start,
        "term_end": congress.term_end,
        "opens_on": congress.opens_on.isoformat(),
        "closes_on": congress.closes_on.isoformat() if congress.closes_on else "",
        "venue": congress.venue,
    }
    return {**data, **changes}


@time_machine.travel(BEFORE, tick=False)
def test_moving_the_opening_in_the_congress_form_shows_the_redating_first(world, web, applied):
    client = web(world.steering_head)
    venue = applied["venue"]

    preview = client.post(_edit(world), _form(world, opens_on="2025-10-09", venue="Hội trường A"))

    assert preview.status_code == 200
    assert _rows(preview, "move")[str(venue.pk)][2:4] == ["04/09/2025", "25/09/2025"]
    assert 'value="Hội trường A"' in _text(preview)  # what was typed is kept
    assert Congress.objects.get(pk=world.congress.pk).opens_on == date(2025, 9, 18)

    other = _form(world, opens_on="2025-10-16", confirm="redate", previewed="2025-10-09")
    again = client.post(_edit(world), other)  # changed after the preview: previewed again
    assert again.status_code == 200 and "data-redate-preview" in _text(again)
    assert Congress.objects.get(pk=world.congress.pk).opens_on == date(2025, 9, 18)

    typed = _form(world, opens_on="2025-10-09", venue="Hội trường A")
    saved = client.post(_edit(world), {**typed, "confirm": "redate", "previewed": "2025-10-09"})

    assert saved.status_code == 302
    congress = Congress.objects.get(pk=world.congress.pk)
    assert (congress.opens_on, congress.plan_opens_on, congress.venue) == (
        date(2025, 10, 9),
        date(2025, 10, 9),
        "Hội trường A",
    )
    venue.refresh_from_db()
    assert venue.due_at.astimezone(HCM).date() == date(2025, 9, 25)


def test_the_congress_form_refuses_plain_members(world, web):
    response = web(world.docs_member).get(_edit(world))

    assert response.status_code == 403


@time_machine.travel(BEFORE, tick=False)
def test_the_banner_appears_when_the_plan_is_dated_for_another_opening_and_goes_after_redating(
    world, web, applied
):
    client = web(world.steering_head)
    assert "data-plan-stale" not in _text(client.get("/tasks/"))
    Congress.objects.filter(pk=world.congress.pk).update(opens_on=date(2025, 10, 9))

    for path in (f"/congresses/{world.congress.pk}/", "/tasks/", _plan(world)):
        page = _text(client.get(path))
        assert (
            "The plan is dated for an opening on 18/09/2025, but the congress opens on "
            "09/10/2025." in page
        )

    client.post(_plan(world), {"action": "redate", "opens_on": "2025-10-09"})
    assert "data-plan-stale" not in _text(client.get("/tasks/"))


@time_machine.travel(BEFORE, tick=False)
def test_the_banner_costs_no_query(world, web, applied, django_assert_num_queries):
    client = web(world.steering_head)
    client.get("/tasks/")
    with CaptureQueriesContext(connection) as plain:
        client.get("/tasks/")
    Congress.objects.filter(pk=world.congress.pk).update(opens_on=date(2025, 10, 9))
    with django_assert_num_queries(len(plain.captured_queries)):
        page = client.get("/tasks/")
    assert "data-plan-stale" in _text(page)


def test_the_office_edits_the_congress_from_the_checklist_link(world, web):
    office = UserFactory(username="van.phong")
    OrganizationOffice.objects.create(user=office, organization=world.org)
    client = web(office)
    checklist = _text(client.get(f"/congresses/{world.congress.pk}/setup/"))
    assert f'href="{_edit(world)}" data-congress-edit' in checklist
    assert 'value="2025-09-18"' in _text(client.get(_edit(world)))

    response = client.post(
        _edit(world), _form(world, venue="Nhà văn hóa quận", closes_on="2025-09-17")
    )

    assert response.status_code == 200  # closing before opening: refused next to the form
    assert 'value="Nhà văn hóa quận"' in _text(response)
    saved = client.post(_edit(world), _form(world, venue="Nhà văn hóa quận"))
    assert saved.status_code == 302
    assert Congress.objects.get(pk=world.congress.pk).venue == "Nhà văn hóa quận"
