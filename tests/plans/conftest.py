"""Fixtures for plans, hand-over and targets: the built-in template (installed by the
migrations), a small template whose dates are easy to check, a successor organization with its
congress, and helpers to post to the congress-level endpoints."""

from datetime import date
from types import SimpleNamespace

import pytest

from congress.models import Body, Membership, Organization, PlanItem, PlanTemplate
from congress.plans import builtin_template_install
from tests.factories import BodyFactory, CongressFactory, MembershipFactory, UserFactory

Role = Membership.Role
Kind = Body.Kind


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def builtin(db) -> PlanTemplate:
    """The built-in template. The migrations install it; a transactional test elsewhere in the
    suite flushes the tables, so install it again (idempotent) rather than assume it."""
    return builtin_template_install()


@pytest.fixture
def small_template(db) -> PlanTemplate:
    """outline (20 working days before the opening) -> draft (5 after outline) -> submit (2
    before the superior review) -> review (the superior review deadline); venue (10 before the
    opening, organization subcommittee, no review)."""
    template = PlanTemplate.objects.create(name="Kế hoạch rút gọn")
    make = PlanItem.objects.create
    outline = make(
        template=template,
        key="outline",
        position=1,
        title="Đề cương",
        body_kind=Kind.DOCUMENTS,
        anchor="opening",
        offset_days=60,
        duration_days=5,
    )
    draft = make(
        template=template,
        key="draft",
        position=2,
        title="Dự thảo lần 1",
        body_kind=Kind.DOCUMENTS,
        anchor="item",
        after=outline,
        offset_days=5,
        duration_days=5,
    )
    submit = make(
        template=template,
        key="submit",
        position=3,
        title="Trình cấp trên",
        body_kind=Kind.STANDING_COMMITTEE,
        anchor="superior_review",
        offset_days=2,
        duration_days=2,
        priority="urgent",
    )
    submit.depends_on.add(draft)
    review = make(
        template=template,
        key="review",
        position=4,
        title="Cấp trên cho ý kiến",
        body_kind=Kind.STANDING_COMMITTEE,
        anchor="superior_review",
        offset_days=0,
        requires_review=False,
        duration_days=0,
    )
    review.depends_on.add(submit)
    make(
        template=template,
        key="venue",
        position=5,
        title="Chuẩn bị hội trường",
        body_kind=Kind.ORGANIZATION,
        anchor="opening",
        offset_days=10,
        requires_review=False,
    )
    return template


@pytest.fixture
def successor(world):
    """Lê Chân's successor, An Biên ward, with its congress I and bodies; steering_head leads
    its steering board too, docs_member2 (not docs_member) is in its documents subcommittee."""
    ward = Organization.objects.create(name="Đảng bộ phường An Biên", level="ward")
    world.org.successor = ward
    world.org.save(update_fields=["successor"])
    congress = CongressFactory(organization=ward, number=1, opens_on=date(2025, 10, 20))
    bodies = {
        "sc": BodyFactory(congress=congress, kind=Kind.STANDING_COMMITTEE, name="BTV phường"),
        "steering": BodyFactory(congress=congress, kind=Kind.STEERING_BOARD, name="BCĐ phường"),
        "docs": BodyFactory(congress=congress, kind=Kind.DOCUMENTS, name="Văn kiện phường"),
        "personnel": BodyFactory(congress=congress, kind=Kind.PERSONNEL, name="Nhân sự phường"),
        "orgbody": BodyFactory(congress=congress, kind=Kind.ORGANIZATION, name="Tổ chức phường"),
    }
    ward_docs_head = UserFactory(username="ward_docs_head")
    ward_personnel_head = UserFactory(username="ward_personnel_head")
    MembershipFactory(body=bodies["steering"], user=world.steering_head, role=Role.HEAD)
    MembershipFactory(body=bodies["docs"], user=ward_docs_head, role=Role.HEAD)
    MembershipFactory(body=bodies["docs"], user=world.docs_member2, role=Role.MEMBER)
    MembershipFactory(body=bodies["personnel"], user=ward_personnel_head, role=Role.HEAD)
    return SimpleNamespace(
        org=ward,
        congress=congress,
        ward_docs_head=ward_docs_head,
        ward_personnel_head=ward_personnel_head,
        **bodies,
    )


@pytest.fixture
def post(api):
    """`post(user, congress, "apply-plan", **body)` -> the response."""

    def send(user, congress, endpoint, **body):
        return api(user).post(
            f"/api/v1/congresses/{congress.pk}/{endpoint}/",
            body,
            format="json",
            HTTP_ACCEPT_LANGUAGE="en",
        )

    return send
