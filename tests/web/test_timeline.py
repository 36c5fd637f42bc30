"""The timeline page and the dashboard's forecast card: the schedule drawn for the people who
may see it, the critical path marked, the forecast against the two milestones in words."""

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.web.conftest import SECRET_TASK
from workflows.web import gantt

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime(2025, 6, 2, 9, 0, tzinfo=HANOI)


def due(day: date) -> datetime:
    return datetime.combine(day, time(17, 0), HANOI)


@pytest.fixture
def plan(world, make_task):
    with time_machine.travel(TODAY, tick=False):
        draft = make_task(title="Soạn dự thảo lần 1", duration_days=3, starts_on=date(2025, 6, 2))
        review = make_task(title="Họp góp ý dự thảo", duration_days=2, due_at=due(date(2025, 6, 5)))
        review.depends_on.add(draft)
    return draft, review


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_the_timeline_draws_the_plan_with_the_critical_path_and_what_is_late(web, world, plan):
    _draft, review = plan
    response = web(world.docs_head).get(f"/congresses/{world.congress.pk}/timeline/?zoom=week")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Soạn dự thảo lần 1" in html and "Họp góp ý dự thảo" in html
    # Five working days of work before Thursday 5/6: one day late, on the critical path.
    assert f'class="gantt-bar gantt-critical gantt-late" data-task="{review.pk}"' in html
    assert "1 working day late" in html
    assert f'href="/tasks/{review.pk}/"' in html
    assert "today" in html


def test_the_timeline_zooms_by_month_and_lists_weeks_for_phones(web, world, plan):
    html = (
        web(world.docs_head)
        .get(f"/congresses/{world.congress.pk}/timeline/?zoom=month")
        .content.decode()
    )
    assert 'aria-current="true">By month' in html
    assert "06/2025" in html
    assert "Week of 02/06/2025" in html


def test_a_documents_member_never_sees_a_confidential_task_on_the_timeline(
    web, world, plan, secret
):
    html = web(world.docs_member).get(f"/congresses/{world.congress.pk}/timeline/").content
    assert SECRET_TASK.encode() not in html


def test_the_timeline_of_another_congress_is_a_404(web, world, plan):
    response = web(world.outsider).get(f"/congresses/{world.congress.pk}/timeline/")
    assert response.status_code == 404


def test_the_dashboard_says_the_forecast_and_what_drives_it(web, world, plan):
    draft, _review = plan
    html = web(world.sc_head).get(f"/congresses/{world.congress.pk}/").content.decode()
    assert "Forecast" in html
    assert "The critical path (least slack):" in html
    assert f'href="/tasks/{draft.pk}/"' in html


# The timeline at scale: one page of rows, filters, counts (a page size of 5 stands for 150).

ROW = re.compile(r'<rect class="gantt-bar[^"]*" data-task="(\d+)"')
PAGE = 5


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(gantt, "PAGE_SIZE", PAGE)


@pytest.fixture
def many(world, make_task, plan):
    """Twelve more tasks, each with weeks to spare, after the two late ones of the plan."""
    return [
        make_task(title=f"Chuẩn bị hội trường {n}", starts_on=date(2025, 6, 2)) for n in range(12)
    ]


def timeline(client, congress, query="") -> str:
    response = client.get(f"/congresses/{congress.pk}/timeline/{query}")
    assert response.status_code == 200
    return response.content.decode()


def drawn(html: str) -> list[int]:
    return [int(i) for i in ROW.findall(html)]


def test_a_large_plan_draws_one_page_of_rows_with_the_counts_and_the_pages(
    web, world, plan, many, small_pages
):
    client = web(world.docs_head)
    first = timeline(client, world.congress)
    assert len(drawn(first)) == PAGE
    assert 'data-rows="5" data-total="14"' in first
    assert "Rows 1\u20135 of 14" in first
    assert "Page 1 of 3" in first
    assert 'href="?page=2" rel="next"' in first and 'rel="prev"' not in first

    last = timeline(client, world.congress, "?page=3&zoom=week")
    assert len(drawn(last)) == 4
    assert "Rows 11\u201314 of 14" in last
    assert 'href="?zoom=week&amp;page=2" rel="prev"' in last and 'rel="next"' not in last
    # Every task is drawn once over the three pages.
    middle = timeline(client, world.congress, "?page=2")
    everything = drawn(first) + drawn(middle) + drawn(last)
    assert sorted(everything) == sorted([*(t.pk for t in plan), *(t.pk for t in many)])


def test_a_large_plan_opens_on_the_critical_path_and_the_late_tasks(
    web, world, plan, many, make_task, small_pages
):
    draft, review = plan
    # Ten working days of work due on Friday 6/6: five days late, the critical path.
    late = make_task(title="Tổng hợp ý kiến", duration_days=10, due_at=due(date(2025, 6, 6)))
    html = timeline(web(world.docs_head), world.congress)
    assert drawn(html)[:3] == [late.pk, draft.pk, review.pk]
    assert '<option value="slack" selected>' in html
    assert "1 on the critical path" in html and "3 late tasks in the plan" in html
    # In schedule order the long task starts today too but ends last: not on the first page.
    in_order = timeline(web(world.docs_head), world.congress, "?sort=start")
    assert late.pk not in drawn(in_order)


def test_critical_only_keeps_the_critical_path_and_the_late_tasks(
    web, world, plan, many, make_task, small_pages
):
    late = make_task(title="Tổng hợp ý kiến", duration_days=10, due_at=due(date(2025, 6, 6)))
    html = timeline(web(world.docs_head), world.congress, "?only=critical")
    assert sorted(drawn(html)) == sorted([late.pk, *(t.pk for t in plan)])
    assert 'data-total="3"' in html and 'class="pagination"' not in html


def test_open_only_leaves_the_done_tasks_out(web, world, plan, make_task):
    finished = make_task(
        title="Thành lập tổ biên tập", status="done", completed_at=due(date(2025, 5, 30))
    )
    client = web(world.docs_head)
    assert finished.pk in drawn(timeline(client, world.congress))
    assert finished.pk not in drawn(timeline(client, world.congress, "?only=open"))


def test_the_body_filter_keeps_one_bodys_tasks_and_the_page_links_keep_it(
    web, world, plan, many, make_task, small_pages
):
    hall = [
        make_task(body=world.orgbody, title=f"Trang trí {n}", starts_on=date(2025, 6, 2))
        for n in range(7)
    ]
    html = timeline(web(world.sc_head), world.congress, f"?body={world.orgbody.pk}")
    assert set(drawn(html)) <= {t.pk for t in hall} and len(drawn(html)) == PAGE
    assert 'data-total="7"' in html
    assert f'href="?body={world.orgbody.pk}&amp;page=2" rel="next"' in html
    assert html.count('class="gantt-group"') == 1


def test_a_confidential_body_filter_shows_nothing_of_its_work(web, world, plan, secret):
    personnel = world.personnel.pk
    html = timeline(web(world.docs_member), world.congress, f"?body={personnel}")
    assert SECRET_TASK not in html and secret.task.pk not in drawn(html)
    assert f'<option value="{personnel}"' not in html
    # Its own member sees it, alone.
    own = timeline(web(world.personnel_member), world.congress, f"?body={personnel}")
    assert drawn(own) == [secret.task.pk]


def test_a_small_plan_draws_every_row_in_schedule_order_on_one_page(web, world, plan):
    draft, review = plan
    html = timeline(web(world.docs_head), world.congress)
    assert drawn(html) == [draft.pk, review.pk]
    assert '<option value="start" selected>' in html
    assert 'class="pagination"' not in html and "Rows " not in html
    assert "2 tasks" in html


@pytest.mark.parametrize(
    "query",
    [
        "?page=abc&body=x&only=nope&sort=zzz&zoom=year",
        "?page=-1",
        "?page=0",
        "?page=99999999999999999999999",
        "?body=99999999999999999999999",
        "?body=-3&page=1e3",
        "?only=critical&body=&sort=&zoom=",
    ],
)
def test_bad_parameters_fall_back_to_the_defaults(web, world, plan, many, small_pages, query):
    html = timeline(web(world.docs_head), world.congress, query)
    assert len(drawn(html)) == PAGE or "only=critical" in query
    assert 'aria-current="true">By month' in html


def test_a_page_past_the_last_is_the_last(web, world, plan, many, small_pages):
    html = timeline(web(world.docs_head), world.congress, "?page=40")
    assert "Page 3 of 3" in html and len(drawn(html)) == 4


def test_the_page_does_not_grow_with_the_plan_beyond_its_rows(
    web, world, plan, make_task, small_pages
):
    client = web(world.docs_head)

    def add(n):
        for i in range(n):
            make_task(title=f"Việc {i:03d}", starts_on=date(2025, 6, 2))

    add(10)
    timeline(client, world.congress)  # the first request fills the per-process caches
    with CaptureQueriesContext(connection) as smaller_queries:
        smaller = timeline(client, world.congress)
    add(30)
    with CaptureQueriesContext(connection) as larger_queries:
        larger = timeline(client, world.congress)
    assert len(drawn(smaller)) == len(drawn(larger)) == PAGE
    assert smaller.count("data-week-task=") == larger.count("data-week-task=") <= PAGE
    assert larger.count("<polyline") <= PAGE and larger.count("<a ") == smaller.count("<a ")
    assert abs(len(larger) - len(smaller)) < 100
    assert len(larger_queries) == len(smaller_queries)


def test_a_filter_that_keeps_nothing_says_so(web, world, make_task):
    make_task(title="Thành lập tổ biên tập", status="done", completed_at=due(date(2025, 5, 30)))
    html = timeline(web(world.docs_head), world.congress, "?only=critical")
    assert drawn(html) == [] and 'data-total="0"' in html
    assert "No task matches these filters." in html
    assert "No task of the plan has dates or dependencies yet." not in html
