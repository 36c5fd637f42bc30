"""The office sets a congress up from the web: /congresses/new/, the set-up checklist and the
bodies page, as an office user who is not staff; refusals next to the form, what was typed
kept."""

import html
import re

import pytest
from django.utils import timezone

from congress.models import Body, Congress, Membership, OrganizationOffice
from tests.factories import MembershipFactory, TaskFactory, UserFactory
from workflows.models import AuditEntry, Task

NEW = {
    "organization": None,  # set per test
    "number": "26",
    "term_start": "2030",
    "term_end": "2035",
    "opens_on": "2030-06-12",
    "closes_on": "2030-06-14",
    "venue": "Hội trường Quận ủy",
}


@pytest.fixture
def office(world):
    user = UserFactory(username="van.phong")
    OrganizationOffice.objects.create(user=user, organization=world.org)
    assert not user.is_staff
    return user


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _card(response, body) -> str:
    """The HTML of one body's card on the bodies page."""
    page = html.unescape(response.content.decode())
    start = page.index(f'id="body-{body.pk}"')
    end = page.find("<section", start)
    return page[start : end if end != -1 else len(page)]


# /congresses/new/


def test_office_creates_a_congress_and_lands_on_its_checklist(world, web, office):
    client = web(office)
    page = client.get("/congresses/new/")
    assert page.status_code == 200
    assert f'<option value="{world.org.pk}">Đảng bộ quận Lê Chân</option>' in _text(page)
    assert "Ngô Quyền" not in _text(page)

    response = client.post("/congresses/new/", {**NEW, "organization": world.org.pk})

    congress = Congress.objects.get(organization=world.org, number=26)
    assert response.status_code == 302
    assert response["Location"] == f"/congresses/{congress.pk}/setup/"
    assert (congress.term_start, congress.term_end, str(congress.opens_on)) == (
        2030,
        2035,
        "2030-06-12",
    )
    assert (str(congress.closes_on), congress.venue) == ("2030-06-14", "Hội trường Quận ủy")

    checklist = client.get(response["Location"])
    assert checklist.status_code == 200
    steps = re.findall(r'data-step="(\w+)" data-done="(\w+)"', checklist.content.decode())
    assert steps == [
        ("bodies", "false"),
        ("members", "false"),
        ("plan", "false"),
        ("documents", "false"),
        ("deadlines", "false"),
    ]
    assert f'href="/congresses/{congress.pk}/bodies/"' in checklist.content.decode()
    assert "No bodies yet." in _text(checklist)


def test_a_refused_congress_keeps_what_was_typed_next_to_the_field(world, web, office):
    response = web(office).post(
        "/congresses/new/",
        {**NEW, "organization": world.org.pk, "number": "25", "venue": "Nhà văn hóa quận"},
    )

    text = _text(response)
    assert response.status_code == 200
    assert "This organization already has a congress with that number." in text
    # The error sits right after the number field, which keeps what was typed.
    number = text.index('name="number"')
    assert text.index("already has a congress with that number") > number
    assert text.index("already has a congress with that number") < text.index('name="term_start"')
    assert 'value="Nhà văn hóa quận"' in text
    assert 'value="2030-06-12"' in text
    assert Congress.objects.count() == 2


def test_a_term_ending_before_it_starts_is_refused_on_its_field(world, web, office):
    response = web(office).post(
        "/congresses/new/",
        {**NEW, "organization": world.org.pk, "term_start": "2030", "term_end": "2025"},
    )

    text = _text(response)
    assert "The term must end after it starts." in text
    assert text.index("The term must end after it starts.") > text.index('name="term_end"')
    assert Congress.objects.count() == 2


def test_someone_who_is_no_office_cannot_create_a_congress(world, web):
    client = web(world.sc_head)

    page = client.get("/congresses/new/")
    posted = client.post("/congresses/new/", {**NEW, "organization": world.org.pk})

    assert (page.status_code, posted.status_code) == (302, 302)
    assert Congress.objects.count() == 2


def test_office_cannot_choose_another_organization(world, web, office):
    response = web(office).post("/congresses/new/", {**NEW, "organization": world.other_org.pk})

    assert response.status_code == 200
    assert "Select a valid choice." in _text(response)
    assert Congress.objects.count() == 2


# The checklist


def test_the_checklist_follows_the_set_up(world, web, office):
    TaskFactory(body=world.docs, due_at=timezone.now())
    response = web(office).get(f"/congresses/{world.congress.pk}/setup/")

    steps = dict(re.findall(r'data-step="(\w+)" data-done="(\w+)"', response.content.decode()))
    assert steps == {
        "bodies": "true",
        "members": "false",
        "plan": "false",
        "documents": "false",
        "deadlines": "true",
    }
    assert "Bodies without members: Ban Chỉ đạo" not in _text(response)
    assert "Bodies without members: Tiểu ban Tổ chức phục vụ" in _text(response)


def test_the_checklist_is_a_404_for_someone_outside(world, web):
    response = web(world.outsider).get(f"/congresses/{world.congress.pk}/setup/")

    assert response.status_code == 404


# The bodies page


def test_office_creates_a_team_under_a_subcommittee(world, web, office):
    client = web(office)

    response = client.post(
        f"/congresses/{world.congress.pk}/bodies/",
        {
            "action": "create",
            "create-kind": "team",
            "create-name": "Tổ biên tập",
            "create-parent": world.docs.pk,
        },
    )

    team = Body.objects.get(name="Tổ biên tập")
    assert response.status_code == 302
    assert response["Location"] == f"/congresses/{world.congress.pk}/bodies/#body-{team.pk}"
    assert (team.kind, team.parent, team.confidential) == ("team", world.docs, False)
    page = client.get(f"/congresses/{world.congress.pk}/bodies/")
    assert "Tổ biên tập" in _card(page, team)


def test_a_body_without_a_name_is_refused_next_to_the_form_with_the_choice_kept(world, web, office):
    response = web(office).post(
        f"/congresses/{world.congress.pk}/bodies/",
        {"action": "create", "create-kind": "propaganda", "create-name": " "},
    )

    text = _text(response)
    assert response.status_code == 200
    new_body = text[text.index('id="new-body"') :]
    assert "This field is required." in new_body
    assert '<option value="propaganda" selected>' in new_body
    assert Body.objects.filter(congress=world.congress).count() == 5


def test_office_adds_a_member_by_email_and_changes_their_role(world, web, office):
    person = UserFactory(username="tran.thi.b", email="b@lechan.vn")
    client = web(office)
    url = f"/congresses/{world.congress.pk}/bodies/"

    client.post(
        url,
        {
            "action": "add",
            "body": world.orgbody.pk,
            f"add-{world.orgbody.pk}-user": "B@LeChan.vn",
            f"add-{world.orgbody.pk}-role": "member",
        },
    )
    response = client.post(
        url,
        {
            "action": "member",
            "body": world.orgbody.pk,
            "user": person.pk,
            "save": "",
            f"member-{world.orgbody.pk}-{person.pk}-role": "deputy",
        },
    )

    assert response.status_code == 302
    assert Membership.objects.get(body=world.orgbody, user=person).role == "deputy"
    page = client.get(url)
    assert 'data-member="tran.thi.b"' in _card(page, world.orgbody)


def test_an_unknown_account_is_refused_next_to_the_add_form(world, web, office):
    response = web(office).post(
        f"/congresses/{world.congress.pk}/bodies/",
        {
            "action": "add",
            "body": world.orgbody.pk,
            f"add-{world.orgbody.pk}-user": "khong.co.ai",
            f"add-{world.orgbody.pk}-role": "member",
        },
    )

    card = _card(response, world.orgbody)
    assert "No account has this username or email." in card
    assert 'value="khong.co.ai"' in card
    assert not world.orgbody.memberships.exists()


def test_removing_a_member_with_open_tasks_asks_for_a_reassignment_first(world, web):
    task = TaskFactory(body=world.docs, assignee=world.docs_member, status=Task.Status.TODO)
    client = web(world.docs_head)
    url = f"/congresses/{world.congress.pk}/bodies/"
    field = f"member-{world.docs.pk}-{world.docs_member.pk}"

    refused = client.post(
        url,
        {
            "action": "member",
            "body": world.docs.pk,
            "user": world.docs_member.pk,
            "remove": "",
            f"{field}-role": "member",
            f"{field}-reassign_to": "",
        },
    )
    assert "This member still has open tasks in this body; reassign them first." in _card(
        refused, world.docs
    )
    assert Membership.objects.filter(body=world.docs, user=world.docs_member).exists()

    done = client.post(
        url,
        {
            "action": "member",
            "body": world.docs.pk,
            "user": world.docs_member.pk,
            "remove": "",
            f"{field}-role": "member",
            f"{field}-reassign_to": world.docs_member2.pk,
        },
    )

    assert done.status_code == 302
    task.refresh_from_db()
    assert task.assignee == world.docs_member2
    assert not Membership.objects.filter(body=world.docs, user=world.docs_member).exists()
    assert AuditEntry.objects.filter(object_id=task.pk, transition="update").count() == 1


def test_a_refused_reassignment_leaves_the_tasks_and_the_member_as_they_were(world, web, office):
    # The office sets the personnel subcommittee up but does not see its work: the tasks it
    # cannot see are not handed over, so the member with open tasks stays.
    second = UserFactory(username="nhan.su.2")
    MembershipFactory(body=world.personnel, user=second, role=Membership.Role.MEMBER)
    task = TaskFactory(
        body=world.personnel, assignee=world.personnel_member, status=Task.Status.TODO
    )
    field = f"member-{world.personnel.pk}-{world.personnel_member.pk}"

    response = web(office).post(
        f"/congresses/{world.congress.pk}/bodies/",
        {
            "action": "member",
            "body": world.personnel.pk,
            "user": world.personnel_member.pk,
            "remove": "",
            f"{field}-role": "member",
            f"{field}-reassign_to": second.pk,
        },
    )

    assert "This member still has open tasks in this body; reassign them first." in _card(
        response, world.personnel
    )
    task.refresh_from_db()
    assert task.assignee == world.personnel_member
    assert Membership.objects.filter(body=world.personnel, user=world.personnel_member).exists()


def test_office_renames_a_body_but_is_not_offered_its_confidentiality(world, web, office):
    client = web(office)
    url = f"/congresses/{world.congress.pk}/bodies/"
    page = client.get(url)
    assert f'name="update-{world.personnel.pk}-confidential"' not in page.content.decode()

    client.post(
        url,
        {
            "action": "update",
            "body": world.personnel.pk,
            f"update-{world.personnel.pk}-name": "Tiểu ban Nhân sự Đại hội",
            f"update-{world.personnel.pk}-parent": "",
            # Sent anyway: the form has no such field for the office, so it is ignored.
            f"update-{world.personnel.pk}-confidential": "",
        },
    )

    world.personnel.refresh_from_db()
    assert (world.personnel.name, world.personnel.confidential) == (
        "Tiểu ban Nhân sự Đại hội",
        True,
    )


def test_the_standing_committees_head_changes_the_confidentiality(world, web):
    client = web(world.sc_head)

    client.post(
        f"/congresses/{world.congress.pk}/bodies/",
        {
            "action": "update",
            "body": world.orgbody.pk,
            f"update-{world.orgbody.pk}-name": world.orgbody.name,
            f"update-{world.orgbody.pk}-parent": "",
            f"update-{world.orgbody.pk}-confidential": "on",
        },
    )

    world.orgbody.refresh_from_db()
    assert world.orgbody.confidential is True


def test_a_plain_member_sees_the_bodies_read_only(world, web):
    MembershipFactory(body=world.orgbody, user=world.docs_member2, role=Membership.Role.MEMBER)
    client = web(world.docs_member)

    page = client.get(f"/congresses/{world.congress.pk}/bodies/")
    refused = client.post(
        f"/congresses/{world.congress.pk}/bodies/",
        {"action": "create", "create-kind": "propaganda", "create-name": "Tiểu ban Tuyên truyền"},
    )

    assert page.status_code == 200
    assert "<form" not in _card(page, world.docs)
    assert 'data-member="docs_head"' in _card(page, world.docs)
    assert 'id="new-body"' not in page.content.decode()
    assert refused.status_code == 200
    assert "Only the head or a deputy of the standing committee" in _text(refused)
    assert Body.objects.filter(congress=world.congress).count() == 5


def test_someone_who_may_not_manage_the_body_learns_nothing_of_accounts(world, web):
    UserFactory(username="tran.thi.b", email="b@lechan.vn")
    client = web(world.docs_member)

    for typed in ("b@lechan.vn", "khong.co.ai"):
        response = client.post(
            f"/congresses/{world.congress.pk}/bodies/",
            {
                "action": "add",
                "body": world.docs.pk,
                f"add-{world.docs.pk}-user": typed,
                f"add-{world.docs.pk}-role": "member",
            },
        )
        assert response.status_code == 302
        assert (
            response["Location"] == f"/congresses/{world.congress.pk}/bodies/#body-{world.docs.pk}"
        )
    assert list(world.docs.memberships.values_list("user__username", flat=True).order_by("id")) == [
        "docs_head",
        "docs_deputy",
        "docs_member",
        "docs_member2",
    ]
