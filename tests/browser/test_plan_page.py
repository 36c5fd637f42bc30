"""The plan page in a real browser, as the demo's steering-board head: the re-dating preview
of a later opening at desktop and phone width (read only: the session's demo stays as it is
for the other browser tests), and the plain member's read-only plan."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def _congress_id(site) -> int:
    return site.query("SELECT id FROM congress_congress ORDER BY id LIMIT 1")[0][0]


def test_the_redating_preview_on_desktop_and_phone(site, login):
    url = f"{site.url}/congresses/{_congress_id(site)}/plan/"
    for width, height, name in (
        (1280, 900, "plan-redate.png"),
        (390, 844, "plan-redate-phone.png"),
    ):
        page = login("huong.tt", width=width, height=height)
        page.goto(url)
        page.fill("#id_opens_on", "2027-05-14")
        page.click('[data-form="redate"] form[method="get"] button[type=submit]')
        expect(page.locator("[data-redate-preview]")).to_be_visible()
        assert page.locator("tr[data-move]").count() > 0
        assert page.locator("[data-no-longer-late]").count() > 0
        expect(page.locator('[data-form="redate"] form[method="post"] button')).to_be_visible()
        screenshot(page, name, full_page=False)
        assert page.errors == []


def test_a_plain_member_reads_the_plan(site, login):
    page = login("mai.ht", width=390, height=844)
    page.goto(f"{site.url}/congresses/{_congress_id(site)}/plan/")
    expect(page.locator("[data-plan-tasks] li").first).to_be_visible()
    expect(page.locator('[data-form="redate"]')).to_have_count(0)
    screenshot(page, "plan-member-phone.png", full_page=False)
    assert page.errors == []
