"""The month calendar at scale: a day cell shows its milestones and the first few deadlines
(the user's own first, then by time) with "+N more" linking to the day view, which lists
them all, page by page. Counted by the database per local day, through the visibility rule,
in a number of queries that does not grow with the tasks."""

import re
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import HANOI
from workflows.models import Document, Task
from workflows.web.month import DAY_CELL_ENTRIES
from workflows.web.views.calendar import DAY_PAGE_SIZE

DAY = "2025-08-14"
ENTRY = re.compile(
    r'<li class="entry entry-(task|document|consultation)[^"]*">\s*<a href="([^"]+)"'
)


def at(hour: int, minute: int = 0, day: int = 14, month: int = 8) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=HANOI)


def cell(html: str, day: str = DAY) -> str:
    """The inside of the month grid's cell of `day`."""
    match = re.search(rf'<td data-day="{day}"[^>]*>(.*?)</td>', html, re.S)
    assert match, f"no cell for {day}"
    return match.group(1)


def entry_links(html: str) -> list[str]:
    return [link for _kind, link in ENTRY.findall(html)]


def more_of(html: str) -> int | None:
    match = re.search(r'data-more="(\d+)"', html)
    return int(match.group(1)) if match else None


def month(client, *, mine: bool = False) -> str:
    response = client.get("/calendar/", {"month": "2025-08", **({"mine": "1"} if mine else {})})
    assert response.status_code == 200
    return response.content.decode()


def day_view(client, day: str = DAY, **params):
    response = client.get("/calendar/", {"day": day, **params})
    assert response.status_code == 200
    return response


def test_a_day_cell_shows_the_users_own_deadlines_first_then_by_time_and_how_many_more(
    web, world, make_task
):
    others = [
        make_task(assignee=world.docs_member2, due_at=at(8 + n), title=f"Việc {n}")
        for n in range(4)
    ]
    own = make_task(assignee=world.docs_member, due_at=at(17), title="Việc của tôi")
    html = cell(month(web(world.docs_member)))
    assert entry_links(html) == [
        f"/tasks/{own.pk}/",
        f"/tasks/{others[0].pk}/",
        f"/tasks/{others[1].pk}/",
    ]
    assert DAY_CELL_ENTRIES == 3
    assert more_of(html) == 2
    assert f'href="/calendar/?day={DAY}"' in html
    assert "+2 more" in html
    # the day before has nothing: no link, no count
    assert entry_links(cell(month(web(world.docs_member)), "2025-08-13")) == []
    assert more_of(cell(month(web(world.docs_member)), "2025-08-13")) is None


def test_a_day_within_the_cap_has_no_more_link(web, world, make_task):
    for n in range(3):
        make_task(due_at=at(9 + n))
    html = cell(month(web(world.docs_member)))
    assert len(entry_links(html)) == 3
    assert more_of(html) is None


def test_milestones_are_always_shown_besides_the_deadlines(web, world, make_task):
    # The congress opens on 18/09/2025; its superior review is due on 15/07/2025.
    for n in range(5):
        make_task(due_at=at(8 + n, day=18, month=9))
    response = web(world.docs_member).get("/calendar/", {"month": "2025-09"})
    html = cell(response.content.decode(), "2025-09-18")
    assert 'data-milestone="opening"' in html
    assert len(entry_links(html)) == DAY_CELL_ENTRIES
    assert more_of(html) == 2
    july = web(world.docs_member).get("/calendar/", {"month": "2025-07"}).content.decode()
    assert 'data-milestone="superior_review"' in cell(july, "2025-07-15")


def test_documents_and_consultations_share_the_cells_cap(web, world, make_task, make_document):
    make_task(assignee=world.docs_member2, due_at=at(7))
    make_task(assignee=world.docs_member2, due_at=at(8))
    due = make_document(title="Dự thảo Nghị quyết", rapporteur=world.docs_member2, due_at=at(9))
    closing = make_document(
        title="Báo cáo chính trị",
        rapporteur=world.docs_member2,
        status=Document.Status.CONSULTATION,
        consultation_closes_at=at(6),
    )
    html = cell(month(web(world.docs_member)))
    links = entry_links(html)
    assert links[0] == f"/documents/{closing.pk}/"
    assert len(links) == 3 and f"/documents/{due.pk}/" not in links
    assert more_of(html) == 1


def test_deadlines_fall_on_their_day_in_ha_noi(web, world, make_task):
    # 00:30 on the 15th in Hà Nội is still the 14th in UTC.
    late = make_task(due_at=at(0, 30, day=15))
    html = month(web(world.docs_member))
    assert entry_links(cell(html, "2025-08-15")) == [f"/tasks/{late.pk}/"]
    assert entry_links(cell(html)) == []


def test_the_mine_tab_counts_and_shows_only_the_users_own(web, world, make_task):
    for n in range(5):
        make_task(assignee=world.docs_member2, due_at=at(8 + n))
    own = [make_task(due_at=at(18 + n)) for n in range(4)]
    html = month(web(world.docs_member), mine=True)
    day = cell(html)
    assert entry_links(day) == [f"/tasks/{task.pk}/" for task in own[:3]]
    assert more_of(day) == 1
    assert f'href="/calendar/?day={DAY}&amp;mine=1"' in day
    assert 'href="?month=2025-07&amp;mine=1"' in html
    assert 'href="?month=2025-09&amp;mine=1"' in html


def test_cancelled_tasks_are_not_counted(web, world, make_task):
    for n in range(3):
        make_task(due_at=at(8 + n))
    make_task(due_at=at(12), status=Task.Status.CANCELLED)
    assert more_of(cell(month(web(world.docs_member)))) is None


def test_the_month_page_costs_the_same_queries_and_entries_with_5_or_50_tasks_a_day(
    web, world, make_task
):
    client = web(world.docs_member)

    def measure() -> tuple[int, int, str]:
        month(client)  # the session and caches settle on the first view
        with CaptureQueriesContext(connection) as queries:
            html = month(client)
        return len(queries), len(entry_links(html)), cell(html)

    for n in range(5):
        make_task(due_at=at(8, n), assignee=world.docs_member2)
    few_queries, few_entries, few_cell = measure()
    for n in range(45):
        make_task(due_at=at(9, n), assignee=world.docs_member2)
    many_queries, many_entries, many_cell = measure()
    assert many_queries == few_queries
    assert few_entries == many_entries == DAY_CELL_ENTRIES
    assert (more_of(few_cell), more_of(many_cell)) == (2, 47)


def test_the_day_view_lists_every_deadline_of_the_day_page_by_page(
    web, world, make_task, make_document
):
    own = make_task(due_at=at(20), title="Việc của tôi")
    others = [
        make_task(assignee=world.docs_member2, due_at=at(7) + timedelta(minutes=n))
        for n in range(DAY_PAGE_SIZE + 5)
    ]
    document = make_document(rapporteur=world.docs_member2, due_at=at(12))
    make_task(due_at=at(9, day=15))  # another day
    client = web(world.docs_member)
    first = day_view(client)
    html = first.content.decode()
    assert 'data-count="57"' in html
    links = entry_links(html)
    assert len(links) == DAY_PAGE_SIZE
    assert links[:3] == [f"/tasks/{own.pk}/", f"/tasks/{others[0].pk}/", f"/tasks/{others[1].pk}/"]
    second = day_view(client, page="2").content.decode()
    rest = entry_links(second)
    assert len(rest) == 7
    assert f"/documents/{document.pk}/" in rest
    assert set(links) | set(rest) == {
        f"/tasks/{own.pk}/",
        f"/documents/{document.pk}/",
        *(f"/tasks/{task.pk}/" for task in others),
    }
    assert f'href="?day={DAY}&amp;page=2"' in html
    assert 'href="?day=2025-08-13"' in html and 'href="?day=2025-08-15"' in html
    assert 'href="?month=2025-08"' in html


def test_the_day_view_costs_the_same_queries_with_5_or_60_deadlines(web, world, make_task):
    client = web(world.docs_member)

    def measure() -> int:
        day_view(client)
        with CaptureQueriesContext(connection) as queries:
            day_view(client)
        return len(queries)

    for n in range(5):
        make_task(due_at=at(8, n))
    few = measure()
    for n in range(55):
        make_task(due_at=at(9, n))
    assert measure() == few


def test_the_day_view_mine_tab_and_milestones(web, world, make_task):
    own = make_task(due_at=at(9, day=18, month=9))
    make_task(assignee=world.docs_member2, due_at=at(8, day=18, month=9))
    client = web(world.docs_member)
    html = day_view(client, "2025-09-18", mine="1").content.decode()
    assert entry_links(html) == [f"/tasks/{own.pk}/"]
    assert 'data-count="1"' in html
    assert 'data-milestone="opening"' in html
    assert 'href="?day=2025-09-19&amp;mine=1"' in html
    assert 'data-count="2"' in day_view(client, "2025-09-18").content.decode()


def test_an_empty_day_says_so(web, world):
    html = day_view(web(world.docs_member)).content.decode()
    assert 'data-count="0"' in html
    assert entry_links(html) == []
    assert 'class="empty"' in html


def test_the_day_view_is_a_live_fragment(web, world, make_task):
    make_task(due_at=at(9))
    response = day_view(web(world.docs_member), fragment="calendar-day")
    html = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert "<html" not in html and 'data-count="1"' in html


@pytest.fixture
def confidential_day(world, make_task, make_document):
    """On 14/08: two documents tasks, and the personnel subcommittee's three tasks, a
    document due and a consultation closing."""
    visible = [make_task(due_at=at(15 + n), assignee=world.docs_member2) for n in range(2)]
    for n in range(3):
        make_task(
            body=world.personnel,
            assignee=world.personnel_member,
            due_at=at(8 + n),
            title=f"Nhân sự mật {n}",
        )
    make_document(
        body=world.personnel,
        kind=Document.Kind.PERSONNEL_PLAN,
        title="Đề án nhân sự mật",
        rapporteur=world.personnel_member,
        due_at=at(11),
    )
    make_document(
        body=world.personnel,
        kind=Document.Kind.PERSONNEL_PLAN,
        title="Đề án nhân sự mật (lấy ý kiến)",
        rapporteur=world.personnel_member,
        status=Document.Status.CONSULTATION,
        consultation_closes_at=at(12),
    )
    return visible


def test_confidential_work_is_neither_counted_nor_shown_to_who_may_not_see_it(
    web, world, confidential_day
):
    client = web(world.docs_member)
    html = month(client)
    day = cell(html)
    assert entry_links(day) == [f"/tasks/{task.pk}/" for task in confidential_day]
    assert more_of(day) is None
    page = day_view(client).content.decode()
    assert 'data-count="2"' in page
    assert entry_links(page) == [f"/tasks/{task.pk}/" for task in confidential_day]
    for text in (html, page):
        assert "mật" not in text


def test_confidential_work_is_counted_for_its_body_and_the_standing_committee(
    web, world, confidential_day
):
    for user in (world.personnel_member, world.sc_head):
        client = web(user)
        day = cell(month(client))
        assert len(entry_links(day)) == DAY_CELL_ENTRIES
        assert more_of(day) == 4
        page = day_view(client).content.decode()
        assert 'data-count="7"' in page
        assert len(entry_links(page)) == 7


@pytest.mark.parametrize(
    "value",
    [
        "",
        "abc",
        "2025-13-01",
        "2025-02-30",
        "2025-8-14",
        "20250814",
        "2025-W33-4",
        "0001-01-01",
        "9999-12-31",
        "1999-12-31",
        "\uff12\uff10\uff12\uff15-08-14",  # full-width digits
        "2025-08-14\n",
        "2025-08-14T00:00",
        "x" * 5000,
    ],
)
def test_a_bad_day_shows_the_month(web, world, value):
    response = web(world.docs_member).get("/calendar/", {"day": value, "month": "2025-08"})
    assert response.status_code == 200
    assert response.context["month"].isoformat() == "2025-08-01"
    assert "weeks" in response.context


@pytest.mark.parametrize("value", ["", "2025", "2025-13", "2025-00", "-1-1", "ab-cd", "2025-08-01"])
def test_a_bad_month_shows_the_current_month(web, world, value):
    response = web(world.docs_member).get("/calendar/", {"month": value})
    assert response.status_code == 200
    assert response.context["month"].day == 1


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "1e9", "²"])
def test_a_bad_day_page_falls_back_to_a_real_page(web, world, make_task, page):
    make_task(due_at=at(9))
    response = day_view(web(world.docs_member), page=page)
    assert entry_links(response.content.decode()) != []


def test_the_first_and_last_days_have_no_link_beyond_the_range(web, world):
    first = day_view(web(world.docs_member), "2000-01-01").content.decode()
    assert 'aria-label="Previous day"' not in first and 'href="?day=2000-01-02"' in first
    last = day_view(web(world.docs_member), "2100-12-31").content.decode()
    assert 'aria-label="Next day"' not in last and 'href="?day=2100-12-30"' in last
