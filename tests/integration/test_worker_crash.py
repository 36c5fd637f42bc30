"""A worker killed in the middle of a dispatch: after a restart and the redispatch sweep, every
notification, and every email, arrives exactly once."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from notifications.models import Category, EmailDelivery, Event, Notification
from notifications.tasks import dispatch_event, redispatch_events
from tests.integration.services import wait_for
from workflows.services.tasks import task_create

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

EVENTS = 12


def _dispatched(events) -> int:
    return Event.objects.filter(pk__in=[e.pk for e in events], dispatched_at__isnull=False).count()


def _someone_waits_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps showing the activity it read first.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def _age(events) -> None:
    """Make events look undispatched for two minutes: the sweep's cutoff is one."""
    Event.objects.filter(pk__in=[e.pk for e in events]).update(
        created_at=timezone.now() - timedelta(minutes=2)
    )


def test_a_worker_killed_while_dispatching_loses_nothing_and_repeats_nothing(
    world, worker, smtp_server
):
    worker.stop()  # the dispatch messages wait in Redis
    assignees = [world.docs_member, world.docs_member2]
    tasks = [
        task_create(
            actor=world.docs_head,
            body=world.docs,
            title=f"Rà soát chỉ tiêu nghị quyết [{i:02d}]",
            assignee=assignees[i % 2],
        )
        for i in range(EVENTS)
    ]
    events = list(Event.objects.filter(object_id__in=[t.pk for t in tasks]).order_by("id"))
    assert [e.type for e in events] == ["task.created"] * EVENTS
    stuck = events[EVENTS // 2]
    before, after = events[: EVENTS // 2], events[EVENTS // 2 + 1 :]

    with transaction.atomic():
        # An uncommitted copy of one of its notifications makes the worker's insert wait: the
        # worker is caught inside the dispatch of `stuck`, transaction open, message unacked.
        Notification.objects.create(
            recipient_id=stuck.payload["assignee"],
            event=stuck,
            category=Category.ASSIGNMENT,
            title="held by the test",
        )
        worker.start()
        wait_for(
            lambda: _dispatched(before) == len(before) and _someone_waits_on_a_lock(),
            what="the worker to be caught inside a dispatch",
        )
        worker.kill()
        transaction.set_rollback(True)
    assert _dispatched([stuck, *after]) == 0

    # Restarted, the worker dispatches what was still queued. The message of `stuck` died
    # with the killed worker: Redis gives an unacknowledged message back only after its
    # visibility timeout (an hour).
    worker.start()
    wait_for(lambda: _dispatched(after) == len(after), what="the queued events")
    assert _dispatched([stuck]) == 0

    # The redispatch sweep (celery beat, every minute) dispatches it. It is queued again until
    # it works: the killed worker's database session may still hold the row for a moment.
    _age([stuck])

    def sweep_dispatched_it() -> bool:
        redispatch_events.delay()
        return _dispatched([stuck]) == 1

    wait_for(sweep_dispatched_it, what="the sweep to dispatch the lost event", interval=1.0)

    # Every message delivered again and one more sweep: nothing is created twice. A marker
    # event (no recipients) swept last shows that the worker, which runs tasks in queue
    # order, has run all of them.
    for event in events:
        dispatch_event.delay(event.pk)
    marker = Event.objects.create(
        congress=world.congress,
        type="task.updated",
        object_kind="task",
        object_id=tasks[0].pk,
        body=world.docs,
        payload={"kind": "task", "id": tasks[0].pk, "changed": []},
    )
    _age([marker])
    redispatch_events.delay()
    wait_for(lambda: _dispatched([marker]) == 1, what="the duplicates to be run")

    assert _dispatched(events) == EVENTS
    pairs = Notification.objects.filter(event__in=events).values_list("recipient_id", "event_id")
    assert Counter(pairs) == Counter({(e.payload["assignee"], e.pk): 1 for e in events})
    assert not Notification.objects.filter(event=marker).exists()

    deliveries = EmailDelivery.objects.filter(notification__event__in=events)
    wait_for(
        lambda: deliveries.filter(status="sent").count() == EVENTS,
        what="every assignment email to be sent",
    )
    for task in tasks:
        received = smtp_server.messages(to=task.assignee.email, containing=task.title)
        assert len(received) == 1, task.title
