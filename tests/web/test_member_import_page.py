"""The page /congresses/{id}/members/import/: upload → the dry run's table → "Import" on the
kept file → the result; the template download; the links from the checklist and bodies page."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from congress.models import Membership, OrganizationOffice
from tests.congress.test_member_import import xlsx
from tests.factories import UserFactory


@pytest.fixture
def office(world):
    user = UserFactory(username="van.phong")
    OrganizationOffice.objects.create(user=user, organization=world.org)
    return user


def url(world) -> str:
    return f"/congresses/{world.congress.pk}/members/import/"


GOOD = [
    ["Phạm Văn Đức", "duc.pv@example.vn", "", "Tiểu ban Văn kiện", "Thành viên"],
    ["Vũ Thị Lan", "lan.vt@example.vn", "", "Ban Chỉ đạo", "Thư ký"],
]


def preview(client, world, rows):
    file = SimpleUploadedFile("danh-sach.xlsx", xlsx(rows))
    return client.post(url(world), {"action": "preview", "file": file})


def test_preview_then_import_the_kept_file(world, office, web, django_capture_on_commit_callbacks):
    client = web(office)

    page = preview(client, world, GOOD)

    html = page.content.decode()
    assert page.status_code == 200
    assert "What the import will do" in html
    assert 'data-row="2"' in html and 'data-row="3"' in html
    assert "New account (a link to set the password is emailed) · membership added" in html
    assert not Membership.objects.filter(user__email="duc.pv@example.vn").exists()
    digest = page.context["digest"]

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url(world), {"action": "import", "digest": digest})

    assert done.status_code == 200
    assert "The members are imported." in done.content.decode()
    assert Membership.objects.get(user__email="lan.vt@example.vn").body == world.steering
    assert len(mail.outbox) == 2


def test_rows_in_error_are_shown_on_their_row_and_nothing_can_be_imported(world, office, web):
    client = web(office)

    page = preview(client, world, [*GOOD, ["", "x@example.vn", "", "Tiểu ban Ma", "Chủ tịch"]])

    html = page.content.decode()
    row = html.split('data-row="4"', 1)[1].split("</tr>", 1)[0]
    assert row.startswith(' class="row-error"')
    assert "The full name is empty." in row
    assert "No body of this congress is called “Tiểu ban Ma”" in row
    assert "Unknown role “Chủ tịch”" in row
    assert 'name="action" value="import"' not in html
    assert "Fix the rows in red in your file" in html


def test_a_bad_file_is_said_next_to_the_upload_form(world, office, web):
    file = SimpleUploadedFile("a.xlsx", b"%PDF-1.5")
    page = web(office).post(url(world), {"action": "preview", "file": file})
    html = page.content.decode()
    form = html.split('id="upload"', 1)[1]
    assert "Upload an .xlsx (Excel) or .csv file." in form


def test_import_without_the_kept_file_asks_for_it_again(world, office, web):
    page = web(office).post(url(world), {"action": "import", "digest": "0" * 64})
    assert "The file is no longer kept" in page.content.decode()
    assert not Membership.objects.filter(user__email="duc.pv@example.vn").exists()


def test_a_plain_member_gets_a_403_page_and_an_outsider_a_404(world, web):
    member = web(world.docs_member).get(url(world))
    assert member.status_code == 403
    assert "the office of its organization and staff may import members" in member.content.decode()
    file = SimpleUploadedFile("a.xlsx", xlsx(GOOD))
    posted = web(world.docs_member).post(url(world), {"action": "preview", "file": file})
    assert posted.status_code == 403
    assert web(world.outsider).get(url(world)).status_code == 404


def test_the_template_has_the_vietnamese_header_and_two_examples(world, office, web):
    response = web(office).get(f"{url(world)}template.xlsx")

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Họ và tên", "Email", "Số điện thoại", "Tiểu ban", "Vai trò")
    assert len(rows) == 3


def test_the_checklist_and_the_bodies_page_link_to_the_import(world, office, web):
    client = web(office)
    for page in (
        f"/congresses/{world.congress.pk}/setup/",
        f"/congresses/{world.congress.pk}/bodies/",
    ):
        assert f'href="{url(world)}"' in client.get(page).content.decode()
