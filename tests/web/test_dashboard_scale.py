"""The dashboard of a large congress: bounded cards (the next deadlines), the chart counted by
the database, and the forecast card cached under the key of what the schedule depends on,
without ever showing one user's view of the plan to someone who may see less of it."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress.services import body_apply
from tests.factories import TaskFactory
from tests.web.conftest import SECRET_TASK
from workflows.models import Task
from workflows.services.tasks import task_update
from workflows.web.chart import open_tasks_chart

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2025, 6, 2, 9, 0, tzinfo=HANOI)  # a Monday


@pytest.fixture(autouse=True)
def frozen():
    # Frozen: every save has the same `updated_at`, so the forecast's key must not rely on it.
    with time_machine.travel(NOW, tick=False):
        yield


def due(days: int) -> datetime:
    return datetime.combine(NOW.date() + timedelta(days=days), time(17, 0), HANOI)


def dashboard(web, user, world) -> str:
    response = web(user).get(f"/congresses/{world.congress.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def forecast_card(html: str) -> str:
    start = html.index('class="card forecast"')
    return html[start : html.index("</section>", start)]


def test_the_next_deadlines_card_shows_the_first_ten_and_how_many_there_are(web, world, make_task):
    for n in range(14):
        make_task(title=f"Hạn tuần này {n:02d}", due_at=due(1) + timedelta(minutes=n))
    make_task(title="Hạn tuần sau", due_at=due(9))

    html = dashboard(web, world.docs_head, world)

    card = html[html.index('id="deadlines-title"') :]
    card = card[: card.index("</section>")]
    assert card.count('<li class="') == 10
    assert "Hạn tuần này 00" in card and "Hạn tuần này 09" in card
    assert "Hạn tuần này 10" not in card and "Hạn tuần sau" not in card
    assert 'data-deadlines-total="14"' in card
    assert "due=week" in card


def test_a_short_week_shows_every_deadline_without_a_total(web, world, make_task):
    make_task(title="Hạn duy nhất", due_at=due(2))

    html = dashboard(web, world.docs_head, world)

    assert "Hạn duy nhất" in html
    assert "data-deadlines-total" not in html


def test_the_chart_counts_overdue_weekly_undated_and_later_tasks(world, make_task):
    make_task(due_at=due(-3))  # overdue
    make_task(due_at=NOW - timedelta(hours=1))  # due earlier today: overdue too
    make_task(due_at=due(0))  # later today: this week
    make_task(due_at=due(4))  # this week (Friday)
    make_task(due_at=due(7))  # next Monday
    make_task(due_at=due(8))
    make_task(due_at=None)
    make_task(due_at=datetime(2025, 12, 1, 17, 0, tzinfo=HANOI))  # after the opening
    make_task(due_at=due(1), status=Task.Status.DONE)  # not open: not counted
    TaskFactory(body=world.personnel, due_at=due(1))  # confidential: docs_member sees nothing

    chart = open_tasks_chart(world.docs_member, world.congress, date(2025, 7, 1))

    assert chart.open_total == 8
    assert chart.bars[0].overdue and chart.bars[0].count == 2
    assert [b.count for b in chart.bars[1:3]] == [2, 2]
    assert chart.undated == 1 and chart.after_opening == 1
    assert chart.bars[0].remaining == 6 and chart.bars[2].remaining == 2


def test_the_dashboard_does_as_many_queries_for_sixty_tasks_as_for_fifteen(web, world, make_task):
    def queries() -> int:
        client = web(world.docs_head)
        client.get(f"/congresses/{world.congress.pk}/")
        with CaptureQueriesContext(connection) as captured:
            client.get(f"/congresses/{world.congress.pk}/")
        return len(captured)

    for n in range(15):  # more deadlines this week than the card shows: it counts them
        make_task(title=f"Việc {n}", due_at=due(n % 6))
    few = queries()
    for n in range(45):
        make_task(title=f"Việc thêm {n}", due_at=due(n % 9), status=Task.Status.IN_PROGRESS)
    assert queries() == few


@pytest.fixture
def chain(world, make_task):
    """Two tasks, the second waiting for the first, the first five days late already."""
    first = make_task(title="Soạn đề cương", duration_days=5, due_at=due(1))
    second = make_task(title="Hoàn thiện dự thảo", duration_days=2, due_at=due(3))
    second.depends_on.add(first)
    return first, second


def test_a_second_view_reuses_the_forecast_and_a_change_of_the_plan_shows_at_once(
    web, world, chain
):
    first, _second = chain
    client = web(world.docs_head)
    path = f"/congresses/{world.congress.pk}/"
    before = forecast_card(client.get(path).content.decode())
    with CaptureQueriesContext(connection) as second_view:
        client.get(path)
    # The schedule reads when each started task started; a cached card reads nothing of it.
    start_dates = [q for q in second_view if "workflows_auditentry" in q["sql"]]
    assert start_dates == []

    task_update(actor=world.docs_head, task_id=first.pk, duration_days=1)
    after = forecast_card(client.get(path).content.decode())

    assert after != before


def test_a_new_dependency_changes_the_forecast_on_the_next_view(web, world, make_task):
    first = make_task(title="Việc đầu", duration_days=10, due_at=due(20))
    last = make_task(title="Việc cuối", duration_days=1, due_at=due(3))
    client = web(world.docs_head)
    path = f"/congresses/{world.congress.pk}/"
    before = forecast_card(client.get(path).content.decode())

    last.depends_on.add(first)  # straight on the table: no version moves
    after = forecast_card(client.get(path).content.decode())

    assert after != before
    assert "Việc đầu" in after


def test_a_leaders_cached_forecast_never_reaches_a_member_who_may_not_see_it(web, world, make_task):
    secret = TaskFactory(body=world.personnel, title=SECRET_TASK, duration_days=9, due_at=due(2))
    assert secret.body.confidential
    leader_card = forecast_card(dashboard(web, world.sc_head, world))
    assert SECRET_TASK in leader_card  # the critical path goes through it

    member = dashboard(web, world.docs_member, world)

    assert SECRET_TASK not in member


def test_a_body_made_confidential_leaves_the_members_forecast_on_the_next_view(
    web, world, make_task
):
    task = TaskFactory(
        body=world.orgbody, title="Bố trí hội trường", duration_days=9, due_at=due(2)
    )
    assert not task.body.confidential
    assert "Bố trí hội trường" in forecast_card(dashboard(web, world.docs_member, world))

    body_apply(actor=world.sc_head, body=world.orgbody, confidential=True)

    assert "Bố trí hội trường" not in dashboard(web, world.docs_member, world)
