"""The public consultation page on a phone (390x844): an invited organization reads the
draft by section, comments on one, attaches its written opinion and gets the receipt; the
page fits the screen's width and runs no script of its own."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM_ARGS, screenshot  # noqa: F401

pytestmark = pytest.mark.browser

DRAFT = "\n".join(
    [
        "DỰ THẢO NGHỊ QUYẾT ĐẠI HỘI ĐẠI BIỂU ĐẢNG BỘ QUẬN LÊ CHÂN LẦN THỨ XXV",
        "Phần thứ nhất. Đánh giá kết quả nhiệm kỳ 2020-2025",
        "I. Về phát triển kinh tế",
        "Tốc độ tăng trưởng giá trị sản xuất bình quân đạt 11,2%/năm.",
        "II. Về xây dựng Đảng",
        "Kết nạp 1.250 đảng viên mới.",
        "Phần thứ hai. Mục tiêu, nhiệm vụ nhiệm kỳ 2025-2030",
        "Xây dựng quận Lê Chân phát triển nhanh, bền vững, văn minh, hiện đại.",
    ]
)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _invitation_link(site) -> str:
    """A draft resolution put out for comment through the API by those allowed to, and one
    organization invited: its link."""
    congress = site.query("SELECT id FROM congress_congress ORDER BY id LIMIT 1")[0][0]
    body = site.query(
        "SELECT id FROM congress_body WHERE congress_id = ? AND kind = 'documents'", congress
    )[0][0]
    rapporteur = site.query("SELECT id FROM congress_user WHERE username = 'duc.nm'")[0][0]
    document = site.api(
        "huong.tt",
        "POST",
        "/api/v1/documents/",
        {
            "congress": congress,
            "body": body,
            "kind": "resolution",
            "title": "Dự thảo Nghị quyết Đại hội XXV",
            "rapporteur": rapporteur,
        },
    )["id"]
    base = f"/api/v1/documents/{document}"
    site.api("duc.nm", "POST", f"{base}/versions/", {"text": DRAFT, "note": "Dự thảo lần 1"})
    site.api("duc.nm", "POST", f"{base}/transitions/submit/", {})
    site.api("huong.tt", "POST", f"{base}/transitions/approve/", {})
    closes = (timezone.now() + timedelta(days=7)).isoformat()
    site.api(
        "nam.nv",
        "POST",
        f"{base}/transitions/open_consultation/",
        {"consultation_closes_at": closes},
    )
    invited = site.api(
        "duc.nm",
        "POST",
        f"{base}/invitations/",
        {"name": "Đảng ủy phường An Biên", "email": "vanphong.anbien@lechan.example"},
    )
    return invited["url"]


def test_an_organization_answers_from_a_phone(site, browser, tmp_path):
    url = _invitation_link(site)
    opinion = tmp_path / "Van ban gop y.pdf"
    opinion.write_bytes(PDF)
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        is_mobile=True,
        has_touch=True,
    )
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(url)

        expect(page.locator("h1")).to_have_text("Dự thảo Nghị quyết Đại hội XXV")
        expect(page.locator("section[data-section]")).to_have_count(5)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.locator("script").count() == 0
        assert page.locator("nav").count() == 0
        box = page.locator("textarea").first.bounding_box()
        assert box["width"] <= 390 and box["x"] >= 0
        section = page.locator('section[data-section="I. Về phát triển kinh tế"]')
        section.locator("textarea").fill("Đề nghị cập nhật số liệu ước thực hiện năm 2025.")
        page.set_input_files("#opinion", str(opinion))
        screenshot(page, "consult-phone.png", full_page=True)

        page.click("button[type=submit]")
        expect(page.locator("[data-count]")).to_have_text("1")
        expect(page.locator("[data-opinion]")).to_have_text("Van ban gop y.pdf")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert errors == []
    finally:
        context.close()
