"""The admin changes who sees what through the same services as the pages (issue 20, item 4):
a membership, a body's confidentiality, an office role and a deactivation made there are
audited and tell the live layer at once whose rights changed, so an open websocket stops
receiving what its user may no longer see."""

import pytest

from congress.models import Membership, OrganizationOffice
from congress.signals import rights_changed
from notifications.models import Event
from tests.factories import UserFactory
from workflows.models import AuditEntry


@pytest.fixture
def admin_client(client, world):
    world.staff.is_superuser = True
    world.staff.save(update_fields=["is_superuser"])
    client.force_login(world.staff)
    return client


@pytest.fixture
def rights_sent():
    sent = []

    def receiver(sender, user_ids, reason, **kwargs):
        sent.append((sorted(user_ids), reason))

    rights_changed.connect(receiver, weak=False)
    yield sent
    rights_changed.disconnect(receiver)


def _members_form(body) -> dict:
    count = body.memberships.count()
    return {
        "memberships-TOTAL_FORMS": count,
        "memberships-INITIAL_FORMS": count,
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
    }


def test_a_membership_removed_in_the_admin_tells_the_live_layer(
    world, admin_client, rights_sent, django_capture_on_commit_callbacks
):
    membership = Membership.objects.get(body=world.personnel, user=world.personnel_member)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/congress/membership/{membership.pk}/delete/", {"post": "yes"}
        )

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert rights_sent == [([world.personnel_member.pk], "membership_changed")]
    assert Event.objects.filter(type="body.member_removed", object_id=world.personnel.pk).exists()
    assert AuditEntry.objects.filter(
        object_id=world.personnel.pk, transition="member_remove", actor=world.staff
    ).exists()


def test_a_membership_with_open_tasks_is_not_removed_in_the_admin(
    world, admin_client, make_task, rights_sent
):
    make_task(body=world.personnel, assignee=world.personnel_member)
    membership = Membership.objects.get(body=world.personnel, user=world.personnel_member)

    response = admin_client.post(
        f"/admin/congress/membership/{membership.pk}/delete/", {"post": "yes"}, follow=True
    )

    assert Membership.objects.filter(pk=membership.pk).exists()
    assert "This member still has open tasks in this body" in response.content.decode()
    assert rights_sent == []


def test_the_admin_bulk_delete_goes_through_the_service(
    world, admin_client, rights_sent, django_capture_on_commit_callbacks
):
    ids = list(
        Membership.objects.filter(body=world.docs, role="member").values_list("pk", flat=True)
    )

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/congress/membership/",
            {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
        )

    assert not Membership.objects.filter(pk__in=ids).exists()
    assert sorted(u for users, _reason in rights_sent for u in users) == sorted(
        [world.docs_member.pk, world.docs_member2.pk]
    )


def test_a_membership_added_in_the_admin_tells_the_live_layer(
    world, admin_client, rights_sent, django_capture_on_commit_callbacks
):
    newcomer = UserFactory(username="moi")

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/congress/membership/add/",
            {"body": world.personnel.pk, "user": newcomer.pk, "role": "member"},
        )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Membership.objects.get(body=world.personnel, user=newcomer).role == "member"
    assert rights_sent == [([newcomer.pk], "membership_changed")]
    assert AuditEntry.objects.filter(object_id=world.personnel.pk, transition="member_set").exists()


def test_a_role_changed_in_the_admin_is_audited(world, admin_client, rights_sent):
    membership = Membership.objects.get(body=world.docs, user=world.docs_member)

    admin_client.post(f"/admin/congress/membership/{membership.pk}/change/", {"role": "deputy"})

    membership.refresh_from_db()
    assert membership.role == "deputy"
    entry = AuditEntry.objects.get(object_id=world.docs.pk, transition="member_set")
    assert "Member → Deputy" in entry.note


def test_a_body_made_public_in_the_admin_is_audited_and_tells_everyone(
    world, admin_client, rights_sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/congress/body/{world.personnel.pk}/change/",
            {
                "kind": "personnel",
                "name": world.personnel.name,
                "parent": "",
                "confidential": "",
                **_members_form(world.personnel),
            },
        )

    assert response.status_code == 302, response.content.decode()[:3000]
    world.personnel.refresh_from_db()
    assert world.personnel.confidential is False
    assert [reason for _users, reason in rights_sent] == ["body_changed"]
    assert AuditEntry.objects.get(object_id=world.personnel.pk, transition="update").note == (
        "confidential: true → false"
    )


def test_a_second_standing_committee_is_refused_in_the_admin(world, admin_client):
    response = admin_client.post(
        "/admin/congress/body/add/",
        {
            "congress": world.congress.pk,
            "kind": "standing_committee",
            "name": "Ban Thường vụ 2",
            "parent": "",
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
            "memberships-MIN_NUM_FORMS": 0,
            "memberships-MAX_NUM_FORMS": 1000,
        },
    )

    assert response.status_code == 200
    assert "This congress already has a body of this kind." in response.content.decode()


def test_an_office_named_and_ended_in_the_admin_tells_the_live_layer(
    world, admin_client, rights_sent, django_capture_on_commit_callbacks
):
    clerk = UserFactory(username="van.phong")

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/congress/organizationoffice/add/",
            {"user": clerk.pk, "organization": world.org.pk},
        )
    office = OrganizationOffice.objects.get(user=clerk)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            f"/admin/congress/organizationoffice/{office.pk}/delete/", {"post": "yes"}
        )

    assert not OrganizationOffice.objects.filter(user=clerk).exists()
    assert rights_sent == [([clerk.pk], "office"), ([clerk.pk], "office")]


def test_an_account_deactivated_in_the_admin_tells_the_live_layer(
    world, admin_client, rights_sent, django_capture_on_commit_callbacks
):
    user = world.personnel_member
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/congress/user/{user.pk}/change/",
            {
                "username": user.username,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "language": "vi",
                "date_joined_0": "01/01/2025",
                "date_joined_1": "08:00:00",
                "initial-date_joined_0": "01/01/2025",
                "initial-date_joined_1": "08:00:00",
            },
        )

    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert user.is_active is False
    assert [users for users, _reason in rights_sent] == [[user.pk]]
