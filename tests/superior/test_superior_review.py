# ruff: noqa: F811  (pytest fixtures imported from tests/documents/conftest.py)
"""The superior level's review (issue 22, flow 2), end to end: Lê Chân's political report goes
up its chain to `superior_review`, lands in the queue of the Hải Phòng city committee, whose
reviewer comments by section and whose head returns it; the comments are on Lê Chân's document
as pending comments of the city, the drafters answer them and send a new version up, the city
sees the comparison with the version it saw and approves it."""

import html
import re
from datetime import datetime

import pytest

from congress.models import Membership
from notifications.models import Event
from tests.documents.conftest import media_root, people  # noqa: F401
from workflows.models import AuditEntry, Comment, Document

S = Document.Status
DOCS = "/api/v1/documents/"
QUEUE = "/api/v1/superior/reviews/"
CITY = "Đảng bộ thành phố Hải Phòng"
FIRST = "\n".join(
    [
        "BÁO CÁO CHÍNH TRỊ",
        "I. Đánh giá kết quả nhiệm kỳ 2020-2025",
        "Tăng trưởng kinh tế bình quân 10,5%/năm.",
        "II. Phương hướng nhiệm kỳ 2025-2030",
        "Phấn đấu trở thành quận văn minh, hiện đại.",
    ]
)
SECOND = FIRST.replace("10,5%/năm", "10,8%/năm (số liệu đã rà soát)")
SECTION = "I. Đánh giá kết quả nhiệm kỳ 2020-2025"


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


@pytest.fixture
def report(people):
    """Lê Chân's political report; its consultation was held (tests/documents covers it)."""
    return Document.objects.create(
        congress=people.congress,
        body=people.docs,
        kind=Document.Kind.POLITICAL_REPORT,
        title="Báo cáo chính trị Đại hội XXV",
        rapporteur=people.docs_member,
        created_by=people.docs_head,
        consultations_held=1,
    )


@pytest.fixture
def up_the_chain(api, people):
    """`up(document, text)`: a new version by the rapporteur, then submit and every internal
    approval through the API, to `superior_review`."""

    def up(document, text: str) -> None:
        rapporteur = api(people.docs_member)
        added = rapporteur.post(f"{DOCS}{document.pk}/versions/", {"text": text}, format="json")
        assert added.status_code == 201, added.json()
        for user, name in (
            (people.docs_member, "submit"),
            (people.docs_head, "approve"),
            (people.steering_head, "approve"),
            (people.sc_head, "approve"),
        ):
            done = api(user).post(f"{DOCS}{document.pk}/transitions/{name}/", {}, format="json")
            assert done.status_code == 200, (user.username, done.json())
        document.refresh_from_db()
        assert document.status == S.SUPERIOR_REVIEW

    return up


@pytest.fixture
def personnel_plan(people, api):
    plan = Document.objects.create(
        congress=people.congress,
        body=people.personnel,
        kind=Document.Kind.PERSONNEL_PLAN,
        title="Đề án nhân sự khóa XXVI (mật)",
        rapporteur=people.personnel_member,
    )
    for text in ("I. Cơ cấu\nDự kiến 43 đồng chí", "I. Cơ cấu\nDự kiến 45 đồng chí"):
        added = api(people.personnel_member).post(
            f"{DOCS}{plan.pk}/versions/", {"text": text}, format="json"
        )
        assert added.status_code == 201
    Document.objects.filter(pk=plan.pk).update(status=S.SUPERIOR_REVIEW)
    return plan


def test_the_superior_review_loop_through_the_api(people, city, api, report, up_the_chain):
    up_the_chain(report, FIRST)
    asked = Event.objects.filter(type="document.transitioned").latest("id").payload["reviewers"]
    assert city.head.pk in asked and city.reviewer.pk in asked  # the city is told
    assert people.sc_secretary.pk not in asked  # the lower level no longer records it

    # In the city's queue, with since when it waits and the deadline.
    queue = api(city.head).get(QUEUE).json()
    assert queue["count"] == 1
    [row] = queue["results"]
    entered = AuditEntry.objects.filter(object_id=report.pk, to_state=S.SUPERIOR_REVIEW).get()
    assert (row["id"], row["title"], row["round"]) == (report.pk, report.title, 1)
    assert datetime.fromisoformat(row["waiting_since"]) == entered.at
    assert row["superior_review_due"] == str(people.congress.superior_review_due)
    assert row["available_transitions"] == ["approve", "return"]
    assert api(city.reviewer).get(QUEUE).json()["results"][0]["available_transitions"] == []

    # The reviewer reads it by section and comments on one.
    review = api(city.reviewer).get(f"{QUEUE}{report.pk}/").json()
    assert [s["reference"] for s in review["sections"]] == [
        "BÁO CÁO CHÍNH TRỊ",
        SECTION,
        "II. Phương hướng nhiệm kỳ 2025-2030",
    ]
    assert (review["version_under_review"], review["last_seen_version"]) == (1, None)
    assert review["compare_url"] is None
    sent = api(city.reviewer).post(
        f"{QUEUE}{report.pk}/comments/",
        {"section": SECTION, "text": "Cần bổ sung số liệu năm 2025."},
        format="json",
    )
    assert sent.status_code == 201, sent.json()
    assert (sent.json()["source"], sent.json()["section"]) == (CITY, SECTION)
    unknown = api(city.reviewer).post(
        f"{QUEUE}{report.pk}/comments/", {"section": "IX. Không có", "text": "x"}, format="json"
    )
    assert unknown.status_code == 400
    # A reviewer comments; only the head decides.
    refused = api(city.reviewer).post(
        f"{QUEUE}{report.pk}/transitions/return/", {"reason": "x"}, format="json"
    )
    assert refused.status_code == 403

    # The city's head returns it with comments.
    returned = api(city.head).post(
        f"{QUEUE}{report.pk}/transitions/return/",
        {"reason": "Đề nghị tiếp thu ý kiến của Ban Thường vụ Thành ủy."},
        format="json",
    )
    assert returned.status_code == 200, returned.json()
    assert (returned.json()["status"], returned.json()["round"]) == ("drafting", 2)
    assert api(city.head).get(QUEUE).json()["count"] == 0

    # On Lê Chân's document: a pending comment of the city, which the drafters answer.
    comments = api(people.docs_member).get(f"{DOCS}{report.pk}/comments/").json()["results"]
    [comment] = comments
    assert (comment["source"], comment["section"], comment["disposition"]) == (
        CITY,
        SECTION,
        "pending",
    )
    assert (comment["author"], comment["version"]) == (city.reviewer.pk, 1)
    answered = api(people.docs_member).patch(
        f"{DOCS}{report.pk}/comments/{comment['id']}/",
        {"disposition": "accepted", "response": "Đã bổ sung."},
        format="json",
    )
    assert answered.status_code == 200, answered.json()

    # A new version up the chain again: the comparison names the version the city saw.
    up_the_chain(report, SECOND)
    review = api(city.head).get(f"{QUEUE}{report.pk}/").json()
    assert (review["version_under_review"], review["last_seen_version"]) == (2, 1)
    assert review["compare_url"] == f"{DOCS}{report.pk}/compare.docx?from=1&to=2"
    assert review["comments"] == []
    assert [(c["text"], c["disposition"]) for c in review["earlier_comments"]] == [
        ("Cần bổ sung số liệu năm 2025.", "accepted")
    ]
    word = api(city.reviewer).get(review["compare_url"])
    assert word.status_code == 200 and word.content[:2] == b"PK"

    approved = api(city.head).post(f"{QUEUE}{report.pk}/transitions/approve/", {}, format="json")
    assert approved.status_code == 200, approved.json()
    report.refresh_from_db()
    assert report.status == S.APPROVED
    decided = AuditEntry.objects.filter(object_id=report.pk, transition="approve").latest("id")
    assert (decided.actor, decided.from_state, decided.to_state) == (
        city.head,
        S.SUPERIOR_REVIEW,
        S.APPROVED,
    )


def test_the_superior_review_loop_through_the_pages(people, city, client, report, up_the_chain):
    up_the_chain(report, FIRST)
    client.force_login(city.reviewer)
    queue = _text(client.get("/superior/reviews/"))
    assert report.title in queue and f"/superior/reviews/{report.pk}/" in queue

    page = client.get(f"/superior/reviews/{report.pk}/")
    assert page.status_code == 200
    text = _text(page)
    assert SECTION in text and "Tăng trưởng kinh tế bình quân 10,5%/năm." in text
    assert f"/superior/reviews/{report.pk}/transitions/" not in text  # no decision for them
    sent = client.post(
        f"/superior/reviews/{report.pk}/",
        {"section-1": "Cần bổ sung số liệu năm 2025.", "general": "Rút gọn phần mở đầu."},
        follow=True,
    )
    assert "2 comments recorded." in _text(sent)
    assert sorted(
        Comment.objects.filter(version__document=report).values_list("section", "source")
    ) == [("", CITY), (SECTION, CITY)]

    client.force_login(city.head)
    text = _text(client.get(f"/superior/reviews/{report.pk}/"))
    assert "Cần bổ sung số liệu năm 2025." in text
    assert f"/superior/reviews/{report.pk}/transitions/return/" in text
    no_reason = client.post(f"/superior/reviews/{report.pk}/transitions/return/", {"reason": ""})
    assert no_reason.status_code == 200  # the prompt asks for the reason
    client.post(
        f"/superior/reviews/{report.pk}/transitions/return/",
        {"reason": "Tiếp thu ý kiến.", "version": report.version},
    )
    report.refresh_from_db()
    assert (report.status, report.round) == (S.DRAFTING, 2)
    gone = client.get(f"/superior/reviews/{report.pk}/", follow=True)
    assert "no longer waits for the superior level's review" in _text(gone)

    # Lê Chân's rapporteur sees the city's comments, pending, on the document page.
    client.force_login(people.docs_member)
    document_page = _text(client.get(f"/documents/{report.pk}/"))
    assert "Cần bổ sung số liệu năm 2025." in document_page and CITY in document_page
    for comment in Comment.objects.filter(version__document=report):
        answered = client.post(
            f"/documents/{report.pk}/comments/{comment.pk}/answer/",
            {"disposition": "accepted", "response": ""},
        )
        assert answered.status_code == 302
    assert not Comment.objects.filter(version__document=report, disposition="pending").exists()

    up_the_chain(report, SECOND)
    client.force_login(city.head)
    text = _text(client.get(f"/superior/reviews/{report.pk}/"))
    assert f"/api/v1/documents/{report.pk}/compare.docx?from=1&to=2" in html.unescape(text)
    client.post(f"/superior/reviews/{report.pk}/transitions/approve/", {"version": report.version})
    report.refresh_from_db()
    assert report.status == S.APPROVED


def test_a_reviewer_of_documents_sees_no_personnel_plan_and_the_personnel_reviewer_does(
    people, city, api, client, report, up_the_chain, personnel_plan
):
    up_the_chain(report, FIRST)
    reviewer = api(city.reviewer)
    assert [r["id"] for r in reviewer.get(QUEUE).json()["results"]] == [report.pk]
    assert reviewer.get(f"{QUEUE}{personnel_plan.pk}/").status_code == 404
    compare = f"{DOCS}{personnel_plan.pk}/compare.docx?from=1&to=2"
    assert reviewer.get(compare).status_code == 404
    assert (
        reviewer.post(
            f"{QUEUE}{personnel_plan.pk}/comments/", {"text": "x"}, format="json"
        ).status_code
        == 404
    )
    client.force_login(city.reviewer)
    assert client.get(f"/superior/reviews/{personnel_plan.pk}/").status_code == 404
    assert personnel_plan.title not in _text(client.get("/superior/reviews/"))

    personnel = api(city.personnel_reviewer)
    assert [r["id"] for r in personnel.get(QUEUE).json()["results"]] == [personnel_plan.pk]
    review = personnel.get(f"{QUEUE}{personnel_plan.pk}/").json()
    assert [s["reference"] for s in review["sections"]] == ["I. Cơ cấu"]
    assert personnel.get(compare).status_code == 200
    client.force_login(city.personnel_reviewer)
    assert "Dự kiến 45 đồng chí" in _text(client.get(f"/superior/reviews/{personnel_plan.pk}/"))
    # Its other channels stay on the visibility rule: no list, search or detail of it.
    assert personnel.get(f"{DOCS}{personnel_plan.pk}/").status_code == 404
    assert personnel_plan.pk not in [d["id"] for d in personnel.get(DOCS).json()["results"]]
    found = personnel.get("/api/v1/search/", {"q": "nhân sự"}).json()
    assert personnel_plan.title not in str(found)

    # The city's standing committee reviews it too, and its head decides it.
    assert personnel_plan.pk in [r["id"] for r in api(city.member).get(QUEUE).json()["results"]]
    decided = api(city.head).post(
        f"{QUEUE}{personnel_plan.pk}/transitions/approve/", {}, format="json"
    )
    assert decided.status_code == 200, decided.json()
    assert decided.json()["status"] == "approved"


def test_the_sibling_district_sees_nothing_of_le_chan(city, api, client, report, up_the_chain):
    up_the_chain(report, FIRST)
    sibling = api(city.sibling_head)
    assert sibling.get(QUEUE).json()["count"] == 0
    assert sibling.get(f"{QUEUE}{report.pk}/").status_code == 404
    refused = sibling.post(f"{QUEUE}{report.pk}/transitions/approve/", {}, format="json")
    assert refused.status_code == 404
    client.force_login(city.sibling_head)
    assert client.get(f"/superior/reviews/{report.pk}/").status_code == 404
    assert report.title not in _text(client.get("/superior/reviews/"))
    report.refresh_from_db()
    assert report.status == S.SUPERIOR_REVIEW


@pytest.mark.parametrize("name", ["approve", "return"])
def test_le_chans_secretaries_no_longer_decide_when_the_city_uses_the_product(
    people, city, api, report, up_the_chain, trail, name
):
    up_the_chain(report, FIRST)
    before = trail()
    for secretary in (people.sc_secretary, people.steering_secretary):
        refused = api(secretary).post(
            f"{DOCS}{report.pk}/transitions/{name}/", {"reason": "Theo văn bản"}, format="json"
        )
        assert refused.status_code == 403, refused.json()
        assert "superior organization's standing committee" in refused.json()["detail"]
        assert name not in api(secretary).get(f"{DOCS}{report.pk}/").json()["available_transitions"]
    assert trail() == before
    report.refresh_from_db()
    assert report.status == S.SUPERIOR_REVIEW


def test_le_chans_secretary_still_records_it_when_the_superior_is_not_in_the_product(
    people, city, api, report, up_the_chain
):
    Membership.objects.filter(body=city.committee, role="head").delete()
    up_the_chain(report, FIRST)
    assert api(city.member).get(QUEUE).json()["count"] == 0
    recorded = api(people.sc_secretary).post(
        f"{DOCS}{report.pk}/transitions/approve/", {}, format="json"
    )
    assert recorded.status_code == 200, recorded.json()
    assert recorded.json()["status"] == "approved"


def _seed(people, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        document = Document.objects.create(
            congress=people.congress,
            body=people.docs,
            kind=Document.Kind.RESOLUTION,
            title=f"Dự thảo Nghị quyết {n}",
            status=S.SUPERIOR_REVIEW,
        )
        AuditEntry.objects.create(
            content_type_id=_document_type(),
            object_id=document.pk,
            congress=people.congress,
            transition="approve",
            from_state=S.STANDING_COMMITTEE_REVIEW,
            to_state=S.SUPERIOR_REVIEW,
        )


def _document_type() -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(Document).pk


@pytest.mark.parametrize("path", [QUEUE, "/superior/reviews/"])
def test_the_queue_in_a_constant_number_of_queries(
    people, city, api, client, django_assert_max_num_queries, path
):
    client.force_login(city.head)
    reader = api(city.head) if path == QUEUE else client

    def fetch():
        return reader.get(path)

    _seed(people, 2)
    fetch()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert fetch().status_code == 200
    _seed(people, 8, start=2)
    with django_assert_max_num_queries(len(few)):
        response = fetch()
    assert response.status_code == 200
    assert "Dự thảo Nghị quyết 9" in response.content.decode()


def test_the_review_page_names_the_congress_under_review_in_its_header(
    people, city, client, report, up_the_chain
):
    up_the_chain(report, "I. Mở đầu\nNội dung")
    client.force_login(city.head)  # follows Lê Chân and the sibling district
    assert client.get(f"/congresses/{city.sibling.pk}/").status_code == 200  # remembered
    page = _text(client.get(f"/superior/reviews/{report.pk}/"))
    bar = re.search(r'<div class="congress-bar">(.*?)</div>', page)
    assert bar and people.congress.title in bar.group(1)


def test_the_superiors_digest_lists_what_waits_for_its_review(people, city, report, up_the_chain):
    from django.utils import timezone

    from workflows.digest import digest_for, digest_text

    up_the_chain(report, "I. Mở đầu\nNội dung")
    digest = digest_for(city.head, timezone.now())
    assert [d.pk for d in digest.from_below] == [report.pk]
    text = digest_text(digest)
    assert "Waiting for the superior level's review:" in text
    assert f"/superior/reviews/{report.pk}/" in text and report.title in text
    # Lê Chân's own people get no such section.
    assert digest_for(people.docs_member, timezone.now()).from_below == []
