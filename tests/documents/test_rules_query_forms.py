"""A reviewer rule written as a predicate and as a query (workflows/rules.py) says the same in
both forms: for every person of the world, staff aside (they may act but are not asked to)."""

import pytest
from django.contrib.auth import get_user_model

from congress.roles import forget
from tests.factories import BodyFactory, MembershipFactory, TaskFactory
from workflows import rules
from workflows.models import Document, Task

S = Document.Status

STEP_PREDICATES = {
    S.SUBCOMMITTEE_REVIEW: rules.leads_owning_body,
    S.STEERING_REVIEW: rules.leads_steering_board,
    S.STANDING_COMMITTEE_REVIEW: rules.leads_standing_committee,
    S.SUPERIOR_REVIEW: rules.decides_superior_review,
}


def _people():
    users = list(get_user_model().objects.filter(is_staff=False).order_by("pk"))
    for user in users:
        forget(user)
    return users


@pytest.fixture
def team_tasks(people):
    """Tasks in review of a body, of a team under it, of the steering board and of another
    congress, one of them assigned to a leader."""
    team = BodyFactory(congress=people.congress, kind="team", name="Tổ", parent=people.docs)
    MembershipFactory(body=team, user=people.docs_member2, role="head")
    made = [
        TaskFactory(body=people.docs, assignee=people.docs_member),
        TaskFactory(body=people.docs, assignee=people.docs_deputy),
        TaskFactory(body=team, assignee=people.docs_member),
        TaskFactory(body=team, assignee=people.docs_member2),
        TaskFactory(body=people.steering, assignee=people.steering_deputy),
        TaskFactory(body=people.personnel, assignee=people.personnel_member),
        TaskFactory(body=people.other_docs, assignee=None),
    ]
    Task.objects.filter(pk__in=[t.pk for t in made]).update(status=Task.Status.IN_REVIEW)
    return list(Task.objects.filter(pk__in=[t.pk for t in made]).select_related("body"))


def test_task_reviewer_ids_are_who_may_review_the_task(people, team_tasks):
    users = _people()
    for task in team_tasks:
        expected = [u.pk for u in users if rules.may_review_task(task, u)]
        assert rules.task_reviewer_ids(task) == expected, task.body.name


def test_tasks_reviewed_by_are_the_tasks_the_user_may_review(people, team_tasks):
    in_review = Task.objects.filter(pk__in=[t.pk for t in team_tasks])
    for user in _people():
        expected = sorted(t.pk for t in team_tasks if rules.may_review_task(t, user))
        found = sorted(rules.tasks_reviewed_by(user, in_review).values_list("pk", flat=True))
        assert found == expected, user.username


def test_staff_are_not_asked_to_review_what_they_do_not_lead(people, team_tasks):
    in_review = Task.objects.filter(pk__in=[t.pk for t in team_tasks])
    assert list(rules.tasks_reviewed_by(people.staff, in_review)) == []
    assert all(people.staff.pk not in rules.task_reviewer_ids(t) for t in team_tasks)


@pytest.mark.parametrize("status", list(STEP_PREDICATES))
@pytest.mark.parametrize("body", ["docs", "team"])
def test_document_reviewer_ids_are_who_may_act_on_the_step(people, make_document, status, body):
    owner = people.docs
    if body == "team":
        owner = BodyFactory(congress=people.congress, kind="team", name="Tổ", parent=people.docs)
        MembershipFactory(body=owner, user=people.docs_member2, role="deputy")
    document = make_document(body=owner, status=status)
    expected = [u.pk for u in _people() if STEP_PREDICATES[status](document, u)]
    assert rules.document_reviewer_ids(document) == expected


@pytest.mark.parametrize("status", [S.DRAFTING, S.CONSULTATION, S.APPROVED, S.WITHDRAWN])
def test_nobody_is_asked_for_a_review_outside_the_review_steps(people, make_document, status):
    assert rules.document_reviewer_ids(make_document(status=status)) == []


@pytest.mark.parametrize("status", [*STEP_PREDICATES, S.CONSULTATION])
@pytest.mark.parametrize("body", ["docs", "team"])
def test_whoever_may_act_on_a_review_passes_the_dashboards_first_check(
    people, make_document, status, body
):
    from congress.fsm import available_transitions
    from workflows.selectors.documents import REVIEW_ACTIONS

    owner = people.docs
    if body == "team":
        owner = BodyFactory(congress=people.congress, kind="team", name="Tổ", parent=people.docs)
        MembershipFactory(body=owner, user=people.docs_member2, role="deputy")
    document = make_document(body=owner, status=status)
    reviewers = [u for u in _people() if REVIEW_ACTIONS & set(available_transitions(document, u))]
    if status in STEP_PREDICATES:
        assert reviewers  # the step has someone to act on it
    for user in _people():
        if user in reviewers:
            assert rules.may_act_on_some_review(user, people.congress.pk), user.username
    members = [u for u in _people() if not rules.may_act_on_some_review(u, people.congress.pk)]
    assert people.docs_member in members  # the check rules someone out
