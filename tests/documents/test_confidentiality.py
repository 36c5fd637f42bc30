"""The personnel plan belongs to the confidential personnel subcommittee: for anyone who may not
see that body's work it does not exist, on every endpoint (the same 404 as a missing document),
in lists, counts and events; those who may see it see all of it (ARCHITECTURE §5)."""

import pytest

from tests.documents.conftest import upload
from workflows.models import Comment, Document

S = Document.Status


@pytest.fixture
def plan(people, make_document, add_version):
    plan = make_document(
        body=people.personnel,
        kind=Document.Kind.PERSONNEL_PLAN,
        title="Đề án nhân sự Ban Chấp hành khóa XXV",
        rapporteur=people.personnel_member,
        created_by=people.personnel_head,
    )
    add_version(plan, "Danh sách nhân sự dự kiến: Nguyễn Văn A")
    add_version(plan, "Danh sách nhân sự dự kiến: Nguyễn Văn B")
    comment = Comment.objects.create(
        version=plan.versions.last(), author=people.personnel_member, text="Cân nhắc cơ cấu"
    )
    plan.comment_id = comment.pk
    return plan


def _requests(plan):
    base = f"/api/v1/documents/{plan.pk}"
    return [
        ("get", f"{base}/", None),
        ("patch", f"{base}/", {"title": "Lộ"}),
        ("get", f"{base}/versions/", None),
        ("post", f"{base}/versions/", {"text": "Lộ"}),
        ("get", f"{base}/versions/1/", None),
        ("get", f"{base}/versions/1/file/", None),
        ("get", f"{base}/diff/", None),
        ("get", f"{base}/diff/?format=html", None),
        ("get", f"{base}/comments/", None),
        ("post", f"{base}/comments/", {"text": "Lộ"}),
        ("patch", f"{base}/comments/{plan.comment_id}/", {"disposition": "accepted"}),
        ("post", f"{base}/transitions/submit/", {}),
        ("post", f"{base}/transitions/withdraw/", {"reason": "x"}),
        ("get", f"{base}/history/", None),
        ("get", f"{base}/comment-summary/docx/", None),
        ("get", f"{base}/comment-summary/xlsx/", None),
    ]


def _call(client, method, url, data):
    return (
        getattr(client, method)(url, data, format="json")
        if data is not None
        else getattr(client, method)(url)
    )


@pytest.mark.parametrize("who", ["docs_member", "docs_head", "steering_member", "outsider"])
def test_the_personnel_plan_is_a_404_everywhere_for_those_outside(people, api, plan, trail, who):
    client = api(getattr(people, who))
    before = trail()
    missing = Document.objects.order_by("-pk").first().pk + 1000

    for method, url, data in _requests(plan):
        response = _call(client, method, url, data)
        assert response.status_code == 404, (method, url, response.status_code)
        # Exactly what a document that does not exist answers.
        other = _call(client, method, url.replace(f"/{plan.pk}/", f"/{missing}/"), data)
        assert (other.status_code, other.content) == (404, response.content), url

    assert trail() == before
    plan.refresh_from_db()
    assert (plan.title, plan.status, plan.version) == (
        "Đề án nhân sự Ban Chấp hành khóa XXV",
        S.DRAFTING,
        1,
    )


@pytest.mark.parametrize("who", ["docs_member", "steering_member", "outsider"])
def test_the_personnel_plan_is_not_listed_counted_or_announced(
    people, api, plan, make_document, who
):
    make_document(title="Báo cáo chính trị")
    # Events from its life so far must stay inside the personnel body too.
    api(people.personnel_member).post(
        f"/api/v1/documents/{plan.pk}/versions/", {"text": "Bản 3"}, format="json"
    )
    client = api(getattr(people, who))

    listed = client.get("/api/v1/documents/").json()
    searched = client.get("/api/v1/documents/?search=nhân sự").json()
    by_kind = client.get("/api/v1/documents/?kind=personnel_plan").json()
    events = client.get(f"/api/v1/events/?congress={people.congress.pk}").json()
    dashboard = client.get(f"/api/v1/congresses/{people.congress.pk}/dashboard/")

    assert plan.pk not in [d["id"] for d in listed["results"]]
    assert searched["count"] == 0
    assert by_kind["count"] == 0
    assert events["results"] == []
    own = api(people.personnel_member).get(f"/api/v1/events/?congress={people.congress.pk}")
    assert [e["type"] for e in own.json()["results"]] == ["document.version_added"]
    if who != "outsider":
        assert dashboard.json()["documents_by_state"] == {"drafting": 1}


@pytest.mark.parametrize(
    "who", ["personnel_member", "personnel_head", "sc_member", "steering_head", "staff"]
)
def test_those_who_may_see_it_see_all_of_it(people, api, plan, who):
    client = api(getattr(people, who))

    for method, url, _data in _requests(plan):
        if method != "get":
            continue
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    assert plan.pk in [d["id"] for d in client.get("/api/v1/documents/").json()["results"]]
    dashboard = client.get(f"/api/v1/congresses/{people.congress.pk}/dashboard/").json()
    assert dashboard["documents_by_state"] == {"drafting": 1}


def test_the_personnel_subcommittee_works_on_its_plan(people, api, plan, act):
    member = api(people.personnel_member)

    uploaded = member.post(
        f"/api/v1/documents/{plan.pk}/versions/",
        {"file": upload("de-an.txt", "Danh sách".encode())},
        format="multipart",
    )
    assert uploaded.status_code == 201
    assert act(people.personnel_member, plan, "submit").status_code == 200
    assert act(people.personnel_head, plan, "approve").json()["status"] == S.STEERING_REVIEW


def test_its_events_are_marked_confidential(people, api, plan):
    from notifications.models import Event

    api(people.personnel_member).post(
        f"/api/v1/documents/{plan.pk}/comments/", {"text": "Góp ý"}, format="json"
    )

    events = Event.objects.filter(body=people.personnel)
    assert events.count() == 1
    assert all(e.confidential for e in events)


def test_a_personnel_plan_cannot_be_placed_in_an_open_body(people, api):
    response = api(people.docs_head).post(
        "/api/v1/documents/",
        {"body": people.docs.pk, "kind": "personnel_plan", "title": "Đề án nhân sự"},
        format="json",
    )

    assert (response.status_code, next(iter(response.json()))) == (400, "body")


def test_a_rapporteur_must_see_the_bodys_work(people, api):
    response = api(people.personnel_head).post(
        "/api/v1/documents/",
        {
            "body": people.personnel.pk,
            "kind": "personnel_plan",
            "title": "Đề án nhân sự",
            "rapporteur": people.docs_member.pk,
        },
        format="json",
    )

    assert (response.status_code, next(iter(response.json()))) == (400, "rapporteur")


def test_nobody_outside_may_start_a_document_in_the_personnel_body(people, api, trail):
    before = trail()

    response = api(people.docs_head).post(
        "/api/v1/documents/",
        {"body": people.personnel.pk, "kind": "personnel_plan", "title": "Đề án nhân sự"},
        format="json",
    )

    assert response.status_code == 403
    assert trail() == before
    assert not Document.objects.filter(title="Đề án nhân sự").exists()
