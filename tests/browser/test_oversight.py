"""The oversight page (/oversight/, issue 22) in a real browser, at a desk (1280 px) and on a
phone (390 px): the demo's Hải Phòng city above Lê Chân and three more districts, with a ward
congress under Lê Chân that the district's office sets up through the API. At a desk a table
sorted by its headings; on a phone a card per congress, nothing wider than the screen.
Screenshots go to docs/screenshots/oversight-*.png with UPDATE_SCREENSHOTS=1 (var/screenshots
otherwise)."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, demo_site, screenshot

pytestmark = pytest.mark.browser

CITY_OFFICE, OFFICE = "hoa.vptu", "vanphong"
WARD = "Đảng bộ phường Dư Hàng Kênh"
OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.fixture(scope="module")
def site(browser_available, tmp_path_factory):
    """A demo of its own: the ward's congress would change what the other browser tests'
    logins land on."""
    yield from demo_site(tmp_path_factory, "oversight-site")


@pytest.fixture
def login(browser, site):
    """A page logged in through the login form, in Vietnamese (as conftest's `login`, but
    landing on the dashboard or, once the ward has its congress, the congress chooser)."""
    contexts = []

    def open_page(username: str, width: int = 1280, height: int = 900):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            base_url=site.url,
            accept_downloads=True,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("form.stack button[type=submit]")
        page.wait_for_url("**/congresses/**")
        return page

    yield open_page
    for context in contexts:
        context.close()


def ward_congress(site) -> None:
    """The ward's congress, opening in about two months (before Lê Chân's): set up by Lê Chân's
    office."""
    if site.query("SELECT 1 FROM congress_congress WHERE number = 1"):
        return
    ward = site.query("SELECT id FROM congress_organization WHERE name = ?", WARD)[0][0]
    day = date.today() + timedelta(days=60)
    day += timedelta(days=(1 - day.weekday()) % 7)  # a Tuesday
    site.api(
        OFFICE,
        "POST",
        "/api/v1/congresses/",
        {
            "organization": ward,
            "number": 1,
            "term_start": 2025,
            "term_end": 2030,
            "opens_on": day.isoformat(),
        },
    )


def test_the_oversight_page_is_a_table_at_a_desk(login, site):
    page = login(CITY_OFFICE)  # the city's office: it follows every congress under the city
    ward_congress(site)
    page.click(".main-nav >> text=Theo dõi cấp dưới")

    expect(page.locator("h1")).to_contain_text("Đảng bộ thành phố Hải Phòng")
    table = page.locator("table.oversight-table")
    expect(table.locator("thead")).to_be_visible()
    rows = table.locator("tbody tr")
    # The ward under Lê Chân and the demo's four districts, the first to open first.
    expect(rows).to_have_count(5)
    expect(rows.nth(0)).to_contain_text(WARD)
    expect(rows.nth(1)).to_contain_text("Đảng bộ quận Hồng Bàng")
    expect(rows.nth(1)).to_have_attribute("data-forecast", "late")
    lechan = rows.filter(has_text="Đảng bộ quận Lê Chân")
    expect(lechan.locator(".oversight-forecast")).not_to_contain_text("Chưa có dự báo")
    screenshot(page, "oversight-desktop.png", full_page=True)

    page.click("thead >> text=Hạn cấp trên cho ý kiến")  # fewest days first: the same order
    page.click("thead >> text=Hạn cấp trên cho ý kiến")  # then the reverse
    expect(rows.nth(0)).to_contain_text("Đảng bộ quận Ngô Quyền")  # it opens last
    assert "ordering=-days_to_deadline" in page.url

    page.select_option("#id_level", "ward")
    page.click("form.oversight-filters button[type=submit]")
    expect(rows).to_have_count(1)
    with page.expect_download() as download:
        page.click("[data-export]")
    assert download.value.suggested_filename.endswith(".xlsx")
    assert page.errors == []


def test_the_oversight_page_is_a_card_per_congress_on_a_phone(login, site):
    page = login(CITY_OFFICE, width=390, height=844)
    ward_congress(site)
    page.goto("/oversight/")

    table = page.locator("table.oversight-table")
    expect(table.locator("thead")).to_be_hidden()
    cards = table.locator("tbody tr")
    expect(cards).to_have_count(5)
    first = cards.nth(0).bounding_box()
    second = cards.nth(1).bounding_box()
    assert first and second and first["y"] + first["height"] <= second["y"]  # one below another
    assert first["width"] <= 390
    assert page.evaluate(OVERFLOW), "the page is wider than the phone's screen"
    screenshot(page, "oversight-phone.png", full_page=True)
    assert page.errors == []
