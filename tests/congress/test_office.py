"""The organization office (Văn phòng cấp ủy): named by staff, it sets up the congresses of its
organization and of those under it, does what a steering-board secretary may, and sees a
confidential body's work only if it belongs to that body."""

import pytest
from django.core.management import CommandError, call_command

from congress import roles
from congress.models import Body, Congress, Membership, Organization, OrganizationOffice
from congress.roles import office_covers, roles_of
from congress.selectors import (
    congresses_visible_to,
    organizations_run_by,
    roles_of_users,
    visible_q,
)
from congress.signals import rights_changed
from tests.factories import (
    BodyFactory,
    CongressFactory,
    MembershipFactory,
    OrganizationFactory,
    TaskFactory,
    UserFactory,
)
from workflows import rules
from workflows.models import Task

NEW_CONGRESS = {
    "number": 26,
    "term_start": 2030,
    "term_end": 2035,
    "opens_on": "2030-06-12",
    "venue": "Hội trường Quận ủy",
}


@pytest.fixture
def office(world):
    """The city above Lê Chân, a ward under Lê Chân with its own congress, and Lê Chân's
    office user (a member of no body)."""
    city = OrganizationFactory(name="Thành ủy Hải Phòng", level=Organization.Level.PROVINCE)
    world.org.parent = city
    world.org.save()
    world.ward = OrganizationFactory(name="Đảng bộ phường Hồ Nam", parent=world.org)
    world.ward_congress = CongressFactory(organization=world.ward, number=1)
    world.city = city
    world.office = UserFactory(username="van.phong")
    OrganizationOffice.objects.create(user=world.office, organization=world.org)
    return world


# grant_office


def test_grant_office_names_the_user_by_the_organizations_exact_name(world, capsys):
    user = UserFactory(username="thao.vp")

    call_command("grant_office", "thao.vp", "Đảng bộ quận Lê Chân")

    office = OrganizationOffice.objects.get()
    assert (office.user, office.organization, office.granted_by) == (user, world.org, None)
    assert capsys.readouterr().out == (
        f"thao.vp is now the office of “Đảng bộ quận Lê Chân” (id {world.org.pk}).\n"
    )


def test_grant_office_takes_the_organization_id_and_twice_changes_nothing(world, capsys):
    UserFactory(username="thao.vp")
    call_command("grant_office", "thao.vp", str(world.org.pk))
    first = OrganizationOffice.objects.get()
    capsys.readouterr()

    call_command("grant_office", "THAO.VP", str(world.org.pk))

    assert list(OrganizationOffice.objects.all()) == [first]
    assert "was already the office of “Đảng bộ quận Lê Chân”" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("username", "organization", "message"),
    [
        ("nobody", "Đảng bộ quận Lê Chân", "No user with the username “nobody”."),
        ("thao.vp", "Quận ủy", "No organization with the id or the exact name “Quận ủy”."),
        ("thao.vp", "999999", "No organization with the id or the exact name “999999”."),
    ],
)
def test_grant_office_refuses_what_it_cannot_find(world, username, organization, message):
    UserFactory(username="thao.vp")

    with pytest.raises(CommandError) as error:
        call_command("grant_office", username, organization)

    assert str(error.value) == message
    assert not OrganizationOffice.objects.exists()


def test_grant_office_asks_for_the_id_when_two_organizations_share_the_name(world):
    UserFactory(username="thao.vp")
    twin = OrganizationFactory(name="Đảng bộ quận Lê Chân", level=Organization.Level.DISTRICT)

    with pytest.raises(CommandError) as error:
        call_command("grant_office", "thao.vp", "Đảng bộ quận Lê Chân")

    assert str(error.value) == (
        f"Several organizations are named “Đảng bộ quận Lê Chân” (ids {world.org.pk}, "
        f"{twin.pk}): give the id."
    )
    assert not OrganizationOffice.objects.exists()


def test_grant_office_tells_the_live_layer_the_users_rights_changed(
    world, django_capture_on_commit_callbacks
):
    user = UserFactory(username="thao.vp")
    sent = []

    def receiver(**kwargs):
        sent.append((kwargs["user_ids"], kwargs["reason"]))

    rights_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("grant_office", "thao.vp", str(world.org.pk))
        with django_capture_on_commit_callbacks(execute=True):
            call_command("grant_office", "thao.vp", str(world.org.pk))
    finally:
        rights_changed.disconnect(receiver)

    assert sent == [([user.pk], "office")]


# Creating congresses and accounts


def test_office_creates_a_congress_of_its_organization(office, api):
    response = api(office.office).post(
        "/api/v1/congresses/", {"organization": office.org.pk, **NEW_CONGRESS}
    )

    assert response.status_code == 201, response.json()
    congress = Congress.objects.get(pk=response.json()["id"])
    assert (congress.organization, congress.number, congress.venue) == (
        office.org,
        26,
        "Hội trường Quận ủy",
    )
    listed = api(office.office).get("/api/v1/congresses/").json()["results"]
    assert sorted(c["id"] for c in listed) == sorted(
        [office.congress.pk, office.ward_congress.pk, congress.pk]
    )


def test_office_creates_a_congress_of_an_organization_under_it(office, api):
    response = api(office.office).post(
        "/api/v1/congresses/", {"organization": office.ward.pk, **NEW_CONGRESS}
    )

    assert response.status_code == 201, response.json()
    assert Congress.objects.filter(organization=office.ward, number=26).count() == 1


@pytest.mark.parametrize("where", ["other_org", "city"])
def test_office_cannot_create_a_congress_of_another_or_a_higher_organization(office, api, where):
    organization = getattr(office, where)

    response = api(office.office).post(
        "/api/v1/congresses/", {"organization": organization.pk, **NEW_CONGRESS}
    )

    # Organizations it neither runs nor sees are not a choice at all.
    assert response.status_code == 400
    assert "organization" in response.json(), response.json()
    assert Congress.objects.count() == 3


def test_office_is_refused_a_congress_of_an_organization_it_only_sees(office, api):
    # The office sees Ngô Quyền once it has a role in its congress, but is not its office.
    MembershipFactory(body=office.other_docs, user=office.office, role=Membership.Role.MEMBER)

    response = api(office.office).post(
        "/api/v1/congresses/", {"organization": office.other_org.pk, **NEW_CONGRESS}
    )

    assert response.status_code == 403
    assert response.json()["code"] == "staff_only"
    assert str(roles.may_create_congress.description) in response.json()["detail"]
    assert Congress.objects.count() == 3


def test_office_creates_accounts_and_adds_them_to_a_body(office, api, django_user_model):
    client = api(office.office)
    created = client.post(
        "/api/v1/users/",
        {"username": "tran.thi.b", "password": "Van-kien-XXV-2025", "email": "b@lechan.vn"},
    )
    assert created.status_code == 201, created.json()
    user = django_user_model.objects.get(username="tran.thi.b")

    added = client.post(
        f"/api/v1/bodies/{office.docs.pk}/members/", {"user": user.pk, "role": "member"}
    )

    assert added.status_code == 201, added.json()
    assert Membership.objects.get(body=office.docs, user=user).role == "member"


# Bodies and members


def test_office_creates_bodies_and_changes_members(office, api):
    client = api(office.office)
    created = client.post(
        "/api/v1/bodies/",
        {"congress": office.congress.pk, "kind": "propaganda", "name": "Tiểu ban Tuyên truyền"},
    )
    assert created.status_code == 201, created.json()
    body = Body.objects.get(pk=created.json()["id"])

    client.post(f"/api/v1/bodies/{body.pk}/members/", {"user": office.docs_member.pk})
    renamed = client.patch(f"/api/v1/bodies/{body.pk}/", {"name": "Tiểu ban Tuyên truyền, Dân vận"})
    removed = client.delete(f"/api/v1/bodies/{body.pk}/members/{office.docs_member.pk}/")

    assert (renamed.status_code, removed.status_code) == (200, 204)
    body.refresh_from_db()
    assert (body.name, body.members.count()) == ("Tiểu ban Tuyên truyền, Dân vận", 0)


def test_office_only_proposes_whether_a_body_is_confidential(office, api):
    response = api(office.office).patch(
        f"/api/v1/bodies/{office.personnel.pk}/", {"confidential": False}
    )

    assert response.status_code == 202, response.json()
    assert (response.json()["status"], response.json()["changes"]) == (
        "pending",
        {"confidential": False},
    )
    office.personnel.refresh_from_db()
    assert office.personnel.confidential is True


def test_office_of_another_organization_cannot_touch_this_congress(office, api, trail):
    stranger = UserFactory(username="vp.ngo.quyen")
    OrganizationOffice.objects.create(user=stranger, organization=office.other_org)
    before = trail()

    response = api(stranger).post(
        "/api/v1/bodies/",
        {"congress": office.congress.pk, "kind": "propaganda", "name": "Tiểu ban Tuyên truyền"},
    )

    assert response.status_code == 400  # the congress is not one it may choose
    assert Body.objects.filter(congress=office.congress).count() == 5
    assert trail() == before
    assert api(stranger).get(f"/api/v1/congresses/{office.congress.pk}/").status_code == 404


def test_office_does_not_lead_the_congress(office, api):
    response = api(office.office).post(
        f"/api/v1/congresses/{office.congress.pk}/transitions/start_preparation/"
    )

    assert response.status_code == 403
    office.congress.refresh_from_db()
    assert office.congress.status == "planning"


# What it sees


def test_office_sees_open_work_but_not_the_personnel_subcommittees(office, api):
    open_task = TaskFactory(body=office.docs, title="Dự thảo Báo cáo chính trị")
    secret = TaskFactory(body=office.personnel, title="Danh sách nhân sự")
    client = api(office.office)

    listed = client.get(f"/api/v1/tasks/?congress={office.congress.pk}").json()["results"]

    assert [t["id"] for t in listed] == [open_task.pk]
    assert client.get(f"/api/v1/tasks/{secret.pk}/").status_code == 404
    assert not roles_of(office.office).sees_work(office.congress.pk, office.personnel.pk, True)


def test_office_in_the_personnel_subcommittee_sees_its_work(office, api):
    MembershipFactory(body=office.personnel, user=office.office, role=Membership.Role.MEMBER)
    secret = TaskFactory(body=office.personnel, title="Danh sách nhân sự")

    response = api(office.office).get(f"/api/v1/tasks/{secret.pk}/")

    assert response.status_code == 200


def test_office_does_what_a_steering_board_secretary_may(office):
    roles = roles_of(office.office)

    assert roles.body_role == {office.steering.pk: "secretary"}
    assert roles.has_kind_role(office.congress.pk, "steering_board", {"secretary"})
    assert rules.may_create_task_in(office.steering, office.office)
    assert not rules.may_create_task_in(office.docs, office.office)
    assert not roles.leads_kind(office.congress.pk, "steering_board")


def test_a_role_of_its_own_in_the_steering_board_wins_over_the_office(office):
    MembershipFactory(body=office.steering, user=office.office, role=Membership.Role.DEPUTY)

    assert roles_of(office.office).body_role == {office.steering.pk: "deputy"}


def test_office_roles_are_read_in_one_query(office, django_assert_num_queries):
    with django_assert_num_queries(1):
        roles = roles_of(office.office)
    assert sorted(roles.kind_roles) == sorted([office.congress.pk, office.ward_congress.pk])


def test_the_query_forms_agree_with_the_predicates(office):
    other_office = UserFactory(username="vp.thanh.pho")
    OrganizationOffice.objects.create(user=other_office, organization=office.city)
    BodyFactory(congress=office.ward_congress, kind="steering_board", name="BCĐ phường")
    TaskFactory(body=office.personnel)
    TaskFactory(body=office.docs)
    users = [office.office, other_office, office.docs_member, office.outsider, office.sc_head]
    fanned = roles_of_users([u.pk for u in users])

    for user in users:
        roles = roles_of(user)
        assert fanned[user.pk] == roles
        seen = {c.pk for c in congresses_visible_to(user)}
        assert seen == {c.pk for c in Congress.objects.all() if roles.in_congress(c.pk)}
        run = {o.pk for o in organizations_run_by(user)}
        assert run == {o.pk for o in Organization.objects.all() if office_covers(user, o)}
        tasks = set(Task.objects.filter(visible_q(user)).values_list("pk", flat=True))
        assert tasks == {
            t.pk
            for t in Task.objects.select_related("body")
            if roles.sees_work(t.congress_id, t.body_id, t.body.confidential)
        }
    assert {o.pk for o in organizations_run_by(other_office)} == {
        office.city.pk,
        office.org.pk,
        office.ward.pk,
    }


def test_office_edits_the_congress_it_sets_up(office, api):
    response = api(office.office).patch(
        f"/api/v1/congresses/{office.congress.pk}/", {"venue": "Trung tâm Hội nghị thành phố"}
    )

    assert response.status_code == 200, response.json()
    office.congress.refresh_from_db()
    assert office.congress.venue == "Trung tâm Hội nghị thành phố"


def test_staff_name_an_office_user_in_the_admin(world, client):
    user = UserFactory(username="thao.vp")
    world.staff.is_superuser = True
    world.staff.save(update_fields=["is_superuser"])
    client.force_login(world.staff)

    response = client.post(
        "/admin/congress/organizationoffice/add/",
        {"user": user.pk, "organization": world.org.pk},
    )

    assert response.status_code == 302
    office = OrganizationOffice.objects.get()
    assert (office.user, office.organization, office.granted_by) == (user, world.org, world.staff)
    assert roles_of(user).runs_office(world.congress.pk)
