"""The core endpoints of ARCHITECTURE §6: token, me, users, organizations, congresses (with
their lifecycle and dashboard), bodies and members, and the events catch-up list."""

from datetime import date, datetime

import pytest
import time_machine

from congress.models import Body, Congress, Membership, Organization
from notifications.models import Event
from tests.factories import HANOI, PASSWORD, MembershipFactory, UserFactory
from workflows.models import Task

S = Task.Status


# --- auth and me -------------------------------------------------------------------------


def test_token_for_good_password_authenticates_later_requests(world, api):
    response = api().post("/api/v1/auth/token/", {"username": "docs_member", "password": PASSWORD})

    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) == 64
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/me/").json()["username"] == "docs_member"


def test_each_login_gets_its_own_token_and_both_work(world, api):
    first = api().post("/api/v1/auth/token/", {"username": "docs_head", "password": PASSWORD})
    second = api().post("/api/v1/auth/token/", {"username": "docs_head", "password": PASSWORD})

    assert first.json()["token"] != second.json()["token"]
    for token in (first.json()["token"], second.json()["token"]):
        client = api()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert client.get("/api/v1/me/").json()["username"] == "docs_head"


@pytest.mark.parametrize(
    "credentials",
    [
        {"username": "docs_member", "password": "wrong-password"},
        {"username": "nobody", "password": PASSWORD},
    ],
)
def test_token_refused_for_wrong_credentials_without_telling_which(world, api, credentials):
    response = api().post("/api/v1/auth/token/", credentials)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {
        "detail": "Wrong username or password.",
        "code": "authentication_failed",
    }


def test_token_refused_for_inactive_user(world, api):
    world.docs_member.is_active = False
    world.docs_member.save()

    response = api().post("/api/v1/auth/token/", {"username": "docs_member", "password": PASSWORD})

    assert response.status_code == 401
    assert "token" not in response.json()


def test_token_request_without_password_is_bad_request(world, api):
    response = api().post("/api/v1/auth/token/", {"username": "docs_member"})

    assert response.status_code == 400
    assert "password" in response.json()


def test_wrong_token_is_unauthorized(world, api):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    response = client.get("/api/v1/me/")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_me_lists_memberships_and_roles(world, api):
    MembershipFactory(body=world.steering, user=world.docs_head, role=Membership.Role.MEMBER)

    response = api(world.docs_head).get("/api/v1/me/")

    assert response.status_code == 200
    me = response.json()
    assert (me["id"], me["username"], me["is_staff"], me["language"]) == (
        world.docs_head.pk,
        "docs_head",
        False,
        "en",  # the factory's language (tests read in English)
    )
    assert [(m["body"], m["body_kind"], m["congress"], m["role"]) for m in me["memberships"]] == [
        (world.steering.pk, "steering_board", world.congress.pk, "member"),
        (world.docs.pk, "documents", world.congress.pk, "head"),
    ]
    assert me["memberships"][1]["congress_title"] == (
        "Congress XXV of Đảng bộ quận Lê Chân, term 2025-2030"
    )


def test_me_for_staff_without_memberships(world, api):
    me = api(world.staff).get("/api/v1/me/").json()

    assert (me["is_staff"], me["memberships"]) == (True, [])


# --- users --------------------------------------------------------------------------------


def test_staff_creates_user_who_can_then_log_in(world, api):
    response = api(world.staff).post(
        "/api/v1/users/",
        {
            "username": "tran.thi.b",
            "password": "Van-kien-XXV-2025",
            "email": "b@lechan.vn",
            "first_name": "Thị B",
            "last_name": "Trần",
            "language": "en",
        },
    )

    assert response.status_code == 201, response.json()
    assert response.json() == {
        "id": response.json()["id"],
        "username": "tran.thi.b",
        "first_name": "Thị B",
        "last_name": "Trần",
        "full_name": "Thị B Trần",
        "email": "b@lechan.vn",
        "language": "en",
    }
    login = api().post(
        "/api/v1/auth/token/", {"username": "tran.thi.b", "password": "Van-kien-XXV-2025"}
    )
    assert login.status_code == 200


@pytest.mark.parametrize("password", ["12345678", "password", "short", "tran.thi.b"])
def test_user_creation_validates_the_password(world, api, password, django_user_model):
    response = api(world.staff).post(
        "/api/v1/users/", {"username": "tran.thi.b", "password": password}
    )

    assert response.status_code == 400
    assert len(response.json()["password"]) >= 1
    assert not django_user_model.objects.filter(username="tran.thi.b").exists()


def test_user_creation_refuses_duplicate_username(world, api):
    response = api(world.staff).post(
        "/api/v1/users/", {"username": "docs_member", "password": "Van-kien-XXV-2025"}
    )

    assert response.status_code == 400
    assert "username" in response.json()


def test_non_staff_cannot_create_users(world, api, django_user_model):
    response = api(world.sc_head).post(
        "/api/v1/users/", {"username": "tran.thi.b", "password": "Van-kien-XXV-2025"}
    )

    assert response.status_code == 403
    assert response.json()["code"] == "staff_only"
    assert not django_user_model.objects.filter(username="tran.thi.b").exists()


def test_users_list_holds_people_who_share_a_congress(world, api):
    response = api(world.docs_member).get("/api/v1/users/")

    assert [u["username"] for u in response.json()["results"]] == [
        "docs_deputy",
        "docs_head",
        "docs_member",
        "docs_member2",
        "personnel_member",
        "sc_head",
        "steering_head",
    ]
    assert "password" not in response.json()["results"][0]


# --- organizations ------------------------------------------------------------------------


def test_staff_creates_organization(world, api):
    response = api(world.staff).post(
        "/api/v1/organizations/",
        {"name": "Đảng bộ phường An Biên", "level": "ward", "parent": world.org.pk},
    )

    assert response.status_code == 201
    assert {k: response.json()[k] for k in ("name", "level", "parent", "successor")} == {
        "name": "Đảng bộ phường An Biên",
        "level": "ward",
        "parent": world.org.pk,
        "successor": None,
    }


def test_non_staff_cannot_create_organization(world, api):
    response = api(world.sc_head).post(
        "/api/v1/organizations/", {"name": "Đảng bộ phường An Biên", "level": "ward"}
    )

    assert response.status_code == 403
    assert Organization.objects.filter(name="Đảng bộ phường An Biên").count() == 0


def test_organization_with_unknown_level_is_rejected(world, api):
    response = api(world.staff).post("/api/v1/organizations/", {"name": "X", "level": "county"})

    assert response.status_code == 400
    assert "level" in response.json()


def test_member_sees_only_organizations_of_their_congresses(world, api):
    response = api(world.docs_member).get("/api/v1/organizations/")

    assert [o["name"] for o in response.json()["results"]] == ["Đảng bộ quận Lê Chân"]


# --- congresses ---------------------------------------------------------------------------


def test_staff_creates_congress_with_derived_fields(world, api):
    ward = Organization.objects.create(name="Đảng bộ phường Hồ Nam", level="ward")

    response = api(world.staff).post(
        "/api/v1/congresses/",
        {
            "organization": ward.pk,
            "number": 1,
            "term_start": 2025,
            "term_end": 2030,
            "opens_on": "2025-03-20",
            "venue": "Nhà văn hóa phường",
        },
    )

    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["numeral"], data["status"], data["version"]) == ("I", "planning", 1)
    assert data["title"] == "Congress I of Đảng bộ phường Hồ Nam, term 2025-2030"
    # 45 working days before Thu 20/3/2025, skipping the Tết holidays 27/1-1/2/2025.
    assert data["superior_review_due"] == "2025-01-09"
    assert data["superior_review_working_days"] == 45


def test_non_staff_cannot_create_congress(world, api):
    response = api(world.sc_head).post(
        "/api/v1/congresses/",
        {
            "organization": world.org.pk,
            "number": 26,
            "term_start": 2030,
            "term_end": 2035,
            "opens_on": "2030-06-12",
        },
    )

    assert response.status_code == 403
    assert response.json()["code"] == "staff_only"
    assert Congress.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"number": 25}, "non_field_errors"),
        ({"term_start": 2030, "term_end": 2025}, "term_end"),
        ({"closes_on": "2030-06-01"}, "closes_on"),
        ({"status": "preparing"}, "status"),
    ],
)
def test_congress_creation_rejects_bad_data(world, api, changes, field):
    payload = {
        "organization": world.org.pk,
        "number": 26,
        "term_start": 2030,
        "term_end": 2035,
        "opens_on": "2030-06-12",
        **changes,
    }

    response = api(world.staff).post("/api/v1/congresses/", payload)

    assert response.status_code == 400
    assert field in response.json()
    assert Congress.objects.count() == 2


def test_standing_committee_head_edits_congress(world, api):
    response = api(world.sc_head).patch(
        f"/api/v1/congresses/{world.congress.pk}/",
        {"venue": "Trung tâm Hội nghị quận", "opens_on": "2025-03-20"},
    )

    assert response.status_code == 200
    assert (response.json()["venue"], response.json()["version"]) == ("Trung tâm Hội nghị quận", 2)
    assert response.json()["superior_review_due"] == "2025-01-09"
    event = Event.objects.get()
    assert (event.type, event.payload["changed"]) == ("congress.updated", ["opens_on", "venue"])


def test_subcommittee_head_cannot_edit_congress(world, api, trail):
    before = trail()

    response = api(world.docs_head).patch(
        f"/api/v1/congresses/{world.congress.pk}/", {"venue": "Chỗ khác"}
    )

    assert response.status_code == 403
    world.congress.refresh_from_db()
    assert (world.congress.venue, world.congress.version) == ("Hội trường Quận ủy", 1)
    assert trail() == before


def test_congress_edit_refuses_status_and_closing_before_opening(world, api):
    client = api(world.sc_head)
    url = f"/api/v1/congresses/{world.congress.pk}/"

    status = client.patch(url, {"status": "closed"})
    dates = client.patch(url, {"closes_on": "2025-09-01"})

    assert status.status_code == 400
    assert "status" in status.json()
    assert dates.status_code == 400
    assert dates.json()["closes_on"] == ["The congress cannot close before it opens."]
    world.congress.refresh_from_db()
    assert (world.congress.status, world.congress.closes_on) == ("planning", None)


def test_leader_starts_preparation(world, api):
    response = api(world.sc_head).post(
        f"/api/v1/congresses/{world.congress.pk}/transitions/start_preparation/", {}
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["version"]) == ("preparing", 2)
    assert sorted(response.json()["available_transitions"]) == ["cancel", "open_session"]
    event = Event.objects.get()
    assert (event.type, event.payload["from_status"], event.payload["status"]) == (
        "congress.transitioned",
        "planning",
        "preparing",
    )


def test_subcommittee_head_cannot_start_preparation(world, api, trail):
    before = trail()

    response = api(world.docs_head).post(
        f"/api/v1/congresses/{world.congress.pk}/transitions/start_preparation/", {}
    )

    assert response.status_code == 403
    assert response.json()["code"] == "transition_forbidden"
    world.congress.refresh_from_db()
    assert world.congress.status == "planning"
    assert trail() == before


def test_cancel_needs_a_reason(world, api, trail):
    before = trail()

    response = api(world.steering_head).post(
        f"/api/v1/congresses/{world.congress.pk}/transitions/cancel/", {}
    )

    assert response.status_code == 400
    assert response.json()["reason"] == ["“cancel” needs a reason."]
    assert trail() == before


def test_cancel_with_reason_records_it(world, api):
    reason = "Kết thúc hoạt động cấp huyện từ 01/7/2025"

    response = api(world.steering_head).post(
        f"/api/v1/congresses/{world.congress.pk}/transitions/cancel/", {"reason": reason}
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["status_reason"]) == ("cancelled", reason)
    assert response.json()["available_transitions"] == []


def test_congress_transition_from_wrong_state_is_conflict(world, api):
    response = api(world.sc_head).post(
        f"/api/v1/congresses/{world.congress.pk}/transitions/close/", {}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"


def test_unknown_congress_transition_is_not_found(world, api):
    response = api(world.sc_head).post(
        f"/api/v1/congresses/{world.congress.pk}/transitions/dissolve/", {}
    )

    assert response.status_code == 404
    assert response.json()["code"] == "unknown_transition"
    assert response.json()["known"] == [
        "cancel",
        "close",
        "open_session",
        "start_preparation",
        "transfer",
    ]


def test_dashboard_figures(world, api, make_task):
    now = datetime(2025, 7, 1, 9, 0, tzinfo=HANOI)
    with time_machine.travel(now, tick=False):
        make_task(status=S.DONE, due_at=datetime(2025, 6, 20, 17, tzinfo=HANOI))
        make_task(status=S.IN_PROGRESS, due_at=datetime(2025, 6, 30, 17, tzinfo=HANOI))
        make_task(status=S.IN_REVIEW, due_at=datetime(2025, 7, 3, 17, tzinfo=HANOI))
        make_task(status=S.TODO, due_at=datetime(2025, 7, 20, 17, tzinfo=HANOI))
        make_task(status=S.CANCELLED, due_at=datetime(2025, 6, 1, 17, tzinfo=HANOI))
        make_task(body=world.orgbody, status=S.BLOCKED, due_at=datetime(2025, 6, 1, tzinfo=HANOI))

        response = api(world.docs_member).get(f"/api/v1/congresses/{world.congress.pk}/dashboard/")

    assert response.status_code == 200
    data = response.json()
    assert (data["opens_on"], data["days_to_opening"]) == ("2025-09-18", 79)
    # 45 working days before Thu 18/9/2025, skipping National Day 1-2/9/2025.
    assert (data["superior_review_due"], data["days_to_superior_review"]) == ("2025-07-15", 14)
    bodies = {b["kind"]: b for b in data["bodies"]}
    assert {k: bodies["documents"][k] for k in ("total", "done", "open", "overdue")} == {
        "total": 5,
        "done": 1,
        "open": 3,
        "overdue": 1,
    }
    assert bodies["documents"]["due_next_7_days"] == 1
    assert bodies["documents"]["in_review"] == 1
    assert {k: bodies["organization"][k] for k in ("total", "done", "open", "overdue")} == {
        "total": 1,
        "done": 0,
        "open": 1,
        "overdue": 1,
    }
    assert bodies["standing_committee"]["total"] == 0
    assert data["tasks"] == {
        "total": 6,
        "done": 1,
        "open": 4,
        "overdue": 2,
        "due_next_7_days": 1,
        "in_review": 1,
    }
    assert data["my_open_tasks"] == 4


# --- bodies and members -------------------------------------------------------------------


def test_bodies_of_a_congress(world, api):
    response = api(world.docs_member).get(f"/api/v1/bodies/?congress={world.congress.pk}")

    assert [(b["kind"], b["confidential"]) for b in response.json()["results"]] == [
        ("standing_committee", False),
        ("steering_board", False),
        ("documents", False),
        ("personnel", True),
        ("organization", False),
    ]


@pytest.mark.parametrize(
    ("kind", "confidential", "expected"),
    [("propaganda", None, False), ("personnel", None, True), ("team", True, True)],
)
def test_leader_creates_body(world, api, kind, confidential, expected):
    payload = {"congress": world.congress.pk, "kind": kind, "name": "Tiểu ban mới"}
    if kind == "personnel":  # one personnel subcommittee per congress
        world.personnel.delete()
    if confidential is not None:
        payload["confidential"] = confidential

    response = api(world.sc_head).post("/api/v1/bodies/", payload)

    assert response.status_code == 201, response.json()
    assert (response.json()["kind"], response.json()["confidential"]) == (kind, expected)


def test_team_under_confidential_body_is_confidential(world, api):
    response = api(world.steering_head).post(
        "/api/v1/bodies/",
        {
            "congress": world.congress.pk,
            "kind": "team",
            "name": "Tổ giúp việc nhân sự",
            "parent": world.personnel.pk,
        },
    )

    assert response.status_code == 201
    assert response.json()["confidential"] is True


def test_subcommittee_head_cannot_create_body(world, api):
    response = api(world.docs_head).post(
        "/api/v1/bodies/", {"congress": world.congress.pk, "kind": "team", "name": "Tổ biên tập"}
    )

    assert response.status_code == 403
    assert response.json()["code"] == "body_create_forbidden"
    assert Body.objects.filter(name="Tổ biên tập").count() == 0


def test_body_cannot_be_its_own_parent(world, api):
    response = api(world.sc_head).patch(
        f"/api/v1/bodies/{world.docs.pk}/", {"parent": world.docs.pk}
    )

    assert response.status_code == 400
    assert "parent" in response.json()


def test_body_parents_cannot_make_a_cycle(world, api):
    client = api(world.sc_head)
    assert (
        client.patch(f"/api/v1/bodies/{world.docs.pk}/", {"parent": world.orgbody.pk}).status_code
        == 200
    )

    response = client.patch(f"/api/v1/bodies/{world.orgbody.pk}/", {"parent": world.docs.pk})

    assert response.status_code == 400
    assert "parent" in response.json()
    world.orgbody.refresh_from_db()
    assert world.orgbody.parent_id is None


def test_body_cannot_be_deleted(world, api):
    response = api(world.staff).delete(f"/api/v1/bodies/{world.docs.pk}/")

    assert response.status_code == 405
    assert Body.objects.filter(pk=world.docs.pk).exists()


def test_members_of_a_body(world, api):
    response = api(world.personnel_member).get(f"/api/v1/bodies/{world.docs.pk}/members/")

    assert response.status_code == 200
    assert [(m["username"], m["role"]) for m in response.json()["results"]] == [
        ("docs_head", "head"),
        ("docs_deputy", "deputy"),
        ("docs_member", "member"),
        ("docs_member2", "member"),
    ]


def test_body_head_adds_a_member(world, api):
    response = api(world.docs_head).post(
        f"/api/v1/bodies/{world.docs.pk}/members/",
        {"user": world.personnel_member.pk, "role": "secretary"},
    )

    assert response.status_code == 201
    assert (response.json()["user"], response.json()["role"]) == (
        world.personnel_member.pk,
        "secretary",
    )
    assert Membership.objects.get(body=world.docs, user=world.personnel_member).role == "secretary"
    event = Event.objects.get()
    assert (event.type, event.audience) == ("body.member_added", [world.personnel_member.pk])


def test_member_without_role_is_added_as_plain_member_or_refused(world, api):
    response = api(world.docs_head).post(
        f"/api/v1/bodies/{world.docs.pk}/members/", {"user": world.personnel_member.pk}
    )

    assert response.status_code in (201, 400)
    membership = Membership.objects.filter(body=world.docs, user=world.personnel_member).first()
    if response.status_code == 201:
        assert response.json()["role"] == "member"
        assert membership.role == "member"
    else:
        assert "role" in response.json()
        assert membership is None


def test_member_cannot_add_members(world, api):
    response = api(world.docs_member).post(
        f"/api/v1/bodies/{world.docs.pk}/members/",
        {"user": world.personnel_member.pk, "role": "member"},
    )

    assert response.status_code == 403
    assert response.json()["code"] == "membership_forbidden"
    assert not Membership.objects.filter(body=world.docs, user=world.personnel_member).exists()


def test_new_member_sees_the_congress_at_once(world, api, make_task):
    newcomer = UserFactory(username="newcomer")
    secret = make_task(body=world.personnel, assignee=world.personnel_member)
    client = api(newcomer)
    assert client.get(f"/api/v1/tasks/{secret.pk}/").status_code == 404

    added = api(world.staff).post(
        f"/api/v1/bodies/{world.personnel.pk}/members/", {"user": newcomer.pk, "role": "member"}
    )

    assert added.status_code == 201
    assert client.get(f"/api/v1/tasks/{secret.pk}/").status_code == 200


def test_body_head_removes_a_member(world, api):
    response = api(world.docs_head).delete(
        f"/api/v1/bodies/{world.docs.pk}/members/{world.docs_member2.pk}/"
    )

    assert response.status_code == 204
    assert not Membership.objects.filter(user=world.docs_member2).exists()
    assert (
        api(world.docs_member2).get(f"/api/v1/congresses/{world.congress.pk}/").status_code == 404
    )


def test_member_with_open_tasks_cannot_be_removed(world, api, make_task):
    make_task(assignee=world.docs_member2, status=S.IN_PROGRESS)

    response = api(world.docs_head).delete(
        f"/api/v1/bodies/{world.docs.pk}/members/{world.docs_member2.pk}/"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "member_has_open_tasks"
    assert Membership.objects.filter(body=world.docs, user=world.docs_member2).exists()


def test_removing_a_non_member_is_not_found(world, api):
    response = api(world.docs_head).delete(
        f"/api/v1/bodies/{world.docs.pk}/members/{world.sc_head.pk}/"
    )

    assert response.status_code == 404


# --- events -------------------------------------------------------------------------------


def test_events_after_a_sequence_number(world, api, make_task):
    task = make_task(status=S.TODO)
    member = api(world.docs_member)
    member.post(f"/api/v1/tasks/{task.pk}/transitions/start/", {})
    member.post(f"/api/v1/tasks/{task.pk}/comments/", {"text": "Đang viết"})
    member.post(f"/api/v1/tasks/{task.pk}/transitions/submit/", {"note": "Xong"})
    first = Event.objects.order_by("id").first().pk

    response = member.get(f"/api/v1/events/?congress={world.congress.pk}&after={first}")

    assert response.status_code == 200
    events = response.json()["results"]
    assert [(e["type"], e["data"]["kind"]) for e in events] == [
        ("comment.added", "comment"),
        ("task.transitioned", "task"),
    ]
    assert events[0]["event"] == events[0]["id"]
    assert events[0]["event"] < events[1]["event"]
    assert events[1]["congress"] == world.congress.pk
    assert {k: events[1]["data"][k] for k in ("kind", "id", "status", "version")} == {
        "kind": "task",
        "id": task.pk,
        "status": "in_review",
        "version": 3,
    }
    last = events[-1]["event"]
    assert (
        member.get(f"/api/v1/events/?congress={world.congress.pk}&after={last}").json()["count"]
        == 0
    )


def test_opens_on_in_the_past_days_to_opening_negative(world, api):
    with time_machine.travel(datetime(2025, 9, 20, 9, 0, tzinfo=HANOI), tick=False):
        data = (
            api(world.docs_member).get(f"/api/v1/congresses/{world.congress.pk}/dashboard/").json()
        )

    assert data["days_to_opening"] == -2
    assert date.fromisoformat(data["superior_review_due"]) == date(2025, 7, 15)
