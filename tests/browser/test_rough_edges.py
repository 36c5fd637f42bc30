"""Issue 12's rough edges in a real browser: the live indicator says its state in words, a
comment over the limit shows a counter while typing and comes back with its error beside the
form and its text kept, at phone width."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import wait_live

pytestmark = pytest.mark.browser


def test_the_live_indicator_says_its_state_in_words(site, login):
    member = login("mai.ht", width=390)
    member.goto("/tasks/")
    wait_live(member)
    words = member.locator("[data-live-words]")
    label = member.locator("[data-live-label]")
    expect(label).to_be_visible()
    expect(label).to_have_text(words.get_attribute("data-live"))
    assert label.get_attribute("aria-live") == "polite"

    member.context.set_offline(True)
    member.evaluate("window.CongressLive.drop()")
    expect(label).to_have_text(words.get_attribute("data-off"))
    member.context.set_offline(False)
    wait_live(member)
    expect(label).to_have_text(words.get_attribute("data-live"))


def test_a_comment_over_the_limit_is_counted_and_comes_back_in_its_form(site, login):
    (report,) = site.query("SELECT id FROM workflows_document WHERE kind = 'political_report'")
    head = login("huong.tt", width=390)
    head.goto(f"/documents/{report[0]}/")
    head.locator("details.add-comment summary").click()
    area = head.locator("details.add-comment textarea[name=text]")
    area.fill("Góp ý")
    counter = head.locator("details.add-comment .char-count")
    expect(counter).to_have_text(re.compile(r"^5/20\.000"))
    long_text = "Đề nghị bổ sung số liệu. " * 802  # 20,050 characters
    area.fill(long_text)
    expect(counter).to_have_class(re.compile("over"))
    expect(counter).to_contain_text("20.050/20.000")
    assert len(area.input_value()) == len(long_text)  # nothing was cut

    head.fill("details.add-comment input[name=section]", "Phần thứ nhất, I")
    with head.expect_navigation():
        head.locator("details.add-comment button[type=submit]").click()
    form = head.locator("details.add-comment[open]")
    expect(form.locator(".error")).to_contain_text("20.000")
    assert form.locator("input[name=section]").input_value() == "Phần thứ nhất, I"
    assert form.locator("textarea[name=text]").input_value() == long_text
    expect(form.locator("textarea[name=text]")).to_be_focused()
    width = head.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_the_dashboard_prints_on_a4_without_navigation_black_on_white(site, login, tmp_path):
    head = login("huong.tt")
    head.emulate_media(media="print")
    expect(head.locator(".main-nav")).to_be_hidden()
    expect(head.locator(".tools")).to_be_hidden()
    expect(head.locator(".site-footer")).to_be_hidden()
    expect(head.locator(".congress-bar")).to_be_visible()  # the congress's title stays
    colours = head.evaluate(
        "[getComputedStyle(document.body).backgroundColor,"
        " getComputedStyle(document.querySelector('main h1, main h2')).color]"
    )
    assert colours == ["rgb(255, 255, 255)", "rgb(0, 0, 0)"]
    pdf = head.pdf(prefer_css_page_size=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and all(
        (round(float(w)), round(float(h))) == (595, 842) for w, h in boxes
    )  # A4 in points
