# ruff: noqa: F811  (pytest fixtures imported from tests/documents/conftest.py)
"""The superior's review rules (workflows/rules.py, "The superior's review") say the same as
predicates and as queries, for every person of the world and the city above it; who decides
depends on whether the superior uses the product, read once per congress."""

import pytest
from django.contrib.auth import get_user_model

from congress.models import Membership
from congress.roles import forget
from tests.documents.conftest import people  # noqa: F401
from workflows import rules
from workflows.models import Document

S = Document.Status


def _non_staff():
    users = list(get_user_model().objects.filter(is_staff=False).order_by("pk"))
    for user in users:
        forget(user)
    return users


def _documents(people):
    made = {}
    for kind, body in (("political_report", people.docs), ("personnel_plan", people.personnel)):
        made[kind] = Document.objects.create(
            congress=people.congress,
            body=body,
            kind=kind,
            title=kind,
            status=S.SUPERIOR_REVIEW,
        )
    return made


@pytest.mark.parametrize("kind", ["political_report", "personnel_plan"])
def test_the_query_forms_name_who_the_predicates_let_act(people, city, kind):
    document = _documents(people)[kind]
    users = _non_staff()

    deciders = [u.pk for u in users if rules.decides_superior_review(document, u)]
    reviewers = {u.pk for u in users if rules.reviews_for_superior(document, u)}

    assert rules.document_reviewer_ids(document) == deciders == [city.head.pk]
    assert rules.superior_reviewer_ids(document) == reviewers
    named = city.personnel_reviewer if kind == "personnel_plan" else city.reviewer
    assert reviewers == {city.head.pk, city.member.pk, named.pk}
    for user in users:
        found = rules.documents_reviewed_for_superior(user, Document.objects.filter(kind=kind))
        assert found.filter(pk=document.pk).exists() == (user.pk in reviewers), user.username


def test_without_the_superior_in_the_product_the_secretaries_record_it(people, city):
    Membership.objects.filter(body=city.committee, role="head").delete()
    document = _documents(people)["political_report"]
    users = _non_staff()

    assert not rules.superior_uses_product(document.congress)
    assert rules.superior_decider_ids(document) == set()
    assert rules.superior_reviewer_ids(document) == set()
    expected = [u.pk for u in users if rules.records_superior_decision(document, u)]
    assert rules.document_reviewer_ids(document) == expected
    assert people.sc_secretary.pk in expected and city.head.pk not in expected
    assert not rules.documents_reviewed_for_superior(city.member, Document.objects.all()).exists()


def test_whether_the_superior_uses_the_product_is_read_once_per_congress(
    people, city, django_assert_num_queries
):
    congress = people.congress
    with django_assert_num_queries(1):
        assert rules.superior_uses_product(congress)
        assert rules.superior_uses_product(congress)
