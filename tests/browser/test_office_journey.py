"""The office's journey through the set-up pages (issue 12), in a real browser: `vanphong`,
the office of Đảng bộ quận Lê Chân (not staff), sets up the congress of the ward Dư Hàng
Kênh under it, from the new congress to the progress report, counting the forms it posts; the
ward's party secretary, whom the office names head of the steering board, applies and
re-dates the plan (leading the congress is not the office's: docs/DECISIONS.md, Office).
What grants rights (the ward's standing committee and steering board, their leaders, the
members of the standing committee and of the personnel subcommittee) waits for the standing
committee: the ward's has no leader yet, so Lê Chân's head (`huong.tt`) confirms it (issue 20).
Then every new page again at phone width: nothing wider than the screen, one form posted.
Screenshots of each page, desktop and phone, go to docs/screenshots/office-*.png with
UPDATE_SCREENSHOTS=1."""

import io
from datetime import date, timedelta

import pytest
from docx import Document as WordDocument
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.browser.conftest import demo_site, page_opener, screenshot
from tests.browser.test_member_import import CHECK, GIVEN, IMPORT

pytestmark = pytest.mark.browser

OFFICE, SECRETARY, SUPERIOR = "vanphong", "trang.pt", "huong.tt"


@pytest.fixture(scope="module")
def site(browser_available, tmp_path_factory):
    """A demo of its own: the journey adds a congress, members and a second political report
    that the other browser tests' logins and queries must not meet."""
    yield from demo_site(tmp_path_factory, "journey-site")


@pytest.fixture
def login(browser, site):
    yield from page_opener(browser, site)


WARD = "Đảng bộ phường Dư Hàng Kênh"
STANDING, STEERING, DOCUMENTS, PERSONNEL = (
    "Ban Thường vụ Đảng ủy phường",
    "Ban Chỉ đạo Đại hội",
    "Tiểu ban Văn kiện",
    "Tiểu ban Nhân sự",
)
BODIES = (
    ("standing_committee", STANDING),
    ("steering_board", STEERING),
    ("documents", DOCUMENTS),
    ("personnel", PERSONNEL),  # the plan template has its tasks and no other body takes them
)
WAITING_ROWS = sum(
    BODIES[i % len(BODIES)][0] in ("standing_committee", "personnel") for i in range(30)
)
REPORT = "Báo cáo chính trị Đại hội Đảng bộ phường Dư Hàng Kênh lần thứ I"
# Every form the desktop journey posts, counted by the browser; the lead reports the number.
MOST_POSTS = 20
OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth + 1"


def opening_day(days: int) -> date:
    """A Tuesday about `days` ahead: a working day unless a holiday falls on it (the service
    says so then, and the journey would show it)."""
    day = date.today() + timedelta(days=days)
    return day + timedelta(days=(1 - day.weekday()) % 7)


def members_workbook(path, bad_row: bool):
    """30 people over the four bodies; the first of the documents subcommittee is its head
    (the plan gives its tasks to the head); row 20 names a body the congress does not have."""
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH THÀNH VIÊN CÁC BAN, TIỂU BAN ĐẠI HỘI"])
    sheet.append(["STT", "Họ và tên", "Email", "Số điện thoại", "Tiểu ban", "Vai trò"])
    for i in range(30):
        body = BODIES[i % len(BODIES)][1]
        if bad_row and i == 17:
            body = "Tiểu ban Hậu cần"
        role = "Trưởng Tiểu ban" if i == 2 else "Thành viên"
        name = f"Lê Thị {GIVEN[i % 10]} {i}"
        sheet.append([i + 1, name, f"dhk{i}@example.vn", f"09876543{i:02d}", body, role])
    book.save(path)
    return path


def draft_docx(path):
    document = WordDocument()
    document.add_heading(REPORT, level=1)
    document.add_paragraph(
        "Phần thứ nhất: Đánh giá kết quả thực hiện Nghị quyết nhiệm kỳ 2020-2025."
    )
    document.save(path)
    return path


class Posts:
    """The forms a page posts (navigations with POST), counted as they leave the browser."""

    def __init__(self):
        self.count = 0

    def watch(self, page):
        page.on("request", self._seen)
        return page

    def _seen(self, request):
        if request.method == "POST" and request.is_navigation_request():
            self.count += 1


# The elements that reach past the screen's right edge, to say what overflows.
WIDER = """() => [...document.querySelectorAll("body *")]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className} ${e.scrollWidth}px`)"""


def fits(page):
    assert page.evaluate(OVERFLOW), f"{page.url} is wider than the screen: {page.evaluate(WIDER)}"


def success(page, text: str):
    expect(page.locator(".message-success")).to_contain_text(text)


def ward_congress_id(site) -> int:
    return site.query(
        "SELECT c.id FROM congress_congress c JOIN congress_organization o "
        "ON o.id = c.organization_id WHERE o.name = ?",
        WARD,
    )[0][0]


def body_card(page, name: str):
    return page.locator("section[data-body]").filter(
        has=page.get_by_role("heading", name=name, exact=True)
    )


def create_congress(page, opens_on: date):
    page.goto("/congresses/new/")
    page.select_option("#id_organization", label=WARD)
    page.fill("#id_number", "1")
    page.fill("#id_term_start", "2025")
    page.fill("#id_term_end", "2030")
    page.fill("#id_opens_on", opens_on.isoformat())
    page.fill("#id_closes_on", (opens_on + timedelta(days=1)).isoformat())
    page.fill("#id_venue", "Hội trường Đảng ủy phường Dư Hàng Kênh")
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/setup/")
    success(page, "Dư Hàng Kênh")


PROPOSED = ("standing_committee", "steering_board")  # their leaders lead the congress


def create_bodies(page, congress_id: int):
    page.goto(f"/congresses/{congress_id}/bodies/")
    for kind, name in BODIES:
        page.select_option("#id_create-kind", kind)
        page.fill("#id_create-name", name)
        page.click("#new-body button[type=submit]")
        if kind in PROPOSED:
            expect(page.locator(".message-info")).to_contain_text(name)
        else:
            success(page, name)
    expect(page.locator("section[data-body]")).to_have_count(len(BODIES) - len(PROPOSED))
    expect(page.locator("#proposals [data-proposal]")).to_have_count(len(PROPOSED))


def confirm_all(page, count: int):
    """The superior's standing committee head confirms what waits for them, at once."""
    page.goto("/proposals/")
    expect(page.locator("section:has(#to-decide) [data-proposal]")).to_have_count(count)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-confirm-all]")
    success(page, str(count))
    expect(page.locator("section:has(#to-decide) [data-proposal]")).to_have_count(0)


def add_member(page, body: str, username: str, role: str, *, proposed=False):
    card = body_card(page, body)
    card.locator("input[name$='-user']").fill(username)
    card.locator("select[name$='-role']").last.select_option(role)
    card.locator("form[aria-label] button[type=submit]").click()
    if proposed:
        expect(page.locator(".message-info")).to_contain_text(body)
        return
    success(page, body)
    expect(body_card(page, body).locator(f'li[data-member="{username}"]')).to_be_visible()


def import_members(page, congress_id: int, tmp_path):
    url = f"/congresses/{congress_id}/members/import/"
    page.goto(url)
    page.set_input_files("#id_file", str(members_workbook(tmp_path / "bad.xlsx", True)))
    page.click(CHECK)
    bad = page.locator('tr.row-error[data-row="20"]')
    expect(bad.locator(".error")).to_contain_text("Tiểu ban Hậu cần")
    expect(page.locator(IMPORT)).to_have_count(0)
    page.goto(url)
    page.set_input_files("#id_file", str(members_workbook(tmp_path / "good.xlsx", False)))
    page.click(CHECK)
    expect(page.locator("tr[data-row]")).to_have_count(30)
    expect(page.locator("tr.row-error")).to_have_count(0)
    # The standing committee's and the personnel subcommittee's rows grant rights.
    expect(page.locator("tr[data-row]").filter(has_text="cần Thường trực xác nhận")).to_have_count(
        WAITING_ROWS
    )
    page.click(IMPORT)
    expect(page.locator(".message-success")).to_be_visible()


def preview_plan_on_a_phone(phone, congress_id: int):
    phone.goto(f"/congresses/{congress_id}/plan/")
    phone.locator("#apply form[method=get] button[type=submit]").click()
    preview = phone.locator("[data-apply-preview]")
    expect(preview.locator("tr[data-proposed]").first).to_be_visible()
    fits(phone)
    preview.scroll_into_view_if_needed()
    screenshot(phone, "office-plan-phone.png")


def apply_plan(page, congress_id: int) -> int:
    page.goto(f"/congresses/{congress_id}/plan/")
    page.locator("#apply form[method=get] button[type=submit]").click()
    preview = page.locator("[data-apply-preview] tr[data-proposed]")
    expect(preview.first).to_be_visible()
    proposed = preview.count()
    screenshot(page, "office-plan.png", full_page=True)
    page.locator("[data-apply-preview] form button[type=submit]").click()
    success(page, str(proposed))
    expect(page.locator("[data-plan-task]")).to_have_count(proposed)
    return proposed


def redate_plan(site, page, congress_id: int, opens_on: date):
    before = dict(
        site.query("SELECT id, due_at FROM workflows_task WHERE congress_id = ?", congress_id)
    )
    page.fill("#id_opens_on", opens_on.isoformat())
    page.locator("#redate form[method=get] button[type=submit]").click()
    moves = page.locator("[data-redate-preview] tr[data-move]")
    expect(moves.first).to_be_visible()
    expect(page.locator("[data-redate-preview]")).to_contain_text(opens_on.strftime("%d/%m/%Y"))
    moving = moves.count()
    page.locator("#redate form[method=post] button[type=submit]").click()
    success(page, str(moving))
    after = dict(
        site.query("SELECT id, due_at FROM workflows_task WHERE congress_id = ?", congress_id)
    )
    moved = [pk for pk in before if before[pk] != after[pk]]
    assert len(moved) == len(before), "every open plan task moves with the opening"
    task_id = moved[0]
    shown = page.locator(f'[data-plan-task="{task_id}"] .meta')
    new_due = after[task_id][:10]
    expect(shown).to_contain_text(f"{new_due[8:10]}/{new_due[5:7]}/{new_due[:4]}")


def create_report(page, congress_id: int, tmp_path):
    page.goto(f"/documents/new/?congress={congress_id}")
    page.select_option("#id_kind", "political_report")
    page.fill("#id_title", REPORT)
    page.select_option("#id_body", label=DOCUMENTS)
    page.select_option("#id_rapporteur", index=1)
    page.set_input_files("#id_file", str(draft_docx(tmp_path / "bao-cao-chinh-tri.docx")))
    page.fill("#id_note", "Dự thảo lần 1, gửi Tiểu ban cho ý kiến.")
    screenshot(page, "office-document-new.png", full_page=True)
    page.click("form.stack button[type=submit].btn-primary")
    page.wait_for_url("**/documents/*/")
    success(page, REPORT)
    expect(page.locator("h1")).to_contain_text(REPORT)


def edit_and_reassign(site, page, congress_id: int):
    head_id, task_id, title = site.query(
        "SELECT t.assignee_id, t.id, t.title FROM workflows_task t JOIN congress_body b "
        "ON b.id = t.body_id WHERE t.congress_id = ? AND b.name = ? ORDER BY t.due_at LIMIT 1",
        congress_id,
        DOCUMENTS,
    )[0]
    (new_id, new_name) = site.query(
        "SELECT u.id, u.username FROM congress_user u "
        "JOIN congress_membership m ON m.user_id = u.id "
        "JOIN congress_body b ON b.id = m.body_id WHERE b.congress_id = ? AND b.name = ? "
        "AND u.id != ? AND u.username LIKE 'dhk%' ORDER BY u.id LIMIT 1",
        congress_id,
        DOCUMENTS,
        head_id,
    )[0]
    page.goto(f"/tasks/{task_id}/edit/")
    screenshot(page, "office-task-edit.png", full_page=True)
    page.fill("#id_title", f"{title} (phường)")
    page.select_option("#id_assignee", str(new_id))
    page.fill("#id_note", "Đồng chí phụ trách giúp Tiểu ban phần này.")
    page.click("button[name=save]")
    page.wait_for_url(f"**/tasks/{task_id}/")
    success(page, f"{title} (phường)")
    expect(page.locator("main")).to_contain_text(new_name)
    assert (
        site.query("SELECT assignee_id FROM workflows_task WHERE id = ?", task_id)[0][0] == new_id
    )


def enter_targets(page, congress_id: int, tmp_path):
    page.goto(f"/congresses/{congress_id}/targets/")
    page.fill("#id_resolution-code", "NQ-ĐH-I")
    page.fill("#id_resolution-title", "Nghị quyết Đại hội Đảng bộ phường nhiệm kỳ 2020-2025")
    page.fill("#id_resolution-term", "2020-2025")
    page.locator("form:has(input[value=resolution]) button[type=submit]").click()
    success(page, "")
    page.fill("#id_target-code", "CT1")
    page.fill("#id_target-name", "Tỷ lệ tổ chức đảng hoàn thành tốt nhiệm vụ")
    page.fill("#id_target-unit", "%")
    page.fill("#id_target-target_value", "90")
    page.locator("form:has(input[value=target]) button[type=submit]").click()
    row = page.locator('tr[data-target="CT1"]')
    expect(row).to_be_visible()
    record_result(page, "95,5")
    expect(row.locator("[data-status]")).to_have_attribute("data-status", "exceeded")
    expect(page.locator("[data-summary-text]")).to_contain_text("1/1")
    screenshot(page, "office-targets.png", full_page=True)
    with page.expect_download() as download:
        page.locator(".targets-downloads a[href*='docx']").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    text = "\n".join(p.text for p in WordDocument(io.BytesIO(saved.read_bytes())).paragraphs)
    tables = WordDocument(str(saved)).tables
    cells = " ".join(c.text for t in tables for r in t.rows for c in r.cells)
    assert "Tỷ lệ tổ chức đảng hoàn thành tốt nhiệm vụ" in text + cells


def record_result(page, value: str):
    """The row's result form opens from its "Enter a result" button."""
    folded = page.locator("details:has(input[value=result])")
    folded.locator("summary").click()
    folded.locator("input[name$='-value']").fill(value)
    folded.locator("button[type=submit]").click()


def search(page):
    page.goto("/search/?q=bao+cao+chinh+tri+du+hang+kenh")
    expect(page.locator(".search-hit").filter(has_text=REPORT)).to_have_count(1)
    screenshot(page, "office-search.png", full_page=True)


def test_the_office_sets_up_a_ward_congress_from_the_new_congress_to_the_progress_report(
    site, login, tmp_path
):
    posts = Posts()
    office = posts.watch(login(OFFICE))

    create_congress(office, opening_day(150))
    congress_id = ward_congress_id(site)
    expect(office.locator('[data-step="bodies"]')).to_have_attribute("data-done", "false")

    create_bodies(office, congress_id)
    superior = login(SUPERIOR)
    confirm_all(superior, len(PROPOSED))
    office.goto(f"/congresses/{congress_id}/bodies/")
    add_member(office, STEERING, SECRETARY, "head", proposed=True)
    # The office does not put itself in a body: that is for a leader to do (below).
    screenshot(office, "office-bodies.png", full_page=True)

    import_members(office, congress_id, tmp_path)
    count = (
        "SELECT COUNT(*) FROM congress_membership m JOIN congress_body b ON b.id = m.body_id "
        "JOIN congress_user u ON u.id = m.user_id WHERE b.congress_id = ? AND u.email LIKE 'dhk%'"
    )
    assert site.query(count, congress_id)[0][0] == 30 - WAITING_ROWS
    confirm_all(superior, WAITING_ROWS + 1)
    assert site.query(count, congress_id)[0][0] == 30

    secretary = posts.watch(login(SECRETARY))
    # The office's own officer keeps the documents subcommittee's records (and so its
    # targets): the steering board's head names it there.
    secretary.goto(f"/congresses/{congress_id}/bodies/")
    add_member(secretary, DOCUMENTS, OFFICE, "secretary")

    secretary_phone = login(SECRETARY, width=390, height=844)
    preview_plan_on_a_phone(secretary_phone, congress_id)
    proposed = apply_plan(secretary, congress_id)
    assert proposed > 0
    redate_plan(site, secretary, congress_id, opening_day(164))

    create_report(office, congress_id, tmp_path)
    edit_and_reassign(site, office, congress_id)
    enter_targets(office, congress_id, tmp_path)
    search(office)

    office.goto(f"/congresses/{congress_id}/setup/")
    for step in ("bodies", "members", "plan", "documents", "deadlines"):
        expect(office.locator(f'[data-step="{step}"]')).to_have_attribute("data-done", "true")
    screenshot(office, "office-setup.png", full_page=True)

    print(f"office journey: {posts.count} form posts")
    assert posts.count <= MOST_POSTS

    # The same session on a phone-sized window (a new login would land on the chooser of
    # the office's two congresses, which the login fixture does not wait for).
    office.set_viewport_size({"width": 390, "height": 844})
    on_a_phone(site, office, congress_id)
    pages = (office, secretary, secretary_phone, superior)
    assert [error for page in pages for error in page.errors] == []


PHONE_PAGES = (
    ("/congresses/new/", "office-congress-new-phone.png"),
    ("/congresses/{id}/setup/", "office-setup-phone.png"),
    ("/congresses/{id}/bodies/", "office-bodies-phone.png"),
    ("/congresses/{id}/members/import/", None),
    ("/congresses/{id}/edit/", None),
    ("/documents/new/?congress={id}", "office-document-new-phone.png"),
    ("/tasks/{task}/edit/", "office-task-edit-phone.png"),
    ("/search/?q=du+hang+kenh", "office-search-phone.png"),
    ("/congresses/{id}/targets/", None),  # last: its result form is posted next
)


def on_a_phone(site, phone, congress_id: int):
    """Each new page at 390 px: nothing wider than the screen; a result recorded from the
    targets table, stacked as a card."""
    (task_id,) = site.query(
        "SELECT id FROM workflows_task WHERE congress_id = ? AND title LIKE '%(phường)'",
        congress_id,
    )[0]
    for path, name in PHONE_PAGES:
        phone.goto(path.format(id=congress_id, task=task_id))
        expect(phone.locator("main h1").first).to_be_visible()
        fits(phone)
        if name:
            screenshot(phone, name)
    record_result(phone, "88")
    success(phone, "CT1")
    row = phone.locator('tr[data-target="CT1"]')
    expect(row.locator("[data-status]")).to_have_attribute("data-status", "not_met")
    fits(phone)
    row.scroll_into_view_if_needed()
    screenshot(phone, "office-targets-phone.png")
