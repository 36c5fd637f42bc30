"""A day's work in two real browsers against the demo congress (Lê Chân XXV):

- a documents member (mai.ht) starts and submits a task; the head of the subcommittee
  (huong.tt), logged in another browser context, sees it arrive in her review list without
  reloading, approves it, and the member's list drops it, live too;
- the rapporteur of the political report (duc.nm) uploads a new draft and the head, on the
  document's page, sees the diff appear;
- a documents member never meets a personnel item, on any page, nor through live updates;
- a page that lost its connection catches up on what it missed when it comes back.

With UPDATE_SCREENSHOTS=1 the run saves the screenshots the README shows (docs/screenshots/).
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_live
from workflows.demo.documents import ROUND_TWO

pytestmark = pytest.mark.browser


def new_task_for(site, assignee: str, title: str) -> int:
    """The head plans a task in the documents subcommittee (through the API)."""
    documents = site.query(
        "SELECT b.id FROM congress_body b WHERE b.kind = 'documents' ORDER BY b.id LIMIT 1"
    )[0][0]
    user = site.query("SELECT id FROM congress_user WHERE username = ?", assignee)[0][0]
    due = (timezone.now() + timedelta(days=5)).isoformat()
    task = site.api(
        "huong.tt",
        "POST",
        "/api/v1/tasks/",
        {"body": documents, "title": title, "assignee": user, "due_at": due},
    )
    return task["id"]


def task_row(page, title: str):
    return page.locator(".task-row", has_text=title)


def test_member_submits_and_head_approves_without_reloading(site, login):
    title = "Soát lỗi chính tả dự thảo lần 2 Báo cáo chính trị"
    new_task_for(site, "mai.ht", title)

    head = login("huong.tt")
    head.goto("/tasks/?scope=review")
    wait_live(head)
    expect(task_row(head, title)).to_have_count(0)
    head.evaluate("window.__notReloaded = true")
    unread = int(head.locator("[data-unread-count]").text_content())

    member = login("mai.ht")
    member.goto("/tasks/")
    row = task_row(member, title)
    row.locator("button[data-transition='start']").click()
    expect(task_row(member, title).locator(".status")).to_have_class(
        re.compile("status-in_progress")
    )
    expect(member.locator(".message-success")).to_be_visible()

    task_row(member, title).locator("button[data-transition='submit']").click()
    dialog = member.locator("#prompt-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#prompt-text")).to_be_focused()
    dialog.locator("#prompt-text").fill("Đã soát xong, sửa 14 lỗi chính tả.")
    dialog.locator("[data-prompt-ok]").click()
    expect(task_row(member, title).locator(".status")).to_have_class(re.compile("status-in_review"))
    wait_live(member)

    # The head's review list shows it and her bell rings, the page never reloaded.
    arrived = task_row(head, title)
    expect(arrived).to_be_visible()
    expect(head.locator("[data-unread-count]")).to_have_text(str(unread + 1))
    expect(head.locator("[data-live-toast]")).to_contain_text(title)
    assert head.evaluate("window.__notReloaded") is True
    expect(arrived.locator("button[data-transition='approve']")).to_be_visible()
    screenshot(head, "task-review-list.png")

    arrived.locator("button[data-transition='approve']").click()
    # Approving asks first, in the page's dialog, whose "close" sends nothing.
    confirm = head.locator("#prompt-dialog")
    expect(confirm.locator("[data-prompt-question]")).to_be_visible()
    expect(confirm.locator("#prompt-text")).to_be_hidden()
    confirm.locator("[data-prompt-cancel]").click()
    expect(confirm).to_be_hidden()
    expect(task_row(head, title)).to_be_visible()
    arrived.locator("button[data-transition='approve']").click()
    expect(confirm.locator("[data-prompt-ok]")).to_be_focused()
    confirm.locator("[data-prompt-ok]").click()
    expect(head.locator(".message-success")).to_be_visible()
    expect(task_row(head, title)).to_have_count(0)
    # The member's open-tasks list drops the finished task, live.
    expect(task_row(member, title)).to_have_count(0)
    status = site.query("SELECT status FROM workflows_task WHERE title = ?", title)
    assert status == [("done",)]
    assert head.errors == [] and member.errors == []


def test_a_transition_that_needs_a_reason_cannot_be_sent_empty(site, login):
    title = "Chuẩn bị danh sách khách mời hội nghị góp ý"
    task_id = new_task_for(site, "mai.ht", title)
    member = login("mai.ht")
    member.goto(f"/tasks/{task_id}/")
    member.locator("button[data-transition='start']").click()
    member.locator("button[data-transition='block']").click()
    dialog = member.locator("#prompt-dialog")
    dialog.locator("[data-prompt-ok]").click()  # empty: the browser refuses to send it
    expect(dialog).to_be_visible()
    dialog.locator("[data-prompt-cancel]").click()
    expect(dialog).to_be_hidden()
    expect(member.locator(".detail .status")).to_have_class(re.compile("status-in_progress"))


def test_rapporteur_uploads_a_draft_and_the_head_sees_the_diff(site, login):
    (report,) = site.query("SELECT id FROM workflows_document WHERE kind = 'political_report'")
    path = f"/documents/{report[0]}/"

    head = login("huong.tt")
    head.goto(path)
    wait_live(head)
    head.evaluate("window.__notReloaded = true")

    rapporteur = login("duc.nm")
    rapporteur.goto(path)
    rapporteur.locator("details.upload summary").click()
    # Round three updates the figures with the whole year's estimates and adds a paragraph.
    paragraphs = list(ROUND_TWO)
    paragraphs[3] = paragraphs[3].replace("11,2%", "11,6%")
    paragraphs[4] = "Hoàn thành 17/18 chỉ tiêu chủ yếu, trong đó 14 chỉ tiêu đạt và vượt."
    paragraphs.insert(-1, "Chuyển đổi số: 100% hồ sơ thủ tục hành chính được tiếp nhận trực tuyến.")
    draft = "\n".join(paragraphs)
    rapporteur.set_input_files(
        "#id_file",
        files=[
            {
                "name": "Bao cao chinh tri - Du thao lan 3.txt",
                "mimeType": "text/plain",
                "buffer": draft.encode(),
            }
        ],
    )
    rapporteur.fill("#id_note", "Dự thảo lần 3, cập nhật số liệu ước cả năm 2025")
    rapporteur.locator("details.upload button[type=submit]").click()
    expect(rapporteur.locator(".message-success")).to_be_visible()
    expect(rapporteur.locator(".diff-wrap ins", has_text="11,6")).to_be_visible()

    # The head's page shows the new version and its diff without a reload.
    expect(head.locator(".diff-wrap ins", has_text="11,6")).to_be_visible()
    expect(head.locator(".version-list .version").first).to_contain_text("Du thao lan 3")
    assert head.evaluate("window.__notReloaded") is True
    head.wait_for_timeout(2500)  # the highlight of what changed fades
    head.evaluate("document.querySelector('[data-live-toast]').hidden = true")
    box = head.locator("#diff").bounding_box()
    bottom = head.evaluate("window.scrollY") + box["y"] + box["height"] + 16
    clip = {"x": 0, "y": 0, "width": 1280, "height": bottom}
    screenshot(head, "document-diff.png", full_page=True, clip=clip)
    assert head.errors == [] and rapporteur.errors == []


def test_documents_member_never_sees_personnel_work(site, login):
    secret_titles = [
        title
        for (title,) in site.query(
            "SELECT t.title FROM workflows_task t JOIN congress_body b ON b.id = t.body_id "
            "WHERE b.confidential = 1 "
            "UNION SELECT d.title FROM workflows_document d "
            "JOIN congress_body b ON b.id = d.body_id WHERE b.confidential = 1"
        )
    ]
    assert len(secret_titles) >= 5
    secret_task = site.query(
        "SELECT t.id FROM workflows_task t JOIN congress_body b ON b.id = t.body_id "
        "WHERE b.confidential = 1 AND t.status = 'todo' ORDER BY t.id LIMIT 1"
    )[0][0]
    secret_document = site.query(
        "SELECT d.id FROM workflows_document d JOIN congress_body b ON b.id = d.body_id "
        "WHERE b.confidential = 1 LIMIT 1"
    )[0][0]
    (congress,) = site.query("SELECT id FROM congress_congress LIMIT 1")[0]

    member = login("mai.ht")
    pages = [
        f"/congresses/{congress}/",
        "/tasks/",
        "/tasks/?scope=all&status=any",
        "/tasks/?scope=review",
        "/documents/",
        "/calendar/",
        "/notifications/",
    ]
    months = {timezone.localdate().replace(day=1) + timedelta(days=31 * n) for n in range(5)}
    pages += [f"/calendar/?month={month:%Y-%m}" for month in sorted(months)]
    for path in pages:
        member.goto(path)
        text = member.content()
        for title in secret_titles:
            assert title not in text, f"{title!r} on {path}"

    for path in (f"/tasks/{secret_task}/", f"/documents/{secret_document}/"):
        response = member.goto(path)
        assert response.status == 404
        for title in secret_titles:
            assert title not in member.content()

    # While she watches every task she may see, the personnel subcommittee's work moves: no
    # live message reaches her page, so it neither refreshes nor shows anything.
    member.goto("/tasks/?scope=all&status=any")
    wait_live(member)
    site.api(
        "ha.nt",
        "POST",
        f"/api/v1/tasks/{site_task_of(site, 'ha.nt')}/transitions/start/",
        {},
    )
    member.wait_for_timeout(1500)
    assert member.locator("[data-fragment='task-list']").get_attribute("data-refreshed-at") is None
    for title in secret_titles:
        assert title not in member.content()


def site_task_of(site, username: str) -> int:
    """A personnel task of `username` that can start now (no open dependency)."""
    rows = site.query(
        "SELECT t.id FROM workflows_task t JOIN congress_user u ON u.id = t.assignee_id "
        "JOIN congress_body b ON b.id = t.body_id "
        "WHERE u.username = ? AND b.confidential = 1 AND t.status = 'todo' "
        "AND NOT EXISTS (SELECT 1 FROM workflows_task_depends_on d "
        "JOIN workflows_task o ON o.id = d.to_task_id "
        "WHERE d.from_task_id = t.id AND o.status != 'done') ORDER BY t.id",
        username,
    )
    return rows[0][0]


def test_a_page_catches_up_after_losing_its_connection(site, login):
    title = "Chuẩn bị phông nền, khẩu hiệu hội nghị góp ý dự thảo"
    task_id = new_task_for(site, "anh.ln", title)
    member = login("anh.ln")
    member.goto("/tasks/")
    wait_live(member)
    expect(task_row(member, title).locator(".status")).to_have_class(re.compile("status-todo"))

    member.context.set_offline(True)
    member.evaluate("window.CongressLive.drop()")
    member.wait_for_selector("body[data-live-state='off']")
    site.api("anh.ln", "POST", f"/api/v1/tasks/{task_id}/transitions/start/", {})
    member.wait_for_timeout(500)
    expect(task_row(member, title).locator(".status")).to_have_class(re.compile("status-todo"))

    member.context.set_offline(False)
    wait_live(member)
    expect(task_row(member, title).locator(".status")).to_have_class(
        re.compile("status-in_progress")
    )


def test_screenshots_of_the_dashboard_and_the_task_list(site, login):
    head = login("huong.tt")
    wait_live(head)
    expect(head.locator(".chart svg")).to_be_visible()
    screenshot(head, "dashboard.png", full_page=True)
    head.goto("/tasks/?scope=all")
    expect(head.locator(".task-row").first).to_be_visible()
    screenshot(head, "task-list.png", full_page=True)

    phone = login("mai.ht", width=375, height=812)
    wait_live(phone)
    screenshot(phone, "dashboard-phone.png", full_page=True)
    phone.goto("/tasks/?scope=all")
    expect(phone.locator(".task-row").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "task-list-phone.png")
