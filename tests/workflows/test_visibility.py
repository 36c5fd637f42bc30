"""ARCHITECTURE §5: the personnel subcommittee's work is confidential. A documents member learns
nothing of it through any door; the standing committee, the steering board's leaders and the
personnel members see it; a member of another congress sees nothing of this one."""

import pytest

from congress.models import Membership
from tests.factories import MembershipFactory, UserFactory
from workflows.models import Task
from workflows.services.tasks import task_comment_add, task_transition

S = Task.Status


@pytest.fixture
def secret(world, make_task):
    """A personnel task that has moved and been discussed, and an ordinary documents task."""
    task = make_task(
        body=world.personnel,
        assignee=world.personnel_member,
        created_by=world.steering_head,
        title="Đề án nhân sự Ban Chấp hành khóa mới",
        description="Danh sách dự kiến",
    )
    task_transition(actor=world.personnel_member, task_id=task.pk, name="start")
    task_comment_add(actor=world.personnel_member, task_id=task.pk, text="Đã rà soát hồ sơ")
    return task


@pytest.fixture
def open_task(world, make_task):
    task = make_task(title="Dự thảo Báo cáo chính trị")
    task_transition(actor=world.docs_member, task_id=task.pk, name="start")
    return task


def steering_user(world, role):
    user = UserFactory(username=f"steering_{role}")
    MembershipFactory(body=world.steering, user=user, role=role)
    return user


def task_ids(client, query=""):
    response = client.get(f"/api/v1/tasks/?page_size=200{query}")
    assert response.status_code == 200
    return sorted(t["id"] for t in response.json()["results"])


def test_documents_member_list_omits_confidential_tasks(world, api, secret, open_task):
    client = api(world.docs_member)

    assert task_ids(client) == [open_task.pk]
    assert task_ids(client, f"&body={world.personnel.pk}") == []
    assert task_ids(client, f"&assignee={world.personnel_member.pk}") == []
    assert task_ids(client, "&search=nhân sự") == []
    assert client.get("/api/v1/tasks/").json()["count"] == 1


@pytest.mark.parametrize(
    "path",
    ["/api/v1/tasks/{id}/", "/api/v1/tasks/{id}/history/", "/api/v1/tasks/{id}/comments/"],
)
def test_documents_member_gets_not_found_for_confidential_task(world, api, secret, path):
    response = api(world.docs_member).get(path.format(id=secret.pk))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert sorted(response.json()) == ["code", "detail"]


def test_confidential_task_answers_like_a_missing_one(world, api, secret):
    client = api(world.docs_member)
    missing = secret.pk + 1000

    for path in ("/api/v1/tasks/{}/", "/api/v1/tasks/{}/history/", "/api/v1/tasks/{}/comments/"):
        hidden = client.get(path.format(secret.pk))
        absent = client.get(path.format(missing))
        assert (hidden.status_code, hidden.json()) == (absent.status_code, absent.json())


def test_documents_member_cannot_write_on_confidential_task(world, api, secret, trail):
    client = api(world.docs_member)
    before = trail()

    responses = [
        client.patch(f"/api/v1/tasks/{secret.pk}/", {"title": "x"}),
        client.post(f"/api/v1/tasks/{secret.pk}/comments/", {"text": "x"}),
        client.post(f"/api/v1/tasks/{secret.pk}/transitions/submit/", {"note": "x"}),
        client.post(f"/api/v1/tasks/{secret.pk}/transitions/fly/", {}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert {r.json()["code"] for r in responses} == {"not_found"}
    secret.refresh_from_db()
    assert (secret.title, secret.status, secret.version) == (
        "Đề án nhân sự Ban Chấp hành khóa mới",
        S.IN_PROGRESS,
        2,
    )
    assert trail() == before


def test_even_docs_head_cannot_see_or_act_on_confidential_task(world, api, secret):
    client = api(world.docs_head)

    assert task_ids(client) == []
    assert (
        client.post(f"/api/v1/tasks/{secret.pk}/transitions/cancel/", {"reason": "x"}).status_code
        == 404
    )


def test_events_api_hides_confidential_events_from_documents_member(world, api, secret, open_task):
    response = api(world.docs_member).get(f"/api/v1/events/?congress={world.congress.pk}")

    assert response.status_code == 200
    seen = [(e["type"], e["data"]["kind"], e["data"]["id"]) for e in response.json()["results"]]
    assert seen == [("task.transitioned", "task", open_task.pk)]


def test_events_api_shows_confidential_events_to_standing_committee(world, api, secret, open_task):
    response = api(world.sc_head).get(f"/api/v1/events/?congress={world.congress.pk}")

    seen = [(e["type"], e["data"]["kind"]) for e in response.json()["results"]]
    assert seen == [
        ("task.transitioned", "task"),
        ("comment.added", "comment"),
        ("task.transitioned", "task"),
    ]


def test_dashboard_counts_omit_confidential_work_for_documents_member(
    world, api, secret, open_task, make_task
):
    make_task(body=world.personnel, assignee=world.personnel_member, status=S.DONE)

    dashboard = api(world.docs_member).get(f"/api/v1/congresses/{world.congress.pk}/dashboard/")

    assert dashboard.status_code == 200
    data = dashboard.json()
    assert [b["kind"] for b in data["bodies"]] == [
        "standing_committee",
        "steering_board",
        "documents",
        "organization",
    ]
    assert (data["tasks"]["total"], data["tasks"]["open"], data["tasks"]["done"]) == (1, 1, 0)


def test_dashboard_counts_confidential_work_for_steering_head(
    world, api, secret, open_task, make_task
):
    make_task(body=world.personnel, assignee=world.personnel_member, status=S.DONE)

    data = api(world.steering_head).get(f"/api/v1/congresses/{world.congress.pk}/dashboard/").json()

    personnel = next(b for b in data["bodies"] if b["kind"] == "personnel")
    assert (personnel["total"], personnel["open"], personnel["done"]) == (2, 1, 1)
    assert (data["tasks"]["total"], data["tasks"]["open"], data["tasks"]["done"]) == (3, 2, 1)


@pytest.mark.parametrize("who", ["sc_head", "steering_head", "personnel_member", "staff"])
def test_privileged_users_see_confidential_task(world, api, secret, open_task, who):
    client = api(getattr(world, who))

    assert task_ids(client) == sorted([secret.pk, open_task.pk])
    assert client.get(f"/api/v1/tasks/{secret.pk}/").status_code == 200
    history = client.get(f"/api/v1/tasks/{secret.pk}/history/").json()["results"]
    assert [h["transition"] for h in history] == ["start"]
    comments = client.get(f"/api/v1/tasks/{secret.pk}/comments/").json()["results"]
    assert [c["text"] for c in comments] == ["Đã rà soát hồ sơ"]


def test_steering_deputy_sees_confidential_task(world, api, secret):
    deputy = steering_user(world, Membership.Role.DEPUTY)

    assert api(deputy).get(f"/api/v1/tasks/{secret.pk}/").status_code == 200


def test_plain_steering_member_does_not_see_confidential_task(world, api, secret):
    member = steering_user(world, Membership.Role.MEMBER)

    assert api(member).get(f"/api/v1/tasks/{secret.pk}/").status_code == 404
    assert task_ids(api(member)) == []


def test_standing_committee_plain_member_sees_confidential_task(world, api, secret):
    member = UserFactory(username="sc_member")
    MembershipFactory(body=world.sc, user=member, role=Membership.Role.MEMBER)

    assert api(member).get(f"/api/v1/tasks/{secret.pk}/").status_code == 200


def test_confidential_dependency_cannot_be_referenced_by_documents_head(world, api, secret):
    response = api(world.docs_head).post(
        "/api/v1/tasks/",
        {"body": world.docs.pk, "title": "Tổng hợp", "depends_on": [secret.pk]},
    )
    missing = api(world.docs_head).post(
        "/api/v1/tasks/",
        {"body": world.docs.pk, "title": "Tổng hợp", "depends_on": [secret.pk + 1000]},
    )

    assert response.status_code == 400
    assert response.json()["depends_on"] == [f'Invalid pk "{secret.pk}" - object does not exist.']
    assert missing.json()["depends_on"] == [
        f'Invalid pk "{secret.pk + 1000}" - object does not exist.'
    ]


def test_documents_member_cannot_be_assigned_a_confidential_task(world, api):
    response = api(world.steering_head).post(
        "/api/v1/tasks/",
        {"body": world.personnel.pk, "title": "Thẩm định hồ sơ", "assignee": world.docs_member.pk},
    )

    assert response.status_code == 400
    assert list(response.json()["assignee"]) == [
        "The assignee must be a member who can see this body's work."
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/congresses/{congress}/",
        "/api/v1/congresses/{congress}/dashboard/",
        "/api/v1/tasks/{task}/",
        "/api/v1/tasks/{task}/history/",
        "/api/v1/tasks/{task}/comments/",
        "/api/v1/bodies/{body}/",
        "/api/v1/bodies/{body}/members/",
    ],
)
def test_outsider_gets_not_found_for_everything_of_the_congress(world, api, open_task, path):
    response = api(world.outsider).get(
        path.format(congress=world.congress.pk, task=open_task.pk, body=world.docs.pk)
    )

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_outsider_lists_hold_nothing_of_the_congress(world, api, open_task, secret):
    client = api(world.outsider)
    congress = world.congress.pk

    congresses = [c["id"] for c in client.get("/api/v1/congresses/").json()["results"]]
    assert congresses == [world.other_congress.pk]
    assert client.get(f"/api/v1/tasks/?congress={congress}").json()["count"] == 0
    assert client.get("/api/v1/tasks/").json()["count"] == 0
    assert client.get(f"/api/v1/bodies/?congress={congress}").json()["count"] == 0
    assert client.get(f"/api/v1/events/?congress={congress}").json()["count"] == 0
    organizations = [o["name"] for o in client.get("/api/v1/organizations/").json()["results"]]
    assert organizations == ["Đảng bộ quận Ngô Quyền"]
    usernames = [u["username"] for u in client.get("/api/v1/users/").json()["results"]]
    assert usernames == ["outsider"]


def test_outsider_cannot_act_on_the_congress(world, api, open_task, trail):
    client = api(world.outsider)
    before = trail()

    responses = [
        client.post(f"/api/v1/congresses/{world.congress.pk}/transitions/cancel/", {"reason": "x"}),
        client.patch(f"/api/v1/congresses/{world.congress.pk}/", {"venue": "x"}),
        client.post(f"/api/v1/tasks/{open_task.pk}/transitions/cancel/", {"reason": "x"}),
        client.post(f"/api/v1/tasks/{open_task.pk}/comments/", {"text": "x"}),
        client.post(f"/api/v1/bodies/{world.docs.pk}/members/", {"user": world.outsider.pk}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404, 404]
    assert trail() == before


def test_outsider_cannot_create_a_task_in_the_congress(world, api):
    response = api(world.outsider).post(
        "/api/v1/tasks/", {"body": world.docs.pk, "title": "Chen ngang"}
    )

    assert response.status_code == 400
    assert response.json()["body"] == [f'Invalid pk "{world.docs.pk}" - object does not exist.']
    assert Task.objects.count() == 0
