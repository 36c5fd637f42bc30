"""The document pages: upload a version, see the diff, the step reviewer's buttons, comments
and their answers, and the comment summary report, all through the document services."""

import html

import pytest

from tests.documents.conftest import docx_bytes, upload
from workflows.models import Comment, Document, DocumentVersion

S = Document.Status


@pytest.fixture
def report(make_document, add_version, people):
    document = make_document(rapporteur=people.docs_member)
    add_version(document, "Phần thứ nhất\nTăng trưởng đạt 10,5%/năm.")
    return document


def test_document_list_groups_by_state(web, people, report, make_document):
    make_document(title="Quy chế làm việc", kind="working_rules", status=S.APPROVED)
    page = web(people.docs_member).get("/documents/").content.decode()
    assert 'id="group-drafting"' in page and 'id="group-approved"' in page
    assert page.index("Báo cáo chính trị") < page.index("Quy chế làm việc")
    only = web(people.docs_member).get("/documents/?status=approved").content.decode()
    assert "Quy chế làm việc" in only and "Báo cáo chính trị Đại hội XXV" not in only


def test_the_rapporteur_uploads_a_word_file_and_sees_the_diff(web, people, report):
    client = web(people.docs_member)
    data = docx_bytes("Phần thứ nhất", "Tăng trưởng đạt 11,2%/năm, vượt chỉ tiêu.")
    response = client.post(
        f"/documents/{report.pk}/versions/",
        {"file": upload("Du thao lan 2.docx", data), "note": "Dự thảo lần 2"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/documents/{report.pk}/#diff"
    version = DocumentVersion.objects.get(document=report, number=2)
    assert (version.file_type, version.note, version.author) == (
        "docx",
        "Dự thảo lần 2",
        people.docs_member,
    )
    page = client.get(f"/documents/{report.pk}/").content.decode()
    assert "<del>10,5</del>" in page
    assert "<ins>11,2</ins>" in page
    assert f'href="/documents/{report.pk}/versions/2/file/"' in page


def test_the_diff_between_chosen_versions(web, people, report, add_version):
    add_version(report, "Phần thứ nhất\nTăng trưởng đạt 11%/năm.")
    add_version(report, "Phần thứ nhất\nTăng trưởng đạt 12%/năm.")
    page = web(people.docs_head).get(f"/documents/{report.pk}/?from=1&to=3").content.decode()
    assert "<ins>12</ins>" in page
    assert '<option value="1" selected>' in page
    fragment = web(people.docs_head).get(
        f"/documents/{report.pk}/?from=1&to=3&fragment=document-detail"
    )
    assert "<ins>12</ins>" in fragment.content.decode()


def test_an_upload_of_the_wrong_type_is_refused_with_its_reason(web, people, report):
    people.docs_member.language = "en"
    people.docs_member.save()
    response = web(people.docs_member).post(
        f"/documents/{report.pk}/versions/",
        {"file": upload("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100), "note": "Bản sửa"},
    )
    # The page again, the reason beside the upload form, the note kept, the file to choose again.
    assert response.status_code == 400
    errors = response.context["upload_form"].errors
    assert len(errors["file"]) == 1 and "docx" in errors["file"][0]
    page = response.content.decode()
    assert 'value="Bản sửa"' in page
    assert "Choose the file “anh.png” again" in page
    assert report.versions.count() == 1


def test_only_drafters_see_the_upload_form_and_may_upload(web, people, report, trail):
    assert 'enctype="multipart/form-data"' in (
        web(people.docs_member).get(f"/documents/{report.pk}/").content.decode()
    )
    outsider_page = web(people.steering_member).get(f"/documents/{report.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' not in outsider_page
    before = trail()
    web(people.steering_member).post(f"/documents/{report.pk}/versions/", {"text": "Bản khác"})
    assert report.versions.count() == 1
    assert trail() == before


def test_the_step_reviewer_approves_and_returns_with_a_reason(
    web, people, make_document, add_version
):
    document = make_document(status=S.SUBCOMMITTEE_REVIEW)
    add_version(document, "Dự thảo")
    page = web(people.docs_head).get(f"/documents/{document.pk}/").content.decode()
    assert f'action="/documents/{document.pk}/transitions/approve/"' in page
    assert f'action="/documents/{document.pk}/transitions/return/"' in page
    member_page = web(people.docs_member).get(f"/documents/{document.pk}/").content.decode()
    assert "/transitions/approve/" not in member_page

    client = web(people.docs_head)
    prompt = client.post(f"/documents/{document.pk}/transitions/return/", {"version": 1})
    assert prompt.status_code == 200
    document.refresh_from_db()
    assert document.status == S.SUBCOMMITTEE_REVIEW
    client.post(
        f"/documents/{document.pk}/transitions/return/",
        {"version": 1, "reason": "Bổ sung số liệu năm 2025"},
    )
    document.refresh_from_db()
    assert (document.status, document.round) == (S.DRAFTING, 2)


def test_the_steering_board_opens_and_closes_a_consultation(
    web, people, make_document, add_version
):
    document = make_document(status=S.STEERING_REVIEW)
    add_version(document, "Dự thảo")
    client = web(people.steering_head)
    page = client.get(f"/documents/{document.pk}/").content.decode()
    assert 'data-needs="consultation_closes_at"' in page
    client.post(
        f"/documents/{document.pk}/transitions/open_consultation/",
        {"version": 1, "consultation_closes_at": "2099-12-31T17:00", "note": "Gửi cơ sở"},
    )
    document.refresh_from_db()
    assert document.status == S.CONSULTATION
    assert document.consultation_closes_at.isoformat() == "2099-12-31T10:00:00+00:00"


def test_a_past_closing_date_is_refused(web, people, make_document, add_version):
    people.steering_head.language = "en"
    people.steering_head.save()
    document = make_document(status=S.STEERING_REVIEW)
    add_version(document, "Dự thảo")
    response = web(people.steering_head).post(
        f"/documents/{document.pk}/transitions/open_consultation/",
        {"version": 1, "consultation_closes_at": "2001-01-01T17:00"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "The closing date must be in the future."
    ]
    document.refresh_from_db()
    assert document.status == S.STEERING_REVIEW


def test_comments_are_added_and_answered_by_the_drafters(web, people, report):
    client = web(people.steering_member)
    client.post(
        f"/documents/{report.pk}/comments/",
        {"text": "Cập nhật số liệu", "section": "Phần thứ nhất", "version": 1},
    )
    comment = Comment.objects.get(version__document=report)
    assert (comment.author, comment.section) == (people.steering_member, "Phần thứ nhất")

    page = web(people.docs_member).get(f"/documents/{report.pk}/").content.decode()
    assert f'action="/documents/{report.pk}/comments/{comment.pk}/answer/"' in page
    assert "/answer/" not in client.get(f"/documents/{report.pk}/").content.decode()

    refused = client.post(
        f"/documents/{report.pk}/comments/{comment.pk}/answer/", {"disposition": "accepted"}
    )
    assert refused.status_code == 302  # no answer form on her page: the reason at the top
    comment.refresh_from_db()
    assert comment.disposition == "pending"

    web(people.docs_member).post(
        f"/documents/{report.pk}/comments/{comment.pk}/answer/",
        {"disposition": "partly_accepted", "response": "Bổ sung một phần"},
    )
    comment.refresh_from_db()
    assert (comment.disposition, comment.response) == ("partly_accepted", "Bổ sung một phần")


def test_a_partial_answer_needs_a_response(web, people, report):
    from workflows.services.documents import document_comment_add

    comment = document_comment_add(
        actor=people.steering_member, document_id=report.pk, text="Ý kiến"
    )
    people.docs_member.language = "en"
    people.docs_member.save()
    response = web(people.docs_member).post(
        f"/documents/{report.pk}/comments/{comment.pk}/answer/",
        {"disposition": "not_accepted", "response": ""},
    )
    assert response.status_code == 400
    # Beside that comment's answer form, opened, with the disposition that was chosen.
    page = response.content.decode()
    answer = page[page.index(f'id="answer-{comment.pk}" open') :]
    answer = answer[: answer.index("</details>")]
    assert "Explain what was not taken in, and why." in answer
    assert '<option value="not_accepted" selected>' in answer
    comment.refresh_from_db()
    assert comment.disposition == "pending"


def test_an_outside_organizations_comment_is_recorded_by_a_drafter(web, people, report):
    web(people.docs_member).post(
        f"/documents/{report.pk}/comments/",
        {"text": "Bổ sung nội dung", "source": "Đảng ủy phường An Biên"},
    )
    assert Comment.objects.get(version__document=report).source == "Đảng ủy phường An Biên"
    page = web(people.steering_member).get(f"/documents/{report.pk}/").content.decode()
    assert 'name="source"' not in page


@pytest.mark.parametrize(
    "fmt, content_type",
    [
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_the_comment_summary_downloads(web, people, report, fmt, content_type):
    from workflows.services.documents import document_comment_add

    document_comment_add(actor=people.steering_member, document_id=report.pk, text="Ý kiến")
    response = web(people.docs_member).get(f"/documents/{report.pk}/comment-summary.{fmt}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    assert response.content[:2] == b"PK"


def test_unknown_report_format_is_a_404(web, people, report):
    assert (
        web(people.docs_member).get(f"/documents/{report.pk}/comment-summary.pdf").status_code
        == 404
    )


def test_a_version_file_downloads(web, people, report):
    response = web(people.docs_member).get(f"/documents/{report.pk}/versions/1/file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith("Phần thứ nhất".encode())
    assert (
        web(people.docs_member).get(f"/documents/{report.pk}/versions/9/file/").status_code == 404
    )


def test_review_chain_shows_the_current_step(web, people, make_document, add_version):
    document = make_document(status=S.STEERING_REVIEW)
    add_version(document, "Dự thảo")
    page = html.unescape(web(people.docs_member).get(f"/documents/{document.pk}/").content.decode())
    assert 'class="step done"' in page
    assert 'class="step current" aria-current="step"' in page
