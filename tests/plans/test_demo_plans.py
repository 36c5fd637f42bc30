"""The demo: Lê Chân's existing plan linked to the built-in template (not applied a second
time), moving with the opening date; Resolution 10-NQ/QU's targets at 8/20 met or exceeded
for the first six months of 2024, as the district committee reported."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from congress.models import Resolution
from congress.targets import period_summary, targets_of
from workflows.demo.plans import DEMO_LINKS, load_demo_plans
from workflows.models import Task

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def demo(db):
    from workflows.demo.congress import load_demo

    loaded = load_demo(now=NOW)
    if not Resolution.objects.filter(code="10-NQ/QU").exists():
        load_demo_plans(congress=loaded["congress"], users_by_username=loaded["users"], now=NOW)
    return loaded


def test_the_demo_plan_is_linked_not_duplicated(demo, builtin):
    tasks = Task.objects.filter(congress=demo["congress"])

    assert tasks.count() == 44
    assert tasks.filter(plan_item__template=builtin).count() == len(DEMO_LINKS) == 41
    unlinked = set(tasks.filter(plan_item=None).values_list("title", flat=True))
    assert unlinked == {
        demo["tasks"][key].title for key in ("progress_report", "data_update_2025", "event_company")
    }
    assert demo["tasks"]["superior_review"].title in set(
        tasks.filter(plan_item__key="superior_review").values_list("title", flat=True)
    )
    demo["congress"].refresh_from_db()
    assert demo["congress"].plan_opens_on == demo["congress"].opens_on


def test_the_demo_plan_moves_with_the_opening(demo, api):
    congress = demo["congress"]
    huong = demo["users"]["huong.tt"]
    later = congress.opens_on.toordinal() + 14

    response = api(huong).get(
        f"/api/v1/congresses/{congress.pk}/redate-preview/",
        {"opens_on": datetime.fromordinal(later).date().isoformat()},
    )

    assert response.status_code == 200
    data = response.json()
    open_linked = Task.objects.filter(
        congress=congress, plan_item__isnull=False, status__in=Task.OPEN_STATES
    ).count()
    assert len(data["moves"]) == open_linked
    assert data["staying"] == 41 - open_linked


def test_the_demo_targets_read_8_of_20_at_six_months_2024(demo):
    targets = list(targets_of(demo["users"]["mai.ht"], demo["organization"]))

    summary = period_summary(targets, "six_months", 2024)

    assert (summary.met_or_exceeded, summary.total) == (8, 20)
    assert (summary.exceeded, summary.met, summary.not_met) == (5, 3, 12)
    with translation.override("vi"):
        assert summary.text == "8/20 chỉ tiêu đạt và vượt"
    revenue = next(t for t in targets if t.code == "1")
    assert "1.005,6 tỷ đồng" in revenue.results.get().note
