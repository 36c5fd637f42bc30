"""Each step's reviewer may act (ARCHITECTURE §4); everyone else gets a 403 that says who may,
and nothing changes: no state, version or round change, no audit entry, no event."""

from datetime import timedelta

import pytest
from django.utils import timezone

from workflows.models import Document

S = Document.Status

# state, transition, who may, who may not (usernames of the `people` fixture)
STEPS = [
    (
        S.DRAFTING,
        "submit",
        ["docs_member", "docs_head", "staff"],
        ["docs_deputy", "docs_member2", "docs_secretary", "steering_head", "sc_head"],
    ),
    (
        S.SUBCOMMITTEE_REVIEW,
        "approve",
        ["docs_head", "docs_deputy", "staff"],
        ["docs_member", "docs_member2", "docs_secretary", "steering_head", "sc_head"],
    ),
    (
        S.SUBCOMMITTEE_REVIEW,
        "return",
        ["docs_head", "docs_deputy"],
        ["docs_member", "docs_secretary", "steering_head", "sc_head"],
    ),
    (
        S.STEERING_REVIEW,
        "approve",
        ["steering_head", "steering_deputy", "staff"],
        ["steering_secretary", "steering_member", "docs_head", "sc_head", "docs_member"],
    ),
    (
        S.STEERING_REVIEW,
        "return",
        ["steering_head", "steering_deputy"],
        ["steering_secretary", "docs_head", "sc_deputy"],
    ),
    (
        S.STEERING_REVIEW,
        "open_consultation",
        ["steering_head", "steering_deputy"],
        ["steering_member", "docs_head", "sc_head", "docs_member"],
    ),
    (
        S.STANDING_COMMITTEE_REVIEW,
        "approve",
        ["sc_head", "sc_deputy", "staff"],
        ["sc_secretary", "sc_member", "steering_deputy", "docs_head"],
    ),
    (
        S.STANDING_COMMITTEE_REVIEW,
        "return",
        ["sc_head", "sc_deputy"],
        ["sc_member", "steering_deputy", "docs_deputy"],
    ),
    (
        S.STANDING_COMMITTEE_REVIEW,
        "open_consultation",
        ["sc_head", "sc_deputy"],
        ["sc_member", "steering_deputy", "docs_head"],
    ),
    (
        S.SUPERIOR_REVIEW,
        "approve",
        ["sc_secretary", "steering_secretary", "staff"],
        ["sc_head", "steering_head", "sc_member", "docs_head", "steering_member"],
    ),
    (
        S.SUPERIOR_REVIEW,
        "return",
        ["sc_secretary", "steering_secretary"],
        ["sc_head", "steering_deputy", "docs_head"],
    ),
    (
        S.CONSULTATION,
        "close_consultation",
        ["steering_head", "sc_deputy", "docs_head", "docs_deputy"],
        ["docs_member", "steering_secretary", "sc_member", "docs_secretary"],
    ),
    (
        S.DRAFTING,
        "withdraw",
        ["docs_head", "sc_head", "steering_deputy", "staff"],
        ["docs_deputy", "docs_member", "sc_member", "steering_secretary"],
    ),
]

INPUT = {
    "return": {"reason": "Chưa đạt yêu cầu"},
    "withdraw": {"reason": "Không còn cần thiết"},
    "open_consultation": {
        "consultation_closes_at": lambda: (timezone.now() + timedelta(days=5)).isoformat()
    },
}


def _input(name):
    return {k: v() if callable(v) else v for k, v in INPUT.get(name, {}).items()}


def _document(make_document, add_version, state):
    # A resolution: it may go out for comment but need not, so every step can be approved.
    document = make_document(
        kind=Document.Kind.RESOLUTION,
        status=state,
        consultation_closes_at=timezone.now() - timedelta(hours=1),
    )
    add_version(document)
    return document


ALLOWED = [(state, name, who) for state, name, allowed, _ in STEPS for who in allowed]
REFUSED = [(state, name, who) for state, name, _, refused in STEPS for who in refused]


@pytest.mark.parametrize(("state", "name", "who"), ALLOWED)
def test_the_steps_reviewer_may_act(people, make_document, add_version, act, state, name, who):
    document = _document(make_document, add_version, state)

    response = act(getattr(people, who), document, name, **_input(name))

    assert response.status_code == 200, response.json()
    assert response.json()["status"] != state
    assert response.json()["version"] == 2


@pytest.mark.parametrize(("state", "name", "who"), REFUSED)
def test_anyone_else_gets_403_and_nothing_changes(
    people, make_document, add_version, act, trail, state, name, who
):
    document = _document(make_document, add_version, state)
    user = getattr(people, who)
    before = trail()

    response = act(user, document, name, **_input(name))

    assert response.status_code == 403, response.json()
    assert response.json()["code"] == "transition_forbidden"
    assert response.json()["who_may"]
    document.refresh_from_db()
    assert (document.status, document.version, document.round) == (state, 1, 1)
    assert trail() == before


@pytest.mark.parametrize(("state", "name", "who"), REFUSED)
def test_a_refused_transition_is_not_offered(
    people, make_document, add_version, api, state, name, who
):
    document = _document(make_document, add_version, state)

    shown = api(getattr(people, who)).get(f"/api/v1/documents/{document.pk}/").json()

    assert name not in shown["available_transitions"]


def test_someone_outside_the_congress_gets_a_404_not_a_403(people, make_document, add_version, act):
    document = _document(make_document, add_version, S.SUBCOMMITTEE_REVIEW)

    response = act(people.outsider, document, "approve")

    assert response.status_code == 404


def test_the_403_says_who_may_act(people, make_document, add_version, act):
    document = _document(make_document, add_version, S.SUPERIOR_REVIEW)

    response = act(people.sc_head, document, "approve")

    assert "secretary" in response.json()["who_may"]


def test_a_team_under_the_subcommittee_is_reviewed_by_the_subcommittee(
    people, make_document, add_version, act
):
    from tests.factories import BodyFactory

    team = BodyFactory(
        congress=people.congress, kind="team", name="Tổ biên tập", parent=people.docs
    )
    document = make_document(body=team, status=S.SUBCOMMITTEE_REVIEW, kind=Document.Kind.RESOLUTION)
    add_version(document)

    assert act(people.docs_deputy, document, "approve").status_code == 200
