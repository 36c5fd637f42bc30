"""GET /api/v1/congresses/{id}/schedule/: the plan's passes as the caller may see it, the body
filter and the what-if delay."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from workflows.models import Task

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime(2025, 6, 2, 9, 0, tzinfo=HANOI)  # a Monday, 16/6 onwards has no holiday


def due(day: date) -> datetime:
    return datetime.combine(day, time(17, 0), HANOI)


@pytest.fixture
def plan(world, make_task):
    """draft (3) -> review (2) due Fri 6/6; the personnel list (2) is confidential."""
    draft = make_task(title="Dự thảo", duration_days=3, starts_on=date(2025, 6, 2))
    review = make_task(title="Góp ý", duration_days=2, due_at=due(date(2025, 6, 6)))
    review.depends_on.add(draft)
    secret = make_task(
        title="Danh sách nhân sự",
        body=world.personnel,
        assignee=world.personnel_member,
        duration_days=2,
        due_at=due(date(2025, 6, 3)),
    )
    loose = make_task(title="Việc chưa lên lịch", due_at=None, starts_on=None)
    return {"draft": draft, "review": review, "secret": secret, "loose": loose}


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def schedule_of(api, user, congress, **params):
    return api(user).get(f"/api/v1/congresses/{congress.pk}/schedule/", params)


def test_a_leader_gets_the_whole_plan_with_slack_and_the_critical_path(world, api, plan):
    response = schedule_of(api, world.sc_head, world.congress)

    assert response.status_code == 200
    data = response.json()
    tasks = {t["title"]: t for t in data["tasks"]}
    assert data["today"] == "2025-06-02"
    assert set(tasks) == {"Dự thảo", "Góp ý", "Danh sách nhân sự"}
    assert tasks["Dự thảo"]["earliest_finish"] == "2025-06-04"
    assert tasks["Góp ý"]["earliest_start"] == "2025-06-05"
    assert tasks["Góp ý"]["earliest_finish"] == "2025-06-06"
    assert tasks["Góp ý"]["slack_days"] == 0
    assert tasks["Dự thảo"]["slack_days"] == 0
    assert tasks["Danh sách nhân sự"]["slack_days"] == 0
    assert data["unscheduled"] == [plan["loose"].pk]
    assert data["critical_path"] == [plan["draft"].pk, plan["review"].pk]
    assert {m["key"] for m in data["milestones"]} == {"superior_review", "opening"}


def test_a_documents_member_never_sees_the_confidential_task(world, api, plan):
    data = schedule_of(api, world.docs_member, world.congress).json()

    ids = {t["id"] for t in data["tasks"]} | set(data["unscheduled"])
    assert plan["secret"].pk not in ids
    assert plan["secret"].pk not in data["critical_path"]
    assert "Danh sách nhân sự" not in str(data)


def test_the_what_if_delay_shows_what_a_slip_does(world, api, plan):
    data = schedule_of(api, world.docs_head, world.congress, delay=f"{plan['draft'].pk}:2").json()
    tasks = {t["title"]: t for t in data["tasks"]}

    assert tasks["Góp ý"]["earliest_finish"] == "2025-06-10"
    assert tasks["Góp ý"]["slack_days"] == -2
    assert tasks["Góp ý"]["late_by_days"] == 2
    assert tasks["Góp ý"]["critical"] is True
    assert Task.objects.get(pk=plan["draft"].pk).duration_days == 3  # nothing written


def test_the_body_filter_keeps_that_body_s_tasks(world, api, plan):
    data = schedule_of(api, world.sc_head, world.congress, body=world.personnel.pk).json()
    assert [t["title"] for t in data["tasks"]] == ["Danh sách nhân sự"]
    assert data["unscheduled"] == []


@pytest.mark.parametrize("delay", ["x", "1:0", "1:251", "1", ":3", "99999999:2"])
def test_a_bad_delay_is_a_400_that_says_how_to_write_it(world, api, plan, delay):
    response = schedule_of(api, world.docs_head, world.congress, delay=delay)
    assert response.status_code == 400
    assert "delay" in response.json()


def test_a_hidden_task_cannot_be_delayed_by_someone_who_may_not_see_it(world, api, plan):
    response = schedule_of(api, world.docs_member, world.congress, delay=f"{plan['secret'].pk}:2")
    assert response.status_code == 400


def test_an_outsider_gets_404(world, api, plan):
    assert schedule_of(api, world.outsider, world.congress).status_code == 404


def test_the_schedule_costs_one_query_per_table(
    world, api, plan, make_task, django_assert_max_num_queries
):
    for index in range(30):
        task = make_task(title=f"t{index}", duration_days=2, due_at=due(date(2025, 7, 1)))
        task.depends_on.add(plan["draft"])
    client = api(world.sc_head)
    with django_assert_max_num_queries(12):
        assert client.get(f"/api/v1/congresses/{world.congress.pk}/schedule/").status_code == 200
