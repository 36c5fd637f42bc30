"""/congresses/{id}/targets/: the resolution's targets and their results for a period with the
"X/Y đạt và vượt" summary, entered from the table by those who may record targets, read by
everyone who sees the congress, and the progress report downloadable from the page."""

import io
import re
from decimal import Decimal

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook

from congress.models import Resolution, Target, TargetResult
from tests.factories import CongressFactory, UserFactory

SIX = "six_months"


@pytest.fixture
def resolution(world):
    resolution = Resolution.objects.create(
        organization=world.org, code="01-NQ/QU", title="Nghị quyết Đại hội XXIV", term="2020-2025"
    )
    Target.objects.create(
        resolution=resolution,
        code="CT1",
        position=1,
        name="Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ",
        unit="%",
        target_value=Decimal("90"),
    )
    return resolution


def _page(web, user, world, query=""):
    return web(user).get(f"/congresses/{world.congress.pk}/targets/{query}")


def _summary(html: str) -> str:
    return re.search(r"data-summary-text>([^<]*)<", html).group(1)


def _count(html: str, status: str) -> int:
    return int(re.search(rf'data-count="{status}">(\d+)<', html).group(1))


def test_add_a_target_and_enter_a_result_changes_the_summary(web, world, resolution):
    url = f"/congresses/{world.congress.pk}/targets/"
    client = web(world.docs_head)

    added = client.post(
        url,
        {
            "action": "target",
            "target-resolution": str(resolution.pk),
            "target-code": "CT2",
            "target-name": "Kết nạp đảng viên mới",
            "target-unit": "đảng viên",
            "target-target_value": "1.200",
            "target-direction": "at_least",
        },
    )
    target = Target.objects.get(code="CT2")
    assert added.status_code == 302 and target.target_value == Decimal("1200")
    before = _page(web, world.docs_head, world, "?period=six_months&year=2024").content.decode()
    assert _summary(before) == "0/2 targets met or exceeded"
    assert _count(before, "not_reported") == 2

    recorded = client.post(
        url,
        {
            "action": "result",
            "target": str(target.pk),
            f"result-{target.pk}-period": SIX,
            f"result-{target.pk}-year": "2024",
            f"result-{target.pk}-value": "1.250,5",
            f"result-{target.pk}-note": "Vượt kế hoạch",
        },
    )

    assert recorded.status_code == 302
    assert recorded["Location"].startswith(f"{url}?period=six_months&year=2024")
    result = TargetResult.objects.get(target=target)
    assert (result.period, result.year, result.value) == (SIX, 2024, Decimal("1250.5"))
    html = web(world.docs_head).get(recorded["Location"].split("#")[0]).content.decode()
    assert _summary(html) == "1/2 targets met or exceeded"
    assert (_count(html, "exceeded"), _count(html, "not_reported")) == (1, 1)
    assert "1.250,5" in html


def test_edit_a_target_changes_its_status(web, world, resolution):
    target = resolution.targets.get()
    TargetResult.objects.create(target=target, period=SIX, year=2024, value=Decimal("85"))
    url = f"/congresses/{world.congress.pk}/targets/"
    assert _count(_page(web, world.docs_head, world).content.decode(), "not_met") == 1

    web(world.docs_head).post(
        url,
        {
            "action": "edit",
            "target": str(target.pk),
            f"edit-{target.pk}-code": "CT1",
            f"edit-{target.pk}-name": target.name,
            f"edit-{target.pk}-unit": "%",
            f"edit-{target.pk}-target_value": "85",
            f"edit-{target.pk}-direction": "at_least",
        },
    )

    html = _page(web, world.docs_head, world).content.decode()
    assert _count(html, "met") == 1 and _summary(html) == "1/1 targets met or exceeded"


def test_a_refused_result_is_shown_in_its_row_with_what_was_typed(web, world, resolution):
    target = resolution.targets.get()

    response = web(world.docs_head).post(
        f"/congresses/{world.congress.pk}/targets/",
        {
            "action": "result",
            "target": str(target.pk),
            f"result-{target.pk}-period": SIX,
            f"result-{target.pk}-year": "2024",
            f"result-{target.pk}-value": "chín mươi",
            f"result-{target.pk}-note": "Số liệu quý II",
        },
    )

    assert response.status_code == 200
    assert not TargetResult.objects.exists()
    html = response.content.decode()
    row = html[html.index(f'id="id_result-{target.pk}-value"') :]
    row = row[: row.index("</form>")]
    assert 'value="chín mươi"' in html and "Type a number" in row
    assert 'value="Số liệu quý II"' in html


def test_a_duplicate_target_code_is_shown_next_to_the_add_form(web, world, resolution):
    response = web(world.docs_head).post(
        f"/congresses/{world.congress.pk}/targets/",
        {
            "action": "target",
            "target-resolution": str(resolution.pk),
            "target-code": "CT1",
            "target-name": "Chỉ tiêu trùng mã",
            "target-target_value": "10",
            "target-direction": "at_least",
        },
    )

    assert response.status_code == 200 and Target.objects.count() == 1
    form = response.content.decode().split('id="add-target"')[1]
    assert "already has a target with this code" in form
    assert 'value="Chỉ tiêu trùng mã"' in form


def test_downloads_answer_word_and_excel_with_vietnamese_headers(web, world, resolution):
    target = resolution.targets.get()
    TargetResult.objects.create(target=target, period=SIX, year=2024, value=Decimal("92"))
    world.sc_head.language = "vi"
    world.sc_head.save()
    html = _page(web, world.sc_head, world).content.decode()
    links = re.findall(r'href="([^"]*progress-report\.(?:docx|xlsx)[^"]*)"', html)
    assert len(links) == 2

    docx, xlsx = (web(world.sc_head).get(link.replace("&amp;", "&")) for link in links)

    assert docx.status_code == 200 and xlsx.status_code == 200
    assert docx["Content-Disposition"].endswith('.docx"')
    word = WordDocument(io.BytesIO(docx.content))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "III. Chỉ tiêu Nghị quyết" in text and "1/1" in text
    assert ["Ban", "Nhiệm vụ"] in [[c.text for c in t.rows[0].cells][:2] for t in word.tables]
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames[0] == "Nhiệm vụ theo từng ban"
    assert any("Chỉ tiêu" in name for name in book.sheetnames)


def test_a_plain_member_reads_the_targets_without_forms(web, world, resolution):
    html = _page(web, world.docs_member, world).content.decode()

    assert resolution.targets.get().name in html
    assert 'name="action"' not in html
    response = web(world.docs_member).post(
        f"/congresses/{world.congress.pk}/targets/",
        {
            "action": "target",
            "target-resolution": str(resolution.pk),
            "target-code": "CT9",
            "target-name": "Không được ghi",
            "target-target_value": "1",
            "target-direction": "at_least",
        },
    )
    assert response.status_code == 302 and not Target.objects.filter(code="CT9").exists()


def test_a_user_of_another_organization_gets_404(web, world, resolution):
    assert _page(web, world.outsider, world).status_code == 404
    stranger = UserFactory(username="stranger")
    assert _page(web, stranger, world).status_code == 404


def test_the_list_holds_only_the_organizations_targets(web, world, resolution):
    Resolution.objects.create(organization=world.other_org, code="02", title="NQ khác", term="x")
    CongressFactory(organization=world.other_org, number=26)

    html = _page(web, world.docs_head, world).content.decode()

    assert "NQ khác" not in html and _summary(html).endswith("1 targets met or exceeded")


def test_without_a_resolution_the_page_offers_to_add_one_first(web, world):
    client = web(world.steering_head)
    html = _page(web, world.steering_head, world).content.decode()
    assert "add the resolution first" in html

    client.post(
        f"/congresses/{world.congress.pk}/targets/",
        {
            "action": "resolution",
            "resolution-code": "01-NQ/QU",
            "resolution-title": "Nghị quyết Đại hội XXIV",
            "resolution-term": "2020-2025",
        },
    )

    assert Resolution.objects.get().organization == world.org
    assert 'name="target-code"' in _page(web, world.steering_head, world).content.decode()


def test_the_dashboard_links_to_the_targets_page(web, world):
    html = web(world.docs_member).get(f"/congresses/{world.congress.pk}/").content.decode()

    assert f'href="/congresses/{world.congress.pk}/targets/"' in html


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_for_three_targets_or_thirty(web, world, resolution):
    client = web(world.docs_head)
    url = f"/congresses/{world.congress.pk}/targets/?period=six_months&year=2024"
    for n in range(2, 4):
        target = Target.objects.create(
            resolution=resolution, code=f"CT{n}", name=f"Chỉ tiêu {n}", target_value=1
        )
        TargetResult.objects.create(target=target, period=SIX, year=2024, value=n)
    _queries(client, url)  # the session and the congress remembered
    few = _queries(client, url)
    for n in range(4, 31):
        target = Target.objects.create(
            resolution=resolution, code=f"CT{n}", name=f"Chỉ tiêu {n}", target_value=1
        )
        TargetResult.objects.create(target=target, period=SIX, year=2024, value=n)

    assert _queries(client, url) == few
