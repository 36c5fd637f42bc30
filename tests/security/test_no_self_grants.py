"""Nobody grants rights to themselves (issue 20, items 1 and 2): the office enters what the
standing committee decided. A change of its own membership is refused for everyone but staff;
a change that grants the right to see confidential work or to lead the congress, made by the
office, is a proposal that takes effect when the standing committee's head or deputy confirms
it, audited in the body's history and told to the deciders."""

import pytest
from django.contrib.auth import get_user_model

from congress.models import Body, Membership, Organization, OrganizationOffice
from notifications.models import Event, Notification
from tests.factories import (
    BodyFactory,
    CongressFactory,
    MembershipFactory,
    OrganizationFactory,
    TaskFactory,
    UserFactory,
)
from workflows.models import AuditEntry, RightsProposal

BODIES = "/api/v1/bodies/"
PROPOSALS = "/api/v1/proposals/"


@pytest.fixture
def office(world):
    """Lê Chân's office user (a member of no body), and the city above Lê Chân."""
    world.city = OrganizationFactory(name="Thành ủy Hải Phòng", level=Organization.Level.PROVINCE)
    world.org.parent = world.city
    world.org.save()
    world.office = UserFactory(username="van.phong")
    OrganizationOffice.objects.create(user=world.office, organization=world.org)
    world.secret = TaskFactory(body=world.personnel, assignee=world.personnel_member)
    return world


def _task_ids(api, user) -> set[int]:
    return {t["id"] for t in api(user).get("/api/v1/tasks/?congress=").json()["results"]}


def _members(body) -> dict[str, str]:
    return {m.user.username: m.role for m in body.memberships.select_related("user")}


def _state(world) -> tuple:
    """Everything an attack could change: memberships, bodies, flags, proposals' effects."""
    return (
        sorted(Membership.objects.values_list("body_id", "user_id", "role")),
        sorted(Body.objects.values_list("pk", "kind", "confidential")),
    )


# Nobody adds, promotes or removes themselves


@pytest.mark.parametrize(
    ("body", "role"),
    [("sc", "head"), ("sc", "deputy"), ("steering", "deputy"), ("personnel", "member")],
)
def test_the_office_cannot_put_itself_in_a_body(office, api, trail, body, role):
    before, counted = _state(office), trail()

    response = api(office.office).post(
        f"{BODIES}{getattr(office, body).pk}/members/", {"user": office.office.pk, "role": role}
    )

    assert response.status_code == 403, response.json()
    assert response.json()["code"] == "membership_self"
    assert (_state(office), trail()) == (before, counted)
    assert RightsProposal.objects.count() == 0
    assert office.secret.pk not in _task_ids(api, office.office)
    assert api(office.office).get(f"/api/v1/tasks/{office.secret.pk}/").status_code == 404


def test_the_office_is_not_offered_the_congress_leaders_transitions(office, api):
    api(office.office).post(
        f"{BODIES}{office.sc.pk}/members/", {"user": office.office.pk, "role": "head"}
    )

    congress = api(office.office).get(f"/api/v1/congresses/{office.congress.pk}/").json()

    assert not {"cancel", "open_session"} & set(congress["available_transitions"])


def test_a_leader_cannot_promote_or_remove_themselves(world, api):
    promote = api(world.docs_head).post(
        f"{BODIES}{world.docs.pk}/members/", {"user": world.docs_head.pk, "role": "deputy"}
    )
    leave = api(world.sc_head).delete(f"{BODIES}{world.sc.pk}/members/{world.sc_head.pk}/")

    assert [(r.status_code, r.json()["code"]) for r in (promote, leave)] == [
        (403, "membership_self"),
        (403, "membership_self"),
    ]
    assert _members(world.docs)["docs_head"] == "head"
    assert _members(world.sc) == {"sc_head": "head"}


def test_staff_change_their_own_membership_and_it_is_audited(world, api):
    response = api(world.staff).post(
        f"{BODIES}{world.docs.pk}/members/", {"user": world.staff.pk, "role": "member"}
    )

    assert response.status_code == 201, response.json()
    history = api(world.staff).get(f"{BODIES}{world.docs.pk}/history/").json()["results"]
    assert [(e["transition"], e["actor"]) for e in history] == [("member_set", world.staff.pk)]


# Rights-granting changes by the office wait for the standing committee


@pytest.mark.parametrize(
    ("body", "role"),
    [("sc", "deputy"), ("sc", "member"), ("steering", "deputy"), ("personnel", "member")],
)
def test_the_office_only_proposes_a_rights_granting_membership(office, api, body, role):
    newcomer = UserFactory(username="moi")
    target = getattr(office, body)

    response = api(office.office).post(
        f"{BODIES}{target.pk}/members/", {"user": newcomer.pk, "role": role}
    )

    assert response.status_code == 202, response.json()
    proposal = response.json()
    assert (proposal["status"], proposal["action"], proposal["user"], proposal["role"]) == (
        "pending",
        "membership_set",
        newcomer.pk,
        role,
    )
    assert "moi" not in _members(target)
    assert office.secret.pk not in _task_ids(api, newcomer)


def test_the_standing_committee_head_confirms_and_the_change_takes_effect(
    office, api, django_capture_on_commit_callbacks
):
    newcomer = UserFactory(username="moi")
    with django_capture_on_commit_callbacks(execute=True):
        made = api(office.office).post(
            f"{BODIES}{office.personnel.pk}/members/", {"user": newcomer.pk, "role": "member"}
        )
    proposal_id = made.json()["id"]
    told = Notification.objects.filter(recipient=office.sc_head).get()
    assert told.link == "/proposals/"
    assert told.title == f"To confirm: Add {newcomer.get_full_name()} to Tiểu ban Nhân sự as Member"
    # The office may not decide its own proposal; the head sees it with the decisions offered.
    as_office = api(office.office).get(f"{PROPOSALS}{proposal_id}/").json()
    assert as_office["available_transitions"] == ["withdraw"]
    as_head = api(office.sc_head).get(f"{PROPOSALS}{proposal_id}/").json()
    assert sorted(as_head["available_transitions"]) == ["confirm", "reject"]

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = api(office.sc_head).post(f"{PROPOSALS}{proposal_id}/transitions/confirm/")

    assert confirmed.status_code == 200, confirmed.json()
    assert (confirmed.json()["status"], confirmed.json()["decided_by"]) == (
        "confirmed",
        office.sc_head.pk,
    )
    assert _members(office.personnel)["moi"] == "member"
    assert office.secret.pk in _task_ids(api, newcomer)
    history = api(office.docs_member).get(f"{BODIES}{office.personnel.pk}/history/").json()
    assert [(e["transition"], e["actor"]) for e in history["results"]] == [
        ("propose", office.office.pk),
        ("confirm", office.sc_head.pk),
    ]
    assert Notification.objects.filter(recipient=office.office).get().title.startswith("Confirmed:")


def test_a_rejection_needs_a_reason_and_changes_nothing(office, api):
    newcomer = UserFactory(username="moi")
    made = api(office.office).post(
        f"{BODIES}{office.sc.pk}/members/", {"user": newcomer.pk, "role": "deputy"}
    )
    url = f"{PROPOSALS}{made.json()['id']}/transitions/reject/"

    no_reason = api(office.sc_head).post(url, {})
    rejected = api(office.sc_head).post(url, {"reason": "Chưa có nghị quyết của Ban Thường vụ"})

    assert no_reason.status_code == 400
    assert rejected.status_code == 200, rejected.json()
    assert (rejected.json()["status"], rejected.json()["reason"]) == (
        "rejected",
        "Chưa có nghị quyết của Ban Thường vụ",
    )
    assert "moi" not in _members(office.sc)
    again = api(office.sc_head).post(f"{PROPOSALS}{made.json()['id']}/transitions/confirm/")
    assert again.status_code == 409


def test_nobody_confirms_a_change_of_their_own_membership(office, api):
    deputy = UserFactory(username="pho.tt")
    MembershipFactory(body=office.sc, user=deputy, role="deputy")
    made = api(office.office).post(
        f"{BODIES}{office.sc.pk}/members/", {"user": deputy.pk, "role": "head"}
    )
    url = f"{PROPOSALS}{made.json()['id']}/transitions/confirm/"

    own = api(deputy).post(url)
    by_head = api(office.sc_head).post(url)

    assert own.status_code == 403
    assert by_head.status_code == 200, by_head.json()
    assert _members(office.sc)["pho.tt"] == "head"


def test_the_office_and_plain_members_cannot_decide_and_the_author_withdraws(office, api):
    made = api(office.office).post(
        f"{BODIES}{office.steering.pk}/members/", {"user": office.docs_member.pk, "role": "head"}
    )
    proposal_id = made.json()["id"]

    refused = [
        api(user).post(f"{PROPOSALS}{proposal_id}/transitions/confirm/").status_code
        for user in (office.office, office.steering_head, office.docs_head)
    ]
    withdrawn = api(office.office).post(f"{PROPOSALS}{proposal_id}/transitions/withdraw/")

    assert refused == [403, 403, 403]
    assert withdrawn.json()["status"] == "withdrawn"
    assert _members(office.steering) == {"steering_head": "head"}


def test_the_same_change_is_proposed_once(office, api):
    newcomer = UserFactory(username="moi")
    payload = {"user": newcomer.pk, "role": "member"}

    first = api(office.office).post(f"{BODIES}{office.personnel.pk}/members/", payload)
    second = api(office.office).post(f"{BODIES}{office.personnel.pk}/members/", payload)

    assert (first.status_code, second.status_code) == (202, 409)
    assert second.json()["proposal"] == first.json()["id"]


def test_a_throwaway_account_made_deputy_of_the_standing_committee_sees_nothing(office, api):
    created = api(office.office).post(
        "/api/v1/users/",
        {"username": "ao", "password": "Mat-khau-dai-2025!", "email": "ao@example.vn"},
    )
    assert created.status_code == 201, created.json()
    throwaway = get_user_model().objects.get(username="ao")

    response = api(office.office).post(
        f"{BODIES}{office.sc.pk}/members/", {"user": throwaway.pk, "role": "deputy"}
    )

    assert response.status_code == 202
    assert api(throwaway).get(f"/api/v1/tasks/{office.secret.pk}/").status_code == 404
    assert api(throwaway).get(f"/api/v1/congresses/{office.congress.pk}/").status_code == 404


def test_removing_a_personnel_member_or_a_steering_leader_waits_too(office, api):
    removal = api(office.office).delete(
        f"{BODIES}{office.steering.pk}/members/{office.steering_head.pk}/"
    )

    assert removal.status_code == 202, removal.json()
    assert removal.json()["action"] == "membership_remove"
    assert _members(office.steering) == {"steering_head": "head"}


def test_the_office_other_set_up_stays_direct(office, api):
    newcomer = UserFactory(username="moi")

    added = api(office.office).post(
        f"{BODIES}{office.docs.pk}/members/", {"user": newcomer.pk, "role": "head"}
    )
    renamed = api(office.office).patch(f"{BODIES}{office.personnel.pk}/", {"name": "Tiểu ban NS"})
    member = api(office.office).post(
        f"{BODIES}{office.steering.pk}/members/", {"user": newcomer.pk, "role": "member"}
    )

    assert (added.status_code, renamed.status_code, member.status_code) == (201, 200, 201)
    assert RightsProposal.objects.count() == 0


def test_unhiding_the_personnel_work_waits_for_the_standing_committee(office, api):
    response = api(office.office).patch(
        f"{BODIES}{office.personnel.pk}/", {"confidential": False, "name": "Tiểu ban NS"}
    )

    assert response.status_code == 202, response.json()
    office.personnel.refresh_from_db()
    assert (office.personnel.name, office.personnel.confidential) == ("Tiểu ban NS", True)
    assert office.secret.pk not in _task_ids(api, office.docs_member)

    api(office.sc_head).post(f"{PROPOSALS}{response.json()['id']}/transitions/confirm/")

    office.personnel.refresh_from_db()
    assert office.personnel.confidential is False
    assert office.secret.pk in _task_ids(api, office.docs_member)


# Bodies that decide who leads: one of a kind, and a new one waits


@pytest.mark.parametrize("kind", ["standing_committee", "steering_board", "personnel"])
def test_a_second_body_of_a_deciding_kind_is_refused(office, api, kind):
    response = api(office.staff).post(
        BODIES, {"congress": office.congress.pk, "kind": kind, "name": "Ban thứ hai"}
    )

    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "body_kind_taken"
    assert "kind" in response.json()
    assert Body.objects.filter(congress=office.congress, kind=kind).count() == 1


def test_a_kind_change_into_a_taken_kind_is_refused(world, api):
    response = api(world.sc_head).patch(f"{BODIES}{world.orgbody.pk}/", {"kind": "personnel"})

    assert response.status_code == 400
    assert response.json()["code"] == "body_kind_taken"


def test_a_new_congress_standing_committee_is_confirmed_by_the_superior(office, api):
    """A ward's congress has no standing committee yet: its creation by the office waits for
    Lê Chân's standing committee (the superior organization), never for an office."""
    ward = OrganizationFactory(name="Đảng bộ phường Dư Hàng Kênh", parent=office.org)
    congress = CongressFactory(organization=ward, number=1)
    BodyFactory(congress=congress, kind="documents", name="Tiểu ban Văn kiện phường")

    made = api(office.office).post(
        BODIES, {"congress": congress.pk, "kind": "standing_committee", "name": "Ban Thường vụ"}
    )
    assert made.status_code == 202, made.json()
    proposal_id = made.json()["id"]
    assert not Body.objects.filter(congress=congress, kind="standing_committee").exists()
    event = Event.objects.get(type="body.proposal_made")
    assert (event.congress_id, event.audience) == (office.congress.pk, [office.sc_head.pk])

    office_try = api(office.office).post(f"{PROPOSALS}{proposal_id}/transitions/confirm/")
    confirmed = api(office.sc_head).post(f"{PROPOSALS}{proposal_id}/transitions/confirm/")

    assert office_try.status_code == 403
    assert confirmed.status_code == 200, confirmed.json()
    body = Body.objects.get(congress=congress, kind="standing_committee")
    assert AuditEntry.objects.filter(object_id=body.pk, transition="create").count() == 1


def test_an_open_team_under_the_personnel_subcommittee_waits_too(office, api):
    response = api(office.office).post(
        BODIES,
        {
            "congress": office.congress.pk,
            "kind": "team",
            "name": "Tổ giúp việc",
            "parent": office.personnel.pk,
            "confidential": False,
        },
    )
    secret_team = api(office.office).post(
        BODIES,
        {
            "congress": office.congress.pk,
            "kind": "team",
            "name": "Tổ thư ký",
            "parent": office.personnel.pk,
        },
    )

    assert (response.status_code, secret_team.status_code) == (202, 201)
    assert secret_team.json()["confidential"] is True


# Accounts


def test_an_email_already_used_by_another_account_is_refused(office, api):
    used = office.docs_member.email or "dung@example.vn"
    office.docs_member.email = used
    office.docs_member.save()

    response = api(office.office).post(
        "/api/v1/users/",
        {"username": "trung", "password": "Mat-khau-dai-2025!", "email": used.upper()},
    )

    assert response.status_code == 400
    assert "email" in response.json()
    assert not get_user_model().objects.filter(username="trung").exists()
