"""A broker outage: the web process keeps the dispatches it could not queue and queues them
again as soon as the broker answers, each event still dispatched once; the worker reconnects
every second."""

import threading
import time
from datetime import timedelta

import pytest
from kombu.exceptions import OperationalError

from config.celery import app
from notifications import jobs, services
from notifications.models import Event, Notification
from notifications.worker import Consumer
from workflows.services.tasks import task_create


class Broker:
    """Stands in for Redis: refuses while down; once up, queues (eager: runs) the job."""

    def __init__(self, publish, run: bool):
        self.down = False
        self.attempts: list[tuple] = []
        self.queued: list[tuple] = []
        self._publish, self._run = publish, run

    def publish(self, task, args, *, retry=True):
        self.attempts.append((task, args))
        if self.down:
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        self.queued.append((task, args))
        if self._run:
            self._publish(task, args, retry=retry)


@pytest.fixture
def broker(monkeypatch):
    """A broker whose jobs run (eagerly, in the test's thread); no retry thread: the test
    calls `jobs._kept.retry()` itself, as the thread would."""
    fake = Broker(jobs._publish, run=True)
    monkeypatch.setattr(jobs, "_publish", fake.publish)
    monkeypatch.setattr(jobs, "_kept", jobs.Kept())
    monkeypatch.setattr(jobs.Kept, "_run", lambda self: None)
    return fake


@pytest.fixture
def assign(world, django_capture_on_commit_callbacks):
    """Assign a new task to docs_member (an event whose dispatch notifies them)."""

    def make(title="Dự thảo lần 1 Báo cáo chính trị") -> Event:
        with django_capture_on_commit_callbacks(execute=True):
            task = task_create(
                actor=world.docs_head, body=world.docs, title=title, assignee=world.docs_member
            )
        return Event.objects.filter(object_kind="task", object_id=task.pk).get()

    return make


def _notified() -> list[tuple[str, str]]:
    rows = Notification.objects.select_related("recipient").order_by("id")
    return [(n.recipient.username, n.category) for n in rows]


def test_an_event_recorded_while_the_broker_is_down_is_dispatched_once_it_answers(
    broker, assign, django_capture_on_commit_callbacks
):
    broker.down = True
    event = assign()
    assert jobs._kept.pending() == [("dispatch_event", (event.pk,))]
    event.refresh_from_db()
    assert event.dispatched_at is None
    assert _notified() == []

    broker.down = False
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs._kept.retry() == 1
    event.refresh_from_db()
    assert event.dispatched_at is not None
    assert _notified() == [("docs_member", "assignment")]
    # Then one redispatch sweep, for a message the broker lost when it went away.
    assert broker.queued == [("dispatch_event", (event.pk,)), ("redispatch_events", ())]
    assert jobs._kept.pending() == []


def test_while_the_broker_is_known_down_new_dispatches_are_kept_without_trying(
    broker, assign, django_capture_on_commit_callbacks
):
    broker.down = True
    events = [assign(f"Việc {n}") for n in range(3)]
    # Only the first waited for the broker; the others were kept at once, in order.
    assert broker.attempts == [("dispatch_event", (events[0].pk,))]
    assert jobs._kept.pending() == [("dispatch_event", (e.pk,)) for e in events]

    broker.down = False
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs._kept.retry() == 3
    assert broker.queued == [
        *(("dispatch_event", (e.pk,)) for e in events),
        ("redispatch_events", ()),
    ]
    assert Event.objects.filter(dispatched_at__isnull=True).count() == 0
    assert _notified() == [("docs_member", "assignment")] * 3


def test_a_retry_while_the_broker_is_still_down_stops_at_the_first_refusal(broker):
    broker.down = True
    jobs.enqueue_or_keep("dispatch_event", 1, after_outage="redispatch_events")
    jobs.enqueue_or_keep("dispatch_event", 2, after_outage="redispatch_events")
    broker.attempts.clear()
    assert jobs._kept.retry() == 0
    assert broker.attempts == [("dispatch_event", (1,))]
    assert jobs._kept.pending() == [("dispatch_event", (1,)), ("dispatch_event", (2,))]
    assert broker.queued == []


def test_an_event_the_sweep_dispatched_meanwhile_is_not_dispatched_twice(
    broker, assign, time_machine, django_capture_on_commit_callbacks
):
    broker.down = True
    event = assign()
    time_machine.move_to(event.created_at + timedelta(seconds=11), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.events_redispatch() == 1  # the beat's sweep, run in the worker
    assert _notified() == [("docs_member", "assignment")]

    broker.down = False
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs._kept.retry() == 1
    assert ("dispatch_event", (event.pk,)) in broker.queued
    assert _notified() == [("docs_member", "assignment")]


def test_kept_jobs_are_bounded_and_the_rest_is_left_to_the_sweep(broker, monkeypatch):
    monkeypatch.setattr(jobs, "KEEP_AT_MOST", 2)
    broker.down = True
    assert [jobs.enqueue_or_keep("dispatch_event", n) for n in (1, 2, 3)] == [False] * 3
    assert jobs._kept.pending() == [("dispatch_event", (1,)), ("dispatch_event", (2,))]


def test_a_job_queued_while_the_broker_answers_is_not_kept(broker):
    assert jobs.enqueue_or_keep("redispatch_events") is True
    assert broker.queued == [("redispatch_events", ())]
    assert jobs._kept.pending() == []


def test_a_forked_process_starts_with_no_kept_jobs(broker):
    broker.down = True
    jobs.enqueue_or_keep("dispatch_event", 1)
    jobs._kept._pid = -1  # as in a child forked after the job was kept
    jobs.enqueue_or_keep("dispatch_event", 2)
    assert jobs._kept.pending() == [("dispatch_event", (2,))]


def test_the_retry_thread_queues_kept_jobs_within_a_second_of_the_broker_answering(
    monkeypatch,
):
    fake = Broker(jobs._publish, run=False)
    monkeypatch.setattr(jobs, "_publish", fake.publish)
    monkeypatch.setattr(jobs, "_kept", jobs.Kept())
    fake.down = True
    jobs.enqueue_or_keep("dispatch_event", 1, after_outage="redispatch_events")
    time.sleep(3 * jobs.RETRY_EVERY)
    assert len(fake.attempts) >= 3  # the first try, then a check every half second
    assert fake.queued == []

    fake.down = False
    back = time.monotonic()
    while jobs._kept.pending() or fake.queued[-1:] != [("redispatch_events", ())]:
        assert time.monotonic() - back < 5, "not queued again"
        time.sleep(0.02)
    assert time.monotonic() - back <= 2 * jobs.RETRY_EVERY + 0.5
    assert fake.queued == [("dispatch_event", (1,)), ("redispatch_events", ())]
    assert [t.name for t in threading.enumerate()].count("jobs-retry") <= 2


def test_the_worker_reconnects_to_a_lost_broker_every_second_for_as_long_as_it_takes():
    assert app.conf.worker_consumer == "notifications.worker:Consumer"
    assert app.conf.broker_connection_max_retries is None  # 100 tries would last 100 s
    consumer = Consumer.__new__(Consumer)  # only what ensure_connected reads
    consumer.app, consumer.first_connection_attempt = app, False
    consumer.broker_connection_retry_attempt = 0
    calls = []

    class Connection:
        def ensure_connection(self, *args, **kwargs):
            calls.append(kwargs)
            return self

        def as_uri(self):
            return "redis://127.0.0.1:6379/0"

    consumer.ensure_connected(Connection())
    assert len(calls) == 1
    assert {k: calls[0][k] for k in ("interval_start", "interval_step", "interval_max")} == {
        "interval_start": 0.5,
        "interval_step": 0.5,
        "interval_max": 1.0,
    }
    assert "callback" in calls[0]  # Celery's own arguments are kept
