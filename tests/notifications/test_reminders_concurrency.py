"""Two runners at the same moment on PostgreSQL: each reminder is recorded, notified and
emailed exactly once (the unique key decides; the loser creates nothing), and each digest is
sent once (the conditional UPDATE decides)."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, transaction

from notifications import reminders
from notifications.models import EmailDelivery, Notification, Preference, Reminder
from notifications.services import preference_for
from tests.notifications.conftest import hanoi
from workflows import digest
from workflows.reminders import reminders_sweep

pytestmark = [
    pytest.mark.postgres,
]


def _run_twice_at_once(job) -> list:
    results, errors = [], []
    start = threading.Barrier(2)

    def run():
        try:
            start.wait(timeout=30)
            results.append(job())
        except Exception as error:  # reported by the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    return results


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_each_reminder_exactly_once(world, make_task, monkeypatch):
    now = hanoi(2025, 8, 19, 9, 0)
    offsets = [timedelta(days=6), timedelta(days=2), timedelta(hours=5), -timedelta(days=8)]
    for i in range(240):
        make_task(due_at=now + offsets[i % 4] + timedelta(minutes=i))
    # Both sweeps pass the "not sent yet" check of every chunk before either inserts, so
    # every insert races: the unique key alone must decide.
    monkeypatch.setattr(reminders, "CHUNK", 50)
    in_step = threading.Barrier(2)
    not_yet_sent = reminders._not_yet_sent

    def racing(specs):
        found = not_yet_sent(specs)
        in_step.wait(timeout=30)
        return found

    monkeypatch.setattr(reminders, "_not_yet_sent", racing)

    results = _run_twice_at_once(lambda: reminders_sweep(now=now))

    # 60 tasks each: due in 7, 3 and 1 days, overdue (and escalated) for a week
    expected = {"due": 180, "overdue": 60, "escalation": 60}
    assert Counter(Reminder.objects.values_list("kind", flat=True)) == Counter(
        {"due_7d": 60, "due_3d": 60, "due_1d": 60, "overdue": 60, "escalation": 60}
    )
    for key, total in expected.items():
        assert sum(r[key] for r in results) == total
    assert sum(r["notifications"] for r in results) == 300
    assert Notification.objects.count() == 300
    per_reminder = Counter(Notification.objects.values_list("reminder_id", flat=True))
    assert set(per_reminder.values()) == {1}
    assert set(per_reminder) == set(Reminder.objects.values_list("id", flat=True))
    assert EmailDelivery.objects.count() == 300


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_digest_runs_send_each_digest_once(world, make_task, monkeypatch):
    now = hanoi(2025, 8, 18, 7, 0)
    users = [world.docs_member, world.docs_member2, world.personnel_member]
    for user in users:
        make_task(
            body=world.personnel if user == world.personnel_member else world.docs,
            assignee=user,
            due_at=now + timedelta(days=1),
        )
        preference = preference_for(user)
        preference.digest_hour = 7
        preference.save(update_fields=["digest_hour"])
    # Both runners list the waiting users before either claims one.
    listed = threading.Barrier(2)
    atomic = transaction.atomic

    class InStep:
        atomic_calls = threading.local()
        on_commit = staticmethod(transaction.on_commit)

        @classmethod
        def atomic(cls, *args, **kwargs):
            if not getattr(cls.atomic_calls, "seen", False):
                cls.atomic_calls.seen = True
                listed.wait(timeout=30)
            return atomic(*args, **kwargs)

    monkeypatch.setattr(digest, "transaction", InStep)

    results = _run_twice_at_once(lambda: digest.digests_send(now=now))

    assert sum(r["sent"] for r in results) == 3
    assert Counter(Notification.objects.values_list("recipient_id", flat=True)) == Counter(
        {user.pk: 1 for user in users}
    )
    assert EmailDelivery.objects.count() == 3
    assert set(Preference.objects.values_list("last_digest_on", flat=True)) == {now.date()}
