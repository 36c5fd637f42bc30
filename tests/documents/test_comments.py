"""Comments on a draft: internal or from an outside organization, tied to a version and a
section; taken in, partly taken in or not, with the drafters' response."""

import pytest

from notifications.models import Event
from workflows.models import Comment, Document

S = Document.Status


@pytest.fixture
def drafted(make_document, add_version):
    document = make_document(status=S.CONSULTATION)
    add_version(document, "Dự thảo lần 1")
    add_version(document, "Dự thảo lần 2")
    return document


def _url(document, suffix=""):
    return f"/api/v1/documents/{document.pk}/comments/{suffix}"


def test_a_member_comments_on_the_latest_version(people, api, drafted):
    response = api(people.steering_member).post(
        _url(drafted), {"text": "Bổ sung số liệu năm 2025", "section": "I.2"}, format="json"
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["version"], body["round"], body["section"]) == (2, 1, "I.2")
    assert (body["author"], body["source"], body["disposition"]) == (
        people.steering_member.pk,
        "",
        "pending",
    )
    event = Event.objects.get(type="comment.added")
    assert (event.payload["kind"], event.payload["id"]) == ("comment", body["id"])
    assert event.payload["document"] == drafted.pk
    assert (event.payload["status"], event.payload["version"]) == ("consultation", 1)
    assert event.payload["version_number"] == 2
    assert event.body_id == drafted.body_id


def test_a_comment_can_name_an_earlier_version(people, api, drafted):
    response = api(people.docs_member2).post(
        _url(drafted), {"text": "Ý kiến", "version": 1}, format="json"
    )

    assert response.json()["version"] == 1
    missing = api(people.docs_member2).post(
        _url(drafted), {"text": "Ý kiến", "version": 5}, format="json"
    )
    assert (missing.status_code, next(iter(missing.json()))) == (400, "version")


def test_the_drafters_record_comments_from_outside_organizations(people, api, drafted, trail):
    before = trail()
    refused = api(people.steering_member).post(
        _url(drafted), {"text": "Ý kiến", "source": "Đảng ủy phường An Biên"}, format="json"
    )
    assert refused.status_code == 403
    assert trail() == before

    recorded = api(people.docs_member2).post(
        _url(drafted), {"text": "Ý kiến", "source": "Đảng ủy phường An Biên"}, format="json"
    )
    assert recorded.status_code == 201
    assert recorded.json()["source"] == "Đảng ủy phường An Biên"


def test_a_comment_needs_text(people, api, drafted):
    response = api(people.docs_member).post(_url(drafted), {"text": "   "}, format="json")

    assert response.status_code == 400


def test_no_comment_before_the_first_draft(people, api, make_document):
    document = make_document()

    response = api(people.docs_member).post(_url(document), {"text": "Sớm quá"}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "no_version_to_comment")


def test_no_comment_on_an_approved_document(people, api, make_document, add_version):
    document = make_document(status=S.APPROVED)
    add_version(document)

    response = api(people.docs_member).post(_url(document), {"text": "Muộn"}, format="json")

    assert (response.status_code, response.json()["code"]) == (409, "document_closed")


def _comment(document, **kwargs):
    kwargs.setdefault("text", "Ý kiến")
    return Comment.objects.create(version=document.versions.last(), **kwargs)


@pytest.mark.parametrize("disposition", ["partly_accepted", "not_accepted"])
def test_anything_short_of_acceptance_needs_a_response(people, api, drafted, disposition):
    comment = _comment(drafted, source="Hội Cựu chiến binh quận")

    response = api(people.docs_member).patch(
        _url(drafted, f"{comment.pk}/"), {"disposition": disposition}, format="json"
    )

    assert (response.status_code, next(iter(response.json()))) == (400, "response")
    comment.refresh_from_db()
    assert comment.disposition == "pending"


def test_the_rapporteur_takes_a_comment_in(people, api, drafted):
    comment = _comment(drafted, source="Ủy ban MTTQ quận Lê Chân")

    response = api(people.docs_member).patch(
        _url(drafted, f"{comment.pk}/"),
        {"disposition": "partly_accepted", "response": "Tiếp thu phần số liệu"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["disposition"], body["response"]) == ("partly_accepted", "Tiếp thu phần số liệu")
    assert body["answered_by"] == people.docs_member.pk
    assert body["answered_at"] is not None
    event = Event.objects.get(type="comment.updated")
    assert event.payload["disposition"] == "partly_accepted"


def test_only_drafters_answer_comments(people, api, drafted, trail):
    comment = _comment(drafted)
    before = trail()

    response = api(people.steering_head).patch(
        _url(drafted, f"{comment.pk}/"), {"disposition": "accepted"}, format="json"
    )

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.disposition == "pending"
    assert trail() == before


def test_a_comment_of_another_document_is_a_404(people, api, drafted, make_document, add_version):
    other = make_document(title="Khác")
    add_version(other)
    comment = _comment(other)

    response = api(people.docs_member).patch(
        _url(drafted, f"{comment.pk}/"), {"disposition": "accepted"}, format="json"
    )

    assert response.status_code == 404


def test_an_unknown_disposition_is_a_400(people, api, drafted):
    comment = _comment(drafted)

    response = api(people.docs_member).patch(
        _url(drafted, f"{comment.pk}/"), {"disposition": "maybe"}, format="json"
    )

    assert response.status_code == 400


def test_comments_are_listed_and_filtered(people, api, drafted):
    first, second = drafted.versions.order_by("number")
    Comment.objects.create(version=first, text="a", section="I")
    Comment.objects.create(version=second, text="b", section="II", disposition="accepted")
    Comment.objects.create(version=second, text="c", section="II")
    client = api(people.docs_member2)

    def texts(query=""):
        return [c["text"] for c in client.get(_url(drafted) + query).json()["results"]]

    assert texts() == ["a", "b", "c"]
    assert texts("?version=2") == ["b", "c"]
    assert texts("?disposition=pending") == ["a", "c"]
    assert texts("?section=II") == ["b", "c"]
    assert client.get(_url(drafted) + "?disposition=maybe").status_code == 400


def test_task_comments_still_work(people, api, make_task):
    task = make_task()

    response = api(people.docs_member).post(
        f"/api/v1/tasks/{task.pk}/comments/", {"text": "Đã xong phần I"}, format="json"
    )

    assert response.status_code == 201
    assert Comment.objects.get().task_id == task.pk
    assert api(people.docs_member).get(f"/api/v1/tasks/{task.pk}/comments/").json()["count"] == 1
