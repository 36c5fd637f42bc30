"""The outside bodies a congress consults (issue 15): the list through the API, who may keep
it, its import from a spreadsheet, and the written opinions invited organizations upload."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from tests.documents.consultations import hanoi, invite, out_for_comment
from workflows.models import AuditEntry, OutsideBody, WrittenOpinion

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _url(congress) -> str:
    return f"/api/v1/congresses/{congress.pk}/outside-bodies/"


def test_the_documents_subcommittee_keeps_the_list_and_everyone_in_the_congress_reads_it(
    people, api
):
    url = _url(people.congress)
    created = api(people.docs_member).post(
        url,
        {"name": "Hội Cựu chiến binh quận", "email": " CCB@x.vn ", "contact": "Văn phòng Hội"},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["email"] == "ccb@x.vn"
    listed = api(people.steering_member).get(url).json()
    assert [(b["name"], b["email"], b["contact"]) for b in listed["results"]] == [
        ("Hội Cựu chiến binh quận", "ccb@x.vn", "Văn phòng Hội")
    ]
    refused = api(people.steering_member).post(url, {"name": "X", "email": "x@x.vn"}, format="json")
    assert refused.status_code == 403
    assert api(people.outsider).get(url).status_code == 404
    again = api(people.docs_member).post(url, {"name": "CCB", "email": "ccb@x.vn"}, format="json")
    assert again.status_code == 409
    bad = api(people.docs_member).post(url, {"name": "", "email": "nope"}, format="json")
    assert bad.status_code == 400 and set(bad.json()) >= {"name", "email"}
    assert OutsideBody.objects.count() == 1
    body = OutsideBody.objects.get()
    assert api(people.docs_member).delete(f"{url}{body.pk}/").status_code == 204
    assert not OutsideBody.objects.exists()
    transitions = AuditEntry.objects.filter(object_id=people.congress.pk).values_list(
        "transition", flat=True
    )
    assert {"outside_body_add", "outside_body_remove"} <= set(transitions)


def _xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("don-vi.xlsx", buffer.getvalue())


def test_the_list_is_imported_from_a_spreadsheet_row_by_row(people, api):
    url = _url(people.congress)
    api(people.docs_member).post(url, {"name": "MTTQ", "email": "mttq@x.vn"}, format="json")
    upload = _xlsx(
        [
            ["DANH SÁCH CƠ QUAN, TỔ CHỨC LẤY Ý KIẾN"],
            ["Người liên hệ", "Tên đơn vị", "Thư điện tử"],
            ["Đ/c Chủ tịch", "Ủy ban MTTQ quận", "MTTQ@x.vn"],
            ["", "Liên đoàn Lao động quận", "ldld@x.vn"],
            ["", "Hội Nông dân", "không-phải-email"],
        ]
    )
    response = api(people.docs_member).post(f"{url}import/", {"file": upload}, format="multipart")
    assert response.status_code == 200
    body = response.json()
    assert (body["added"], body["already"], body["refused"]) == (1, 1, 1)
    assert [(r["number"], r["outcome"]) for r in body["rows"]] == [
        (3, "already"),
        (4, "added"),
        (5, "refused"),
    ]
    assert sorted(OutsideBody.objects.values_list("email", flat=True)) == ["ldld@x.vn", "mttq@x.vn"]
    not_a_sheet = SimpleUploadedFile("x.xlsx", b"hello")
    refused = api(people.docs_member).post(
        f"{url}import/", {"file": not_a_sheet}, format="multipart"
    )
    assert refused.status_code == 400


@pytest.fixture
def report(people, make_document, add_version, time_machine):
    time_machine.move_to(hanoi(2025, 8, 11, 9, 0), tick=False)
    return out_for_comment(people, make_document, add_version, hanoi(2025, 8, 22, 17, 0))


def test_a_written_opinion_must_be_a_pdf_or_docx_and_nothing_is_recorded_otherwise(people, report):
    _invitation, path = invite(people, report, "Đảng ủy phường An Biên", "ab@x.vn")
    page = Client().get(path).content.decode()
    assert 'enctype="multipart/form-data"' in page
    refused = Client().post(
        path,
        {"general": "Ý kiến chung", "opinion": SimpleUploadedFile("y-kien.txt", b"van ban")},
    )
    assert refused.status_code == 400
    assert "A written opinion is a PDF (.pdf) or Word (.docx) file." in refused.content.decode()
    assert "Ý kiến chung" in refused.content.decode()  # what was typed is kept
    assert not WrittenOpinion.objects.exists()
    assert not report.versions.get().comments.exists()

    only_a_file = Client().post(path, {"opinion": SimpleUploadedFile("gop-y.pdf", PDF)})
    assert only_a_file.status_code == 200
    opinion = WrittenOpinion.objects.get()
    assert (opinion.file_type, opinion.size) == ("pdf", len(PDF))
    assert opinion.invitation.answered_at is not None


def test_a_written_opinion_is_only_for_the_drafters_of_its_document(
    people, report, web, make_document, add_version
):
    _invitation, path = invite(people, report, "Đảng ủy phường An Biên", "ab@x.vn")
    Client().post(path, {"opinion": SimpleUploadedFile("gop-y.pdf", PDF)})
    opinion = WrittenOpinion.objects.get()
    other = make_document(title="Dự thảo Nghị quyết")
    add_version(other, "Nghị quyết")
    assert (
        web(people.docs_member)
        .get(f"/documents/{report.pk}/opinions/{opinion.pk}/file/")
        .status_code
        == 200
    )
    assert (
        web(people.docs_member)
        .get(f"/documents/{other.pk}/opinions/{opinion.pk}/file/")
        .status_code
        == 404
    )
    assert (
        web(people.outsider).get(f"/documents/{report.pk}/opinions/{opinion.pk}/file/").status_code
        == 404
    )


def test_the_document_page_imports_the_list_and_says_what_it_did(web, people, report):
    upload = _xlsx(
        [
            ["Tên cơ quan, tổ chức", "Email", "Người liên hệ"],
            ["Hội Liên hiệp Phụ nữ quận", "phunu@x.vn", "Đ/c Chủ tịch Hội"],
            ["Đoàn Thanh niên quận", "sai-email", ""],
        ]
    )
    client = web(people.docs_member)
    response = client.post(
        f"/documents/{report.pk}/outside-bodies/import/", {"file": upload}, follow=True
    )
    page = response.content.decode()
    assert "Outside bodies imported: 1 added, 0 already on the list." in page
    assert "Row 3 (Đoàn Thanh niên quận): Give a valid email address." in page
    assert "data-outside-body>Hội Liên hiệp Phụ nữ quận" in page
    wrong = client.post(
        f"/documents/{report.pk}/outside-bodies/import/",
        {"file": SimpleUploadedFile("a.xlsx", b"not a sheet")},
    )
    assert wrong.status_code == 400
    assert "data-import-error>" in wrong.content.decode()
