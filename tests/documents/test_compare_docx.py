"""The Word comparison of two versions: a .docx of the newer version in which the changes since
the older one are Word tracked changes (w:ins / w:del by the newer version's drafter, dated when
it was added), served by the API and the document page; refusals are 400s with a message, an
invisible document the same 404 as elsewhere."""

import io
from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from docx import Document as WordDocument
from docx.oxml.ns import qn

from tests.factories import UserFactory
from workflows.models import Document

S = Document.Status
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

OLD = "\n".join(
    [
        "BÁO CÁO CHÍNH TRỊ",
        "Phần thứ nhất",
        "Tăng trưởng bình quân 10,5%/năm.",
        "Thu ngân sách vượt dự toán.",
        "Môi trường còn hạn chế.",
        "Phần thứ hai",
        "Phát triển đô thị văn minh.",
    ]
)
NEW = "\n".join(
    [
        "BÁO CÁO CHÍNH TRỊ",
        "Phần thứ nhất",
        "Tăng trưởng bình quân 11,2%/năm.",
        "Thu ngân sách vượt dự toán.",
        "Phần thứ hai",
        "Phát triển đô thị văn minh, hiện đại.",
        "Kinh tế số chiếm 20% GRDP.",
    ]
)
ADDED_AT = datetime(2025, 5, 6, 3, 4, 5, 678000, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def drafted(people, make_document, add_version):
    drafter = UserFactory(username="drafter2", first_name="Lan", last_name="Nguyễn Thị")
    document = make_document(status=S.DRAFTING, round=2)
    add_version(document, OLD, author=people.docs_member, round=1)
    second = add_version(document, NEW, author=drafter, round=2)
    type(second).objects.filter(pk=second.pk).update(created_at=ADDED_AT)
    return document


def _get(api, user, document, query="?from=1&to=2"):
    return api(user).get(f"/api/v1/documents/{document.pk}/compare.docx{query}")


def _body(content: bytes):
    return WordDocument(io.BytesIO(content)).element.body


def _texts(body, tag: str) -> list[str]:
    """The text of each w:ins or w:del, in document order."""
    inner = "t" if tag == "ins" else "delText"
    return [
        "".join(t.text for t in change.iter(f"{W}{inner}"))
        for change in body.iter(f"{W}{tag}")
        if change.getparent().tag != f"{W}rPr"  # paragraph marks carry no text
    ]


def test_the_comparison_is_a_word_file_with_tracked_changes(people, api, drafted):
    response = _get(api, people.docs_member2, drafted)

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="so-sanh-van-kien-{drafted.pk}-v1-v2.docx"'
    )
    assert response["Cache-Control"] == "private, no-store"
    body = _body(response.content)
    assert _texts(body, "ins") == ["11,2", ", hiện đại", "Kinh tế số chiếm 20% GRDP."]
    assert _texts(body, "del") == ["10,5", "Môi trường còn hạn chế."]


def test_each_change_is_by_the_drafter_of_the_newer_version_at_its_time(people, api, drafted):
    body = _body(_get(api, people.docs_member2, drafted).content)
    changes = [*body.iter(f"{W}ins"), *body.iter(f"{W}del")]

    assert len(changes) == 7  # 5 runs and the marks of the whole inserted/deleted paragraphs
    assert {c.get(qn("w:author")) for c in changes} == {"Lan Nguyễn Thị"}
    assert {c.get(qn("w:date")) for c in changes} == {"2025-05-06T03:04:05Z"}
    ids = [c.get(qn("w:id")) for c in changes]
    assert len(set(ids)) == len(ids)


def test_accepting_every_change_gives_the_newer_text_and_rejecting_the_older(people, api, drafted):
    body = _body(_get(api, people.docs_member2, drafted).content)

    def text(keep: str, drop: str) -> str:
        lines = []
        for p in body.iter(f"{W}p"):
            mark = p.find(f"{W}pPr/{W}rPr/{W}{drop}")
            if mark is not None:
                continue  # the whole paragraph goes
            parts = []
            for run in p.iter(f"{W}r"):
                if run.getparent().tag == f"{W}{drop}":
                    continue
                parts += [t.text for t in run if t.tag in (f"{W}t", f"{W}delText")]
            lines.append("".join(parts))
        return "\n".join(lines)

    assert text("ins", "del") == NEW
    assert text("del", "ins") == OLD


def test_the_paragraphs_of_the_newer_version_are_all_there_in_order(people, api, drafted):
    word = WordDocument(io.BytesIO(_get(api, people.docs_member2, drafted).content))

    # python-docx's paragraph text holds the runs outside tracked changes.
    assert [p.text for p in word.paragraphs] == [
        "BÁO CÁO CHÍNH TRỊ",
        "Phần thứ nhất",
        "Tăng trưởng bình quân %/năm.",
        "Thu ngân sách vượt dự toán.",
        "",  # deleted whole
        "Phần thứ hai",
        "Phát triển đô thị văn minh.",
        "",  # inserted whole
    ]
    assert word.core_properties.title == drafted.title
    assert word.settings.element.find(qn("w:trackRevisions")) is not None


def test_versions_default_to_the_latest_and_the_one_before(people, api, drafted):
    response = _get(api, people.docs_member2, drafted, "")

    assert response.status_code == 200
    assert _texts(_body(response.content), "del") == ["10,5", "Môi trường còn hạn chế."]


@pytest.mark.parametrize(
    "query, message",
    [
        ("?from=2&to=1", "Compare an older version with a newer one (from < to)."),
        ("?from=2&to=2", "Compare an older version with a newer one (from < to)."),
        ("?from=1&to=7", "This document has no version 7."),
        ("?from=9", "This document has no version 9."),
    ],
)
def test_versions_out_of_order_or_missing_are_a_400_with_a_message(
    people, api, drafted, query, message
):
    response = _get(api, people.docs_member2, drafted, query)

    assert response.status_code == 400
    body = response.json()
    assert message in [body["detail"], *body.get("from", [])]


def test_a_version_number_that_is_not_a_number_is_a_400(people, api, drafted):
    response = _get(api, people.docs_member2, drafted, "?from=x&to=2")

    assert response.status_code == 400
    assert response.json()["from"] == ["Give a version number."]


def test_a_document_with_one_version_has_nothing_to_compare(
    people, api, make_document, add_version
):
    document = make_document()
    add_version(document, OLD)

    response = _get(api, people.docs_member2, document, "")

    assert response.status_code == 400
    assert response.json()["detail"] == "A diff needs two versions; this document has 1."


def test_a_diff_too_large_to_compare_is_a_400(people, api, drafted, settings):
    settings.DIFF_MAX_LINES = 3

    response = _get(api, people.docs_member2, drafted)

    assert response.status_code == 400
    assert response.json() == {
        "detail": "These versions are too large to compare line by line: 10 paragraphs differ "
        "(at most 3 are compared). Download both files to compare them.",
        "code": "diff_too_large",
    }


@pytest.fixture
def personnel_plan(people, make_document, add_version):
    plan = make_document(
        body=people.personnel,
        kind=Document.Kind.PERSONNEL_PLAN,
        title="Đề án nhân sự",
        rapporteur=people.personnel_member,
        created_by=people.personnel_head,
    )
    add_version(plan, OLD)
    add_version(plan, NEW)
    return plan


def test_a_documents_member_gets_the_same_404_for_a_personnel_document(people, api, personnel_plan):
    response = _get(api, people.docs_member, personnel_plan)
    missing = api(people.docs_member).get("/api/v1/documents/999999/compare.docx?from=1&to=2")

    assert response.status_code == 404
    assert response.json() == missing.json() == {"detail": "Not found.", "code": "not_found"}
    assert _get(api, people.personnel_member, personnel_plan).status_code == 200


def test_the_document_page_offers_the_comparison_and_serves_the_same_file(people, client, drafted):
    client.force_login(people.docs_member2)

    page = client.get(f"/documents/{drafted.pk}/?from=1&to=2")
    response = client.get(f"/documents/{drafted.pk}/compare.docx?from=1&to=2")

    link = f'href="/documents/{drafted.pk}/compare.docx?from=1&amp;to=2"'
    assert link in page.content.decode()
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert _texts(_body(response.content), "ins") == [
        "11,2",
        ", hiện đại",
        "Kinh tế số chiếm 20% GRDP.",
    ]


def test_the_web_comparison_refuses_with_a_message_on_the_page(people, client, drafted):
    client.force_login(people.docs_member2)

    response = client.get(f"/documents/{drafted.pk}/compare.docx?from=2&to=1", follow=True)

    assert response.redirect_chain == [(f"/documents/{drafted.pk}/?from=2&to=1#diff", 302)]
    assert "Compare an older version with a newer one (from &lt; to)." in (
        response.content.decode()
    )


def test_the_web_comparison_of_a_personnel_document_is_a_404(people, client, personnel_plan):
    client.force_login(people.docs_member)

    response = client.get(f"/documents/{personnel_plan.pk}/compare.docx?from=1&to=2")

    assert response.status_code == 404
