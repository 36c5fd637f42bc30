"""The superior level's journey through the pages (issue 22's "done when"), on the demo's
Hải Phòng city above four districts, in a real browser at a desk (1280 px): the city's office
(`hoa.vptu`) reads the forecasts of the congresses under it and pushes the built-in plan to
Ngô Quyền, whose secretary sees the request on the plan page; the city's documents reviewer
(`vinh.tg`) comments on a section of Kiến An's review report and the head of the city's
standing committee (`thanh.lv`) returns it with a reason; Kiến An's rapporteur (`tgiao.ka`)
takes the city's comment in, adds a new draft and submits it; the district's steps approve it
up to the city again, and the city approves it. The two superior pages (the pushed plans and
the review) fit a phone's 390 px. Screenshots go to docs/screenshots/superior-*.png with
UPDATE_SCREENSHOTS=1 (var/screenshots otherwise)."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import demo_site, page_opener, screenshot

pytestmark = pytest.mark.browser

OFFICE, HEAD, REVIEWER = "hoa.vptu", "thanh.lv", "vinh.tg"
SECRETARY, RAPPORTEUR, NQ_SECRETARY = "bithu.ka", "tgiao.ka", "bithu.nq"
CITY = "Đảng bộ thành phố Hải Phòng"
NGO_QUYEN, HONG_BANG = "Đảng bộ quận Ngô Quyền", "Đảng bộ quận Hồng Bàng"
REPORT = "Báo cáo kiểm điểm của Ban Chấp hành Đảng bộ quận Kiến An"
SECTION = "II. Hạn chế, khuyết điểm"
COMMENT = "Đề nghị nêu rõ các chỉ tiêu không đạt và nguyên nhân của từng chỉ tiêu."
REASON = "Đề nghị tiếp thu ý kiến của Ban Tuyên giáo Thành ủy về phần hạn chế, khuyết điểm."
ANSWER = "Đã bổ sung ba chỉ tiêu không đạt và nguyên nhân vào mục II."
SECOND_DRAFT = """BÁO CÁO KIỂM ĐIỂM SỰ LÃNH ĐẠO, CHỈ ĐẠO CỦA BAN CHẤP HÀNH ĐẢNG BỘ QUẬN KIẾN AN

I. Ưu điểm
Ban Chấp hành đã lãnh đạo thực hiện đạt và vượt 18/21 chỉ tiêu Nghị quyết Đại hội.

II. Hạn chế, khuyết điểm
Ba chỉ tiêu không đạt: thu ngân sách, tỷ lệ hộ nghèo, tỷ lệ dân số tham gia bảo hiểm y tế.

III. Nguyên nhân và bài học kinh nghiệm
Nguyên nhân chủ quan là chủ yếu; bài học về nêu gương của người đứng đầu.
"""
PHONE = 390
FITS = f"document.documentElement.scrollWidth <= {PHONE}"


@pytest.fixture(scope="module")
def site(browser_available, tmp_path_factory):
    """A demo of its own: the journey decides Kiến An's report and pushes a plan, which the
    other browser tests' pages must not meet."""
    yield from demo_site(tmp_path_factory, "superior-site")


@pytest.fixture
def login(browser, site):
    """The city's people follow four congresses and sit in none of their bodies: their login
    lands on the chooser (or their own city's congress)."""
    yield from page_opener(browser, site, landing="**/congresses/**")


def success(page, text: str):
    expect(page.locator(".message-success")).to_contain_text(text)


def on_a_phone(page, name: str):
    """The page at a phone's width: nothing wider than the screen; then back at the desk."""
    page.set_viewport_size({"width": PHONE, "height": 844})
    expect(page.locator("main h1").first).to_be_visible()
    assert page.evaluate(FITS), f"{page.url} is wider than {PHONE} px"
    screenshot(page, name, full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def confirm(page):
    """The page's dialog asks before an approval: yes."""
    dialog = page.locator("#prompt-dialog")
    expect(dialog.locator("[data-prompt-question]")).to_be_visible()
    dialog.locator("[data-prompt-ok]").click()


def push_the_plan(office, apply_by: date):
    office.click(".main-nav >> text=Theo dõi cấp dưới")
    expect(office.locator("h1")).to_contain_text(CITY)
    rows = office.locator("table.oversight-table tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.filter(has_text=HONG_BANG)).to_have_attribute("data-forecast", "late")
    expect(rows.filter(has_text=NGO_QUYEN)).to_have_attribute("data-forecast", "on_time")
    screenshot(office, "superior-oversight.png", full_page=True)

    office.click(".page-head >> text=Giao kế hoạch")
    office.wait_for_url("**/superior/plans/**")
    expect(office.locator("#pushed ~ p")).to_contain_text("Chưa giao kế hoạch nào")
    office.fill("#id_deadline", apply_by.isoformat())
    office.get_by_label(f"Đại hội đại biểu {NGO_QUYEN}", exact=False).check()
    office.click("#push ~ form button[type=submit]")
    success(office, "Đã giao kế hoạch cho 1 Đại hội.")
    pushed = office.locator("section[aria-labelledby=pushed] tbody tr")
    expect(pushed).to_have_count(1)
    expect(pushed).to_contain_text(NGO_QUYEN)
    expect(pushed).to_contain_text(apply_by.strftime("%d/%m/%Y"))
    expect(pushed.locator("td").last).to_have_text("Chưa")
    screenshot(office, "superior-plans.png", full_page=True)
    on_a_phone(office, "superior-plans-phone.png")


def see_the_request(secretary, apply_by: date):
    secretary.click(".main-nav >> text=Kế hoạch")
    banner = secretary.locator("[data-directive]")
    expect(banner).to_contain_text(CITY)
    expect(banner).to_contain_text(apply_by.strftime("%d/%m/%Y"))


def comment_on_a_section(reviewer) -> int:
    reviewer.click(".main-nav >> text=Cấp trên cho ý kiến")
    reviewer.locator(".doc-row").filter(has_text=REPORT).locator("a.doc-title").click()
    reviewer.wait_for_url("**/superior/reviews/*/")
    section = reviewer.locator(f'section[data-section="{SECTION}"]')
    section.locator("textarea").fill(COMMENT)
    reviewer.click("form.consult-form button[type=submit]")
    success(reviewer, "Đã ghi nhận 1 ý kiến.")
    expect(section.locator("[data-sent]")).to_contain_text(COMMENT)
    screenshot(reviewer, "superior-review.png", full_page=True)
    on_a_phone(reviewer, "superior-review-phone.png")
    return int(reviewer.locator("[data-review]").first.get_attribute("data-review"))


def return_with_a_reason(head, document_id: int):
    head.click(".main-nav >> text=Cấp trên cho ý kiến")
    head.click(f'[data-review="{document_id}"] a.doc-title')
    expect(head.locator(f'section[data-section="{SECTION}"] [data-sent]')).to_contain_text(COMMENT)
    head.click("button[data-transition=return]")
    dialog = head.locator("#prompt-dialog")
    dialog.locator("#prompt-text").fill(REASON)
    dialog.locator("[data-prompt-ok]").click()
    left_the_queue(head, "Đang soạn thảo")


def left_the_queue(head, status: str):
    """After the decision the review page sends the head back to the queue, now empty."""
    head.wait_for_url("**/superior/reviews/")
    expect(head.locator(".message-info")).to_contain_text(f"hiện ở trạng thái “{status}”")
    expect(head.locator(".doc-row")).to_have_count(0)


def answer_and_resubmit(rapporteur, document_id: int):
    rapporteur.goto(f"/documents/{document_id}/")
    expect(rapporteur.locator("[data-last-reason]")).to_contain_text(REASON)
    comment = rapporteur.locator("li.comment").filter(has_text=COMMENT)
    expect(comment.locator(".comment-head strong")).to_have_text(CITY)
    expect(comment.locator(".section-ref")).to_have_text(SECTION)
    comment.locator("details.answer summary").click()
    comment.locator("select[name=disposition]").select_option("accepted")
    comment.locator("textarea[name=response]").fill(ANSWER)
    comment.locator("button[type=submit]").click()
    comment = rapporteur.locator("li.comment").filter(has_text=COMMENT)
    expect(comment.locator(".status")).to_have_text("Tiếp thu")
    expect(comment.locator(".response")).to_contain_text(ANSWER)

    upload = rapporteur.locator("#upload")
    upload.locator("summary").click()
    upload.locator("textarea[name=text]").fill(SECOND_DRAFT)
    upload.locator("input[name=note]").fill("Dự thảo lần 2, tiếp thu ý kiến của Thành ủy")
    upload.locator("button[type=submit]").click()
    expect(rapporteur.locator("#versions .count")).to_have_text("2")
    rapporteur.click("button[data-transition=submit]")
    expect(rapporteur.locator('[data-step="subcommittee_review"]')).to_have_attribute(
        "aria-current", "step"
    )


def approve(page, step: str):
    """Approves the document's current step from its page (`step`: the step it reaches)."""
    page.click("button[data-transition=approve]")
    confirm(page)
    expect(page.locator(f'[data-step="{step}"]')).to_have_attribute("aria-current", "step")


def test_the_city_follows_its_districts_and_decides_a_review_report_in_the_pages(login, site):
    apply_by = date.today() + timedelta(days=30)
    office = login(OFFICE)
    push_the_plan(office, apply_by)
    see_the_request(login(NQ_SECRETARY), apply_by)

    reviewer = login(REVIEWER)
    document_id = comment_on_a_section(reviewer)
    head = login(HEAD)
    return_with_a_reason(head, document_id)

    rapporteur = login(RAPPORTEUR)
    answer_and_resubmit(rapporteur, document_id)
    approve(rapporteur, "steering_review")
    secretary = login(SECRETARY)
    secretary.goto(f"/documents/{document_id}/")
    approve(secretary, "standing_committee_review")
    approve(secretary, "superior_review")

    head.click(".main-nav >> text=Cấp trên cho ý kiến")
    head.click(f'[data-review="{document_id}"] a.doc-title')
    expect(head.locator("[data-pending]")).to_have_count(0)  # the city's comment is answered
    head.click("button[data-transition=approve]")
    confirm(head)
    left_the_queue(head, "Đã thông qua")
    rapporteur.reload()
    expect(rapporteur.locator(".detail-head .status")).to_have_text("Đã thông qua")
    screenshot(rapporteur, "superior-approved.png", full_page=True)
    pages = (office, reviewer, head, rapporteur, secretary)
    assert [error for page in pages for error in page.errors] == []
