"""The superior level above the `world` congress (Lê Chân, a district): the Hải Phòng city
committee, with its own congress and standing committee (head, member), its office, reviewers
named for Lê Chân (every kind but the personnel plan; the personnel plan only), and a sibling
district under the city with a congress of its own."""

from types import SimpleNamespace

import pytest

from congress.models import Body, Membership, Organization, OrganizationOffice, SuperiorReviewer
from tests.factories import (
    BodyFactory,
    CongressFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
)


@pytest.fixture
def city(world):
    hai_phong = OrganizationFactory(
        name="Đảng bộ thành phố Hải Phòng", level=Organization.Level.PROVINCE
    )
    world.org.parent = hai_phong
    world.org.save(update_fields=["parent"])
    congress = CongressFactory(organization=hai_phong, number=17)
    committee = BodyFactory(
        congress=congress, kind=Body.Kind.STANDING_COMMITTEE, name="Ban Thường vụ Thành ủy"
    )
    head = UserFactory(username="city_head")
    member = UserFactory(username="city_member")
    MembershipFactory(body=committee, user=head, role=Membership.Role.HEAD)
    MembershipFactory(body=committee, user=member, role=Membership.Role.MEMBER)
    office = UserFactory(username="city_office")
    OrganizationOffice.objects.create(organization=hai_phong, user=office)
    reviewer = UserFactory(username="city_reviewer")  # Ban Tuyên giáo Thành ủy
    SuperiorReviewer.objects.create(congress=world.congress, user=reviewer, named_by=office)
    personnel_reviewer = UserFactory(username="city_personnel_reviewer")  # Ban Tổ chức
    SuperiorReviewer.objects.create(
        congress=world.congress,
        user=personnel_reviewer,
        document_kind="personnel_plan",
        named_by=office,
    )
    sibling_org = OrganizationFactory(
        name="Đảng bộ quận Hồng Bàng", level=Organization.Level.DISTRICT, parent=hai_phong
    )
    sibling = CongressFactory(organization=sibling_org, number=25)
    sibling_docs = BodyFactory(congress=sibling, kind=Body.Kind.DOCUMENTS, name="Văn kiện HB")
    sibling_head = UserFactory(username="sibling_head")
    MembershipFactory(body=sibling_docs, user=sibling_head, role=Membership.Role.HEAD)
    return SimpleNamespace(
        org=hai_phong,
        congress=congress,
        committee=committee,
        head=head,
        member=member,
        office=office,
        reviewer=reviewer,
        personnel_reviewer=personnel_reviewer,
        sibling=sibling,
        sibling_docs=sibling_docs,
        sibling_head=sibling_head,
    )
