"""The office of an organization does what a secretary of its congresses' steering boards may
(ARCHITECTURE §5), so it records the superior level's decision on a document: the query form
of that rule (rules.document_reviewer_ids) asks it, as the predicate lets it act."""

import pytest
from django.contrib.auth import get_user_model

from congress.models import OrganizationOffice
from congress.roles import forget
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from workflows import rules
from workflows.models import Document

S = Document.Status


@pytest.fixture
def offices(people):
    """Lê Chân's office, the city's office above it, an office user who is also a plain member
    of the steering board, and the office of another district."""
    city = OrganizationFactory(name="Thành ủy Hải Phòng")
    people.org.parent = city
    people.org.save()
    made = {}
    for username, organization in [
        ("van.phong", people.org),
        ("thanh.uy.vp", city),
        ("vp.thanh.vien", people.org),
        ("vp.ngo.quyen", people.other_org),
    ]:
        made[username] = UserFactory(username=username)
        OrganizationOffice.objects.create(user=made[username], organization=organization)
    MembershipFactory(body=people.steering, user=made["vp.thanh.vien"], role="member")
    return made


def _non_staff():
    users = list(get_user_model().objects.filter(is_staff=False).order_by("pk"))
    for user in users:
        forget(user)
    return users


def test_the_office_is_asked_to_record_the_superior_decision(people, offices, make_document):
    document = make_document(status=S.SUPERIOR_REVIEW)

    reviewers = rules.document_reviewer_ids(document)

    assert offices["van.phong"].pk in reviewers
    assert offices["thanh.uy.vp"].pk in reviewers
    assert offices["vp.thanh.vien"].pk not in reviewers  # a member of the board, not its secretary
    assert offices["vp.ngo.quyen"].pk not in reviewers
    assert people.sc_secretary.pk in reviewers and people.steering_secretary.pk in reviewers


@pytest.mark.parametrize("status", [S.SUPERIOR_REVIEW, S.STEERING_REVIEW, S.SUBCOMMITTEE_REVIEW])
def test_reviewer_query_agrees_with_the_predicate_for_office_users(
    people, offices, make_document, status
):
    predicate = {
        S.SUPERIOR_REVIEW: rules.decides_superior_review,
        S.STEERING_REVIEW: rules.leads_steering_board,
        S.SUBCOMMITTEE_REVIEW: rules.leads_owning_body,
    }[status]
    document = make_document(status=status)

    expected = [u.pk for u in _non_staff() if predicate(document, u)]

    assert rules.document_reviewer_ids(document) == expected


def test_no_office_reviewer_without_a_steering_board(people, offices, make_document):
    people.steering.memberships.all().delete()
    people.steering.delete()
    document = make_document(status=S.SUPERIOR_REVIEW)

    reviewers = rules.document_reviewer_ids(document)

    assert offices["van.phong"].pk not in reviewers
    assert not rules.records_superior_decision(document, offices["van.phong"])
