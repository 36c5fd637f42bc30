"""Rights proposals in the pages and the member import (issue 20, items 1 and 2): what the
office enters that grants rights waits on the bodies page, the standing committee's head
confirms it on /proposals/, and the import lists such rows as needing the confirmation."""

import html
import re

import pytest

from congress.models import Membership, OrganizationOffice
from tests.congress.test_member_import import upload, xlsx
from tests.factories import UserFactory
from workflows.models import RightsProposal
from workflows.services.member_import import members_import


@pytest.fixture
def office(world):
    user = UserFactory(username="van.phong", email="vanphong@example.vn")
    OrganizationOffice.objects.create(user=user, organization=world.org)
    return user


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def _add(client, world, body, user, role):
    return client.post(
        f"/congresses/{world.congress.pk}/bodies/",
        {
            "action": "add",
            "body": body.pk,
            f"add-{body.pk}-user": user.username,
            f"add-{body.pk}-role": role,
        },
        follow=True,
    )


def test_the_office_proposal_waits_on_the_bodies_page_and_the_head_confirms_it(world, web, office):
    newcomer = UserFactory(username="moi", first_name="Trần Văn", last_name="Mới")

    page = _add(web(office), world, world.personnel, newcomer, "member")

    text = _text(page)
    assert (
        "Proposed: Add Trần Văn Mới to Tiểu ban Nhân sự as Member. It takes effect when the "
        "standing committee confirms it." in text
    )
    assert "Waiting for the standing committee's confirmation" in text
    assert not Membership.objects.filter(body=world.personnel, user=newcomer).exists()
    proposal = RightsProposal.objects.get()
    # The office may withdraw it, not confirm it.
    assert f"/proposals/{proposal.pk}/transitions/withdraw/" in text
    assert f"/proposals/{proposal.pk}/transitions/confirm/" not in text

    head = web(world.sc_head)
    listing = _text(head.get("/proposals/"))
    assert "Waiting for your confirmation" in listing
    assert "Add Trần Văn Mới to Tiểu ban Nhân sự as Member" in listing
    confirmed = head.post(
        f"/proposals/{proposal.pk}/transitions/confirm/",
        {"version": proposal.version, "next": "/proposals/"},
        follow=True,
    )

    assert confirmed.status_code == 200
    assert Membership.objects.get(body=world.personnel, user=newcomer).role == "member"
    assert "Nothing waits for your confirmation." in _text(confirmed)


def test_the_office_cannot_add_itself_on_the_bodies_page(world, web, office):
    page = _add(web(office), world, world.sc, office, "head")

    assert "Nobody adds, promotes or removes themselves" in _text(page)
    assert not Membership.objects.filter(user=office).exists()


def test_a_plain_member_sees_no_proposal_to_decide(world, web, office):
    _add(web(office), world, world.sc, UserFactory(username="moi"), "deputy")

    listing = _text(web(world.docs_member).get("/proposals/"))

    assert "Nothing waits for your confirmation." in listing
    assert "/transitions/confirm/" not in listing


def test_the_import_lists_rights_granting_rows_as_needing_the_confirmation(world, office):
    content = xlsx(
        [
            ["Mai Thị Hoa", world.docs_member.email, "", "Tiểu ban Nhân sự", "Trưởng ban"],
            ["Lê Văn Nam", "nam.lv@example.vn", "", "Tiểu ban Văn kiện", "Thành viên"],
        ]
    )
    world.docs_member.first_name, world.docs_member.last_name = "Mai Thị", "Hoa"
    world.docs_member.save()

    dry = members_import(
        actor=office, congress=world.congress, uploaded=upload(content), dry_run=True
    )
    assert [r.waits for r in dry.rows] == [True, False]
    assert dry.summary()["waiting_confirmation"] == 1

    members_import(actor=office, congress=world.congress, uploaded=upload(content), dry_run=False)

    assert not Membership.objects.filter(body=world.personnel, user=world.docs_member).exists()
    proposal = RightsProposal.objects.get()
    assert (proposal.user, proposal.role, proposal.status) == (world.docs_member, "head", "pending")
    assert Membership.objects.filter(body=world.docs, user__email="nam.lv@example.vn").exists()


def test_the_import_page_says_which_rows_need_the_confirmation(world, web, office):
    content = xlsx([["Lê Văn Nam", "nam.lv@example.vn", "", "Ban Thường vụ", "Ủy viên"]])

    page = web(office).post(
        f"/congresses/{world.congress.pk}/members/import/", {"file": upload(content)}
    )

    assert "needs the standing committee's confirmation" in _text(page)


def test_the_office_own_row_is_an_error_of_the_import(world, office):
    content = xlsx([["Văn phòng", office.email, "", "Ban Chỉ đạo", "Phó trưởng ban"]])

    plan = members_import(
        actor=office, congress=world.congress, uploaded=upload(content), dry_run=True
    )

    assert plan.rows[0].errors == [
        "Nobody adds, promotes or removes themselves: another leader of the congress must do it."
    ]
