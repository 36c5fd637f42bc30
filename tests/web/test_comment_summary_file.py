"""The comment summary is built once (workflows.reports.comment_summary_file): the document
page's download and the API's give the same file, name and language."""

import io

import pytest
from openpyxl import load_workbook

from workflows.models import Comment
from workflows.reports import comment_summary_file


@pytest.fixture
def commented(make_document, add_version, people):
    document = make_document()
    first = add_version(document, "Dự thảo lần 1", round=1)
    second = add_version(document, "Dự thảo lần 2", round=2)
    Comment.objects.create(version=first, source="Đảng ủy phường An Biên", text="Lần một")
    Comment.objects.create(version=second, source="Hội Cựu chiến binh", text="Lần hai")
    return document


def _rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[1]
    return [row[:3] + row[5:7] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_page_and_the_api_download_the_same_summary(web, api, people, commented):
    people.docs_member.language = "en"
    people.docs_member.save()

    page = web(people.docs_member).get(f"/documents/{commented.pk}/comment-summary.xlsx?round=2")
    endpoint = api(people.docs_member).get(
        f"/api/v1/documents/{commented.pk}/comment-summary/xlsx/?round=2"
    )

    name = f'attachment; filename="tong-hop-y-kien-van-kien-{commented.pk}.xlsx"'
    for response in (page, endpoint):
        assert response.status_code == 200
        assert response["Content-Disposition"] == name
        assert response["Cache-Control"] == "private, no-store"
        assert _rows(response.content) == [
            (1, "General comments", "Hội Cựu chiến binh", "Lần hai", "Pending")
        ]


def test_the_summary_file_is_named_and_typed_by_its_format(people, commented):
    content, content_type, name = comment_summary_file(
        commented, round=None, fmt="xlsx", user=people.docs_member
    )

    assert content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert name == f"tong-hop-y-kien-van-kien-{commented.pk}.xlsx"
    assert [row[3] for row in _rows(content)] == ["Lần một", "Lần hai"]
