"""The documents endpoints themselves: create, edit, list with filters, and a constant number
of queries however many documents there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workflows.models import Comment, Document

S = Document.Status
URL = "/api/v1/documents/"


def test_the_subcommittee_head_starts_a_document(people, api):
    response = api(people.docs_head).post(
        URL,
        {
            "congress": people.congress.pk,
            "body": people.docs.pk,
            "kind": "resolution",
            "title": "Dự thảo Nghị quyết Đại hội",
            "rapporteur": people.docs_member2.pk,
            "due_at": "2025-07-15T17:00:00+07:00",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["round"], body["version"]) == ("drafting", 1, 1)
    assert (body["created_by"], body["rapporteur_name"]) == (
        people.docs_head.pk,
        people.docs_member2.get_full_name(),
    )
    assert (body["version_count"], body["latest_version"], body["pending_comments"]) == (0, None, 0)
    assert body["available_transitions"] == ["withdraw"]


@pytest.mark.parametrize("who", ["docs_member", "steering_member", "sc_member"])
def test_plain_members_do_not_start_documents(people, api, trail, who):
    before = trail()

    response = api(getattr(people, who)).post(
        URL, {"body": people.docs.pk, "kind": "other", "title": "X"}, format="json"
    )

    assert response.status_code == 403
    assert trail() == before


def test_a_body_of_another_congress_is_refused(people, api):
    response = api(people.docs_head).post(
        URL,
        {
            "congress": people.congress.pk,
            "body": people.other_docs.pk,
            "kind": "other",
            "title": "X",
        },
        format="json",
    )

    assert response.status_code == 400


def test_the_rapporteur_edits_the_title(people, api, make_document):
    document = make_document()

    response = api(people.docs_member).patch(
        f"{URL}{document.pk}/",
        {"title": "Báo cáo chính trị (dự thảo)", "version": 1},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["title"], response.json()["version"]) == (
        "Báo cáo chính trị (dự thảo)",
        2,
    )


def test_editing_with_a_stale_version_is_a_409(people, api, make_document):
    document = make_document(version=3)

    response = api(people.docs_head).patch(
        f"{URL}{document.pk}/", {"title": "Mới", "version": 2}, format="json"
    )

    assert (response.status_code, response.json()["code"]) == (409, "stale_version")


def test_a_document_does_not_move_to_another_body(people, api, make_document):
    document = make_document()

    response = api(people.docs_head).patch(
        f"{URL}{document.pk}/", {"body": people.orgbody.pk}, format="json"
    )

    assert (response.status_code, next(iter(response.json()))) == (400, "body")


def test_the_kind_changes_only_while_drafting(people, api, make_document):
    document = make_document(status=S.STEERING_REVIEW)

    response = api(people.docs_head).patch(
        f"{URL}{document.pk}/", {"kind": "resolution"}, format="json"
    )

    assert (response.status_code, next(iter(response.json()))) == (400, "kind")


def test_a_reviewer_does_not_edit_the_document(people, api, make_document, trail):
    document = make_document()
    before = trail()

    response = api(people.steering_member).patch(
        f"{URL}{document.pk}/", {"title": "Khác"}, format="json"
    )

    assert response.status_code == 403
    assert trail() == before


def test_the_list_filters(people, api, make_document):
    report = make_document()
    rules = make_document(kind=Document.Kind.WORKING_RULES, title="Quy chế", status=S.APPROVED)
    client = api(people.docs_member)

    def ids(query):
        return [d["id"] for d in client.get(URL + query).json()["results"]]

    assert ids("") == [report.pk, rules.pk]
    assert ids("?kind=working_rules") == [rules.pk]
    assert ids("?status=drafting&status=approved") == [report.pk, rules.pk]
    assert ids("?rapporteur=me") == [report.pk, rules.pk]
    assert ids(f"?congress={people.congress.pk}&body={people.docs.pk}") == [report.pk, rules.pk]
    assert ids("?search=Quy") == [rules.pk]
    assert ids("?ordering=-id") == [rules.pk, report.pk]
    assert client.get(URL + "?rapporteur=abc").status_code == 400
    assert client.get(URL + "?status=flying").status_code == 400


def _seed(people, make_document, add_version, count):
    for i in range(count):
        document = make_document(title=f"Văn kiện {i}", status=S.SUBCOMMITTEE_REVIEW)
        version = add_version(document)
        Comment.objects.create(version=version, text="Ý kiến", author=people.docs_member2)


def test_the_list_costs_the_same_queries_for_many_documents(
    people, api, make_document, add_version, django_assert_max_num_queries
):
    client = api(people.docs_head)
    _seed(people, make_document, add_version, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200

    _seed(people, make_document, add_version, 30)

    with django_assert_max_num_queries(len(few)):
        response = client.get(URL)
    assert response.json()["count"] == 33
    assert all(
        d["available_transitions"] == ["approve", "return", "withdraw"]
        for d in response.json()["results"]
    )
    assert all(d["pending_comments"] == 1 for d in response.json()["results"])


def test_the_dashboard_counts_documents_by_state(people, api, make_document):
    make_document()
    make_document(status=S.STEERING_REVIEW)
    make_document(status=S.STEERING_REVIEW)

    dashboard = api(people.docs_member).get(f"/api/v1/congresses/{people.congress.pk}/dashboard/")

    assert dashboard.json()["documents_by_state"] == {"drafting": 1, "steering_review": 2}


def test_the_openapi_schema_describes_the_documents_endpoints(people, api):
    schema = api(people.docs_member).get("/api/v1/schema/?format=json").json()

    paths = schema["paths"]
    for path in (
        "/api/v1/documents/",
        "/api/v1/documents/{id}/versions/",
        "/api/v1/documents/{id}/versions/{number}/file/",
        "/api/v1/documents/{id}/diff/",
        "/api/v1/documents/{id}/comments/{cid}/",
        "/api/v1/documents/{id}/transitions/{name}/",
        "/api/v1/documents/{id}/comment-summary/{fmt}/",
    ):
        assert path in paths, path
