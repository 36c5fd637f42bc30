"""A real Celery worker on Redis dispatches the outbox: the test process only commits the
change and enqueues, as the web server does; the worker process writes the notifications."""

import pytest
from django.db import transaction

from notifications.models import Category, Event, Notification
from tests.integration.services import wait_for
from workflows.models import Task
from workflows.services.tasks import task_transition

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_worker_dispatches_a_committed_transition_to_the_reviewers(world, make_task, worker):
    task = make_task(status=Task.Status.IN_PROGRESS)

    task_transition(
        actor=world.docs_member, task_id=task.pk, name="submit", note="Đã xong dự thảo lần 1"
    )

    event = Event.objects.get(type="task.transitioned", object_kind="task", object_id=task.pk)
    assert event.dispatched_at is None  # nothing ran in the test process
    dispatched = wait_for(
        lambda: Event.objects.filter(pk=event.pk, dispatched_at__isnull=False).first(),
        what="the worker to dispatch the event",
    )
    assert dispatched.dispatched_at >= event.created_at
    notifications = Notification.objects.filter(event=event)
    assert sorted(n.recipient_id for n in notifications) == sorted(
        [world.docs_head.pk, world.docs_deputy.pk, world.steering_head.pk]
    )
    assert {(n.category, n.congress_id, n.link) for n in notifications} == {
        (Category.REVIEW, world.congress.pk, f"/tasks/{task.pk}/")
    }
    assert "Task notifications.tasks.dispatch_event[" in worker.log_text()


def test_a_rolled_back_transition_leaves_the_worker_nothing_to_dispatch(world, make_task, worker):
    rolled_back = make_task(status=Task.Status.IN_PROGRESS)
    committed = make_task(status=Task.Status.IN_PROGRESS, assignee=world.docs_member2)

    with transaction.atomic():
        task_transition(
            actor=world.docs_member, task_id=rolled_back.pk, name="submit", note="Bản nháp"
        )
        transaction.set_rollback(True)
    task_transition(actor=world.docs_member2, task_id=committed.pk, name="submit", note="Xong")

    # The worker runs tasks in queue order: once the later change is dispatched, anything
    # queued for the rolled-back one would have run too.
    wait_for(
        lambda: Event.objects.filter(object_id=committed.pk, dispatched_at__isnull=False),
        what="the worker to dispatch the committed change",
    )
    assert not Event.objects.filter(object_id=rolled_back.pk).exists()
    assert not Notification.objects.filter(event__object_id=rolled_back.pk).exists()
    assert Task.objects.get(pk=rolled_back.pk).status == Task.Status.IN_PROGRESS
