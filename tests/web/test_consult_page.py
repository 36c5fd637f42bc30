"""The public consultation page `/consult/{token}/` (issue 15): what an invited organization
sees without an account, and what it must never see."""

import re
import secrets

import pytest
from django.test import Client

from tests.documents.consultations import hanoi, invite, out_for_comment
from workflows.models import Comment, ConsultationInvitation
from workflows.services.documents import document_comment_add, document_transition

CLOSES = (2025, 8, 22, 17, 0)


@pytest.fixture(autouse=True)
def now(time_machine):
    moment = hanoi(2025, 8, 11, 9, 0)
    time_machine.move_to(moment, tick=False)
    return moment


@pytest.fixture
def report(people, make_document, add_version):
    return out_for_comment(people, make_document, add_version, hanoi(*CLOSES))


def _html(response) -> str:
    return response.content.decode()


def test_the_page_shows_the_draft_by_section_with_a_box_for_each(people, report):
    _invitation, path = invite(people, report, "Đảng ủy phường An Biên", "ab@x.vn")
    response = Client().get(path)
    html = _html(response)
    assert response.status_code == 200
    assert "For: Đảng ủy phường An Biên" in html
    assert f"<h1>{report.title}</h1>" in html
    assert "<dd data-round>1</dd>" in html
    assert "<dd data-closes>17:00 22/08/2025</dd>" in html
    assert re.findall(r"<h[234]>([^<]+)</h[234]>", html) == [
        "BÁO CÁO CHÍNH TRỊ CỦA BAN CHẤP HÀNH ĐẢNG BỘ QUẬN KHÓA XXIV TRÌNH ĐẠI HỘI ĐẠI BIỂU "
        "ĐẢNG BỘ QUẬN LẦN THỨ XXV, NHIỆM KỲ 2025-2030",
        "Phần thứ nhất. Kết quả thực hiện Nghị quyết Đại hội lần thứ XXIV, nhiệm kỳ 2020-2025",
        "I. Về phát triển kinh tế",
        "II. Về văn hóa - xã hội",
        "III. Về xây dựng Đảng và hệ thống chính trị",
        "Phần thứ hai. Phương hướng, mục tiêu, nhiệm vụ nhiệm kỳ 2025-2030",
        "General comment",
        "Written opinion (optional)",
    ]
    assert html.count("<textarea") == 7
    assert "<p>Hoàn thành 16/18 chỉ tiêu chủ yếu, trong đó 13 chỉ tiêu đạt và vượt.</p>" in html


def test_a_bare_page_under_the_csp_that_sets_only_the_csrf_cookie(people, report):
    _invitation, path = invite(people, report, "Đảng ủy phường An Biên", "ab@x.vn")
    response = Client().get(path)
    html = _html(response)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script" not in html  # no script at all, inline or not
    assert set(response.cookies) == {"csrftoken"}
    assert response["Cache-Control"] == "no-store, private"
    assert response["Referrer-Policy"] == "same-origin"
    links = re.findall(r'(?:href|action|src)="([^"]*)"', html)
    assert links == ["/static/web/css/app.css", "/static/web/css/consult.css"]
    for product in ("/tasks/", "/documents/", "/calendar/", "/notifications/", "Tiểu ban"):
        assert product not in html


def test_wrong_tokens_are_not_found(people, report):
    invite(people, report, "Đảng ủy phường An Biên", "ab@x.vn")
    page = Client()
    for path in (f"/consult/{secrets.token_urlsafe(32)}/", "/consult/short/"):
        response = page.get(path)
        assert response.status_code == 404
        assert "Link not found" in _html(response)
        assert "<nav" not in _html(response)
    assert page.post(f"/consult/{secrets.token_urlsafe(32)}/", {"general": "x"}).status_code == 404
    assert Comment.objects.count() == 0


def test_a_token_of_one_draft_reads_and_writes_only_that_draft(
    people, report, make_document, add_version
):
    other = out_for_comment(
        people,
        make_document,
        add_version,
        hanoi(*CLOSES),
        title="Dự thảo Nghị quyết Đại hội",
        text="I. Mục tiêu\nBí mật của dự thảo nghị quyết",
    )
    _a, path_a = invite(people, report, "Hội Cựu chiến binh quận", "ccb@x.vn")
    invite(people, other, "Hội Cựu chiến binh quận", "ccb@x.vn")
    html = _html(Client().get(path_a))
    assert "Dự thảo Nghị quyết Đại hội" not in html
    assert "Bí mật của dự thảo nghị quyết" not in html
    Client().post(path_a, {"section-1": "Góp ý cho báo cáo chính trị"})
    [comment] = Comment.objects.all()
    assert (comment.version.document_id, comment.section) == (
        report.pk,
        "Phần thứ nhất. Kết quả thực hiện Nghị quyết Đại hội lần thứ XXIV, nhiệm kỳ 2020-2025",
    )


def test_no_other_organization_or_its_comments_are_shown(people, report):
    _x, path_x = invite(people, report, "Đảng ủy phường An Biên", "ab@x.vn")
    _y, path_y = invite(people, report, "Ủy ban MTTQ quận Lê Chân", "mttq@x.vn")
    Client().post(path_y, {"section-2": "Ý kiến riêng của Mặt trận", "general": "Chung của MTTQ"})
    document_comment_add(
        actor=people.docs_member,
        document_id=report.pk,
        text="Ý kiến ghi lại từ Hội Phụ nữ",
        source="Hội Phụ nữ quận",
        section="I. Về phát triển kinh tế",
    )
    html = _html(Client().get(path_x))
    for hidden in ("Ủy ban MTTQ", "Ý kiến riêng của Mặt trận", "Chung của MTTQ", "Hội Phụ nữ"):
        assert hidden not in html
    assert "data-sent" not in html
    mine = _html(Client().get(path_y))
    assert mine.count("data-sent") == 2
    assert "Ý kiến riêng của Mặt trận" in mine


def test_the_receipt_lists_what_was_recorded_and_the_page_keeps_it(people, report):
    invitation, path = invite(people, report, "Đảng ủy phường An Biên", "ab@x.vn")
    receipt = Client().post(
        path, {"section-2": "Cập nhật số liệu 2025", "section-3": "  ", "general": "Đồng ý"}
    )
    html = _html(receipt)
    assert receipt.status_code == 200
    assert "Receipt of your comments" in html
    assert "<dd data-count>2</dd>" in html
    assert re.findall(r'<p class="consult-recorded-section">([^<]+)</p>', html) == [
        "I. Về phát triển kinh tế",
        "General comment",
    ]
    assert 'class="no-print"' in html  # the print stylesheet hides the links
    assert list(invitation.comments.values_list("text", flat=True)) == [
        "Cập nhật số liệu 2025",
        "Đồng ý",
    ]


def test_an_empty_submission_records_nothing_and_keeps_what_was_typed(people, report):
    _invitation, path = invite(people, report, "Đảng ủy phường An Biên", "ab@x.vn")
    response = Client().post(path, {"section-2": "   ", "general": ""})
    assert response.status_code == 400
    assert "Write a comment on at least one section, or a general one, or attach" in _html(response)
    too_long = Client().post(path, {"section-2": "x" * 20001, "general": "Ngắn"})
    assert too_long.status_code == 400
    assert "x" * 20001 in _html(too_long)
    assert Comment.objects.count() == 0
    assert ConsultationInvitation.objects.get().answered_at is None


def test_after_the_closing_date_or_the_closing_the_link_is_gone(people, report, time_machine):
    _invitation, path = invite(people, report, "Đảng ủy phường An Biên", "ab@x.vn")
    time_machine.move_to(hanoi(2025, 8, 22, 17, 0), tick=False)
    gone = Client().get(path)
    assert gone.status_code == 410
    assert 'data-reason="closed"' in _html(gone)
    assert report.title not in _html(gone)
    document_transition(
        actor=people.steering_head, document_id=report.pk, name="close_consultation"
    )
    assert Client().get(path).status_code == 410
    assert Client().post(path, {"general": "Muộn"}).status_code == 410
    assert Comment.objects.count() == 0


def test_posts_are_limited_per_link_and_per_address(people, report, settings):
    settings.CONSULT_POSTS_PER_TOKEN = 2
    settings.CONSULT_POSTS_PER_ADDRESS = 4  # every try counts, refused ones too
    _a, path_a = invite(people, report, "Đảng ủy phường An Biên", "ab@x.vn")
    _b, path_b = invite(people, report, "Hội Cựu chiến binh quận", "ccb@x.vn")
    page = Client()
    assert [page.post(path_a, {"general": f"Ý kiến {i}"}).status_code for i in range(3)] == [
        200,
        200,
        429,
    ]
    assert page.post(path_b, {"general": "Ý kiến B"}).status_code == 200
    limited = page.post(path_b, {"general": "Ý kiến B2"})
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert "Too many submissions" in _html(limited)
    assert sorted(Comment.objects.values_list("text", flat=True)) == [
        "Ý kiến 0",
        "Ý kiến 1",
        "Ý kiến B",
    ]
    elsewhere = Client(REMOTE_ADDR="10.0.0.9").post(path_a, {"general": "Từ máy khác"})
    assert elsewhere.status_code == 429  # the link's own limit holds from any address
