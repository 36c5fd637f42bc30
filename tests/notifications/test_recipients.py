"""Who hears of an event is read from the event alone: a task event carries its reviewers, as a
document event does, so notifications never applies workflows' rules."""

from congress.selectors import roles_of_users
from notifications.models import Category, Event
from notifications.recipients import recipients_for
from tests.factories import BodyFactory, MembershipFactory
from workflows.services.tasks import task_transition


def _event(world, **data) -> Event:
    return Event.objects.create(
        congress=world.congress,
        type="task.transitioned",
        object_kind="task",
        object_id=1,
        body=world.docs,
        actor=world.docs_member,
        payload={"kind": "task", "id": 1, **data},
    )


def test_a_submit_event_names_the_tasks_reviewers(world, make_task):
    task = make_task(status="in_progress")
    task_transition(actor=world.docs_member, task_id=task.pk, name="submit", note="Xong")
    event = Event.objects.get(type="task.transitioned")
    assert event.payload["reviewers"] == sorted(
        [world.docs_head.pk, world.docs_deputy.pk, world.steering_head.pk]
    )


def test_the_reviewers_of_a_team_task_include_the_parent_body_leaders_not_the_assignee(
    world, make_task
):
    team = BodyFactory(congress=world.congress, kind="team", name="Tổ biên tập", parent=world.docs)
    MembershipFactory(body=team, user=world.docs_member2, role="head")
    MembershipFactory(body=team, user=world.docs_member, role="member")
    task = make_task(body=team, assignee=world.docs_member2, status="in_progress")
    task_transition(actor=world.docs_member2, task_id=task.pk, name="submit", note="Xong")
    event = Event.objects.get(type="task.transitioned")
    assert event.payload["reviewers"] == sorted(
        [world.docs_head.pk, world.docs_deputy.pk, world.steering_head.pk]
    )


def test_a_transition_out_of_review_names_no_reviewers(world, make_task):
    task = make_task(status="in_review")
    task_transition(actor=world.docs_head, task_id=task.pk, name="approve")
    event = Event.objects.get(type="task.transitioned")
    assert event.payload["reviewers"] == []


def test_submit_reaches_the_reviewers_the_event_names_and_not_the_bodys_leaders(world):
    # docs_member2 leads nothing: only the event can have named them.
    event = _event(
        world, transition="submit", assignee=world.docs_member.pk, reviewers=[world.docs_member2.pk]
    )
    assert recipients_for(event) == {world.docs_member2.pk: Category.REVIEW}


def test_named_reviewers_are_still_filtered_by_visibility_and_the_actor(world):
    event = _event(
        world,
        transition="submit",
        assignee=world.docs_member.pk,
        reviewers=[world.outsider.pk, world.docs_member.pk, world.docs_head.pk],
    )
    assert recipients_for(event) == {world.docs_head.pk: Category.REVIEW}


def test_roles_of_many_users_are_read_in_one_query(world, django_assert_num_queries):
    ids = [world.docs_head.pk, world.outsider.pk, world.staff.pk]
    with django_assert_num_queries(1):
        roles = roles_of_users(ids, congress_ids=[world.congress.pk])
    assert sorted(roles) == sorted(ids)
    assert roles[world.docs_head.pk].body_role == {world.docs.pk: "head"}
    assert roles[world.outsider.pk].body_role == {}  # their congress was not asked for
    assert roles[world.staff.pk].body_role == {}
    assert roles_of_users([world.outsider.pk])[world.outsider.pk].body_role == {
        world.other_docs.pk: "head"
    }
