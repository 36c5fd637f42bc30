"""The plan's timeline on the demo congress in a real browser: the Gantt at desktop width with
the critical path and the forecast, a list by week at phone width; a change of a task's
dates refreshes an open timeline live."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_live

pytestmark = pytest.mark.browser


def congress_id(site) -> int:
    return site.query("SELECT id FROM congress_congress ORDER BY id LIMIT 1")[0][0]


def test_the_timeline_at_desktop_width_draws_the_plan_and_its_forecast(site, login):
    page = login("huong.tt")
    page.goto(f"/congresses/{congress_id(site)}/timeline/")

    expect(page.locator(".gantt")).to_be_visible()
    expect(page.locator(".forecast-item")).to_have_count(2)
    assert page.locator("rect.gantt-bar").count() >= 30
    assert page.locator("rect.gantt-critical").count() >= 1
    expect(page.locator(".timeline-weeks")).to_be_hidden()
    screenshot(page, "timeline.png", full_page=True)

    first = page.locator("a.gantt-row").first
    href = first.get_attribute("href")
    first.click()
    expect(page).to_have_url(f"{site.server.url}{href}")


def test_the_timeline_at_phone_width_is_a_list_by_week_with_slack(site, login):
    page = login("mai.ht", width=390, height=844)
    page.goto(f"/congresses/{congress_id(site)}/timeline/")

    expect(page.locator(".gantt")).to_be_hidden()
    weeks = page.locator(".timeline-weeks section")
    expect(weeks.first).to_be_visible()
    expect(weeks.first.locator(".slack").first).to_have_text(re.compile(r"ngày"))
    screenshot(page, "timeline-phone.png", full_page=True)


def test_an_open_timeline_refreshes_when_a_task_moves(site, login):
    page = login("huong.tt")
    page.goto(f"/congresses/{congress_id(site)}/timeline/?zoom=week")
    wait_live(page)
    (task_id,) = site.query(
        "SELECT id FROM workflows_task WHERE status = 'todo' AND due_at IS NOT NULL "
        "ORDER BY id LIMIT 1"
    )[0]
    bar = page.locator(f'rect[data-task="{task_id}"]')
    before = float(bar.get_attribute("width"))

    site.api("huong.tt", "PATCH", f"/api/v1/tasks/{task_id}/", {"duration_days": 40})

    expect(bar).not_to_have_attribute("width", f"{before:.1f}", timeout=15000)
    assert float(bar.get_attribute("width")) > before
