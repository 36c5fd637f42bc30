"""The timeline page and the dashboard's forecast card: the schedule drawn for the people who
may see it, the critical path marked, the forecast against the two milestones in words."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.web.conftest import SECRET_TASK

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
