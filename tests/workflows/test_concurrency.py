"""Two people act on the same task at the same moment: the row lock lets exactly one win, and
the other gets a 409. Needs PostgreSQL (real row locks across connections)."""

import threading

import pytest
from django.db import connections, transaction

from congress.errors import Conflict
from notifications.models import Event
from tests.factories import TaskFactory
from workflows.models import AuditEntry, Task
from workflows.services.tasks import task_comment_add, task_transition, task_update

S = Task.Status

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def race(*calls):
    """Run the calls in threads released together; return each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as error:  # the losing side's Conflict is the point of the test
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    return results


def split(results):
    won = [r for r in results if isinstance(r, Task)]
    lost = [r for r in results if not isinstance(r, Task)]
    return won, lost


@pytest.mark.parametrize("round_", range(5))
def test_two_leaders_approving_at_once_exactly_one_succeeds(world, round_):
    task = TaskFactory(body=world.docs, assignee=world.docs_member, status=S.IN_REVIEW)

    won, lost = split(
        race(
            lambda: task_transition(actor=world.docs_head, task_id=task.pk, name="approve"),
            lambda: task_transition(actor=world.docs_deputy, task_id=task.pk, name="approve"),
        )
    )

    assert len(won) == 1
    assert len(lost) == 1
    assert isinstance(lost[0], Conflict)
    assert (lost[0].status, lost[0].code) == (409, "transition_not_allowed")
    task.refresh_from_db()
    assert (task.status, task.version) == (S.DONE, 2)
    assert AuditEntry.objects.filter(object_id=task.pk, transition="approve").count() == 1


@pytest.mark.parametrize("round_", range(5))
def test_approve_and_return_with_the_same_version_exactly_one_succeeds(world, round_):
    task = TaskFactory(body=world.docs, assignee=world.docs_member, status=S.IN_REVIEW, version=7)

    won, lost = split(
        race(
            lambda: task_transition(
                actor=world.docs_head, task_id=task.pk, name="approve", version=7
            ),
            lambda: task_transition(
                actor=world.docs_deputy, task_id=task.pk, name="return", reason="Sửa", version=7
            ),
        )
    )

    assert len(won) == 1
    assert isinstance(lost[0], Conflict)
    assert (lost[0].status, lost[0].code) == (409, "stale_version")
    task.refresh_from_db()
    assert task.version == 8
    assert task.status == won[0].status


@pytest.mark.parametrize("round_", range(3))
def test_two_edits_with_the_same_version_exactly_one_succeeds(world, round_):
    task = TaskFactory(body=world.docs, created_by=world.docs_head, title="Gốc", version=3)

    won, lost = split(
        race(
            lambda: task_update(actor=world.docs_head, task_id=task.pk, version=3, title="A"),
            lambda: task_update(actor=world.docs_deputy, task_id=task.pk, version=3, title="B"),
        )
    )

    assert len(won) == 1
    assert isinstance(lost[0], Conflict)
    assert lost[0].code == "stale_version"
    task.refresh_from_db()
    assert (task.title, task.version) == (won[0].title, 4)


def test_two_approvals_through_the_api_one_200_one_409(world, api):
    task = TaskFactory(body=world.docs, assignee=world.docs_member, status=S.IN_REVIEW)
    clients = [api(world.docs_head), api(world.docs_deputy)]
    url = f"/api/v1/tasks/{task.pk}/transitions/approve/"

    responses = race(*(lambda c=c: c.post(url, {"version": 1}) for c in clients))

    assert sorted(r.status_code for r in responses) == [200, 409]
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.json()["code"] == "stale_version"
    task.refresh_from_db()
    assert (task.status, task.version) == (S.DONE, 2)


def test_catching_up_after_an_event_id_misses_no_event_committed_later(world, api):
    """Event ids are taken at insert and committed in another order: a client that has seen
    event N and asks for the events after N must still get an event with a smaller id that
    was committed after it read."""
    slow_task = TaskFactory(body=world.docs, assignee=world.docs_member)
    fast_task = TaskFactory(body=world.docs, assignee=world.docs_member)
    inserted, release = threading.Event(), threading.Event()

    def slow_writer():
        try:
            with transaction.atomic():
                task_comment_add(actor=world.docs_member, task_id=slow_task.pk, text="Chậm")
                inserted.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert inserted.wait(timeout=10)
    task_comment_add(actor=world.docs_head, task_id=fast_task.pk, text="Nhanh")
    client = api(world.docs_member)
    url = f"/api/v1/events/?congress={world.congress.pk}"
    seen = [e["event"] for e in client.get(url).json()["results"]]
    release.set()
    thread.join(timeout=10)

    later = [e["event"] for e in client.get(f"{url}&after={seen[-1]}").json()["results"]]

    assert sorted(seen + later) == sorted(Event.objects.values_list("id", flat=True))
