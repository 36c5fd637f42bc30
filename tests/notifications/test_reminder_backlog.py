"""A reminder backlog (a first deployment, a long outage) is spread over several sweeps: each
sweep sends at most REMINDERS_PER_SWEEP reminders, the most urgent first, and the next sweeps
send the rest, each reminder exactly once."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection

from notifications import reminders
from notifications.models import Notification, Reminder
from tests.notifications.conftest import hanoi
from workflows.reminders import reminders_sweep

NOW = (2025, 8, 20, 17, 0)  # a Wednesday
CAP = 4


@pytest.fixture
def backlog(make_task):
    """Twelve reminders due at NOW, by name, in the order of urgency: two escalations, four
    passed deadlines (oldest first), six upcoming ones (nearest first)."""
    tasks = {
        "9 days late": make_task(due_at=hanoi(2025, 8, 11, 17, 0)),
        "8 days late": make_task(due_at=hanoi(2025, 8, 12, 17, 0)),
        "1 day late": make_task(due_at=hanoi(2025, 8, 19, 17, 0)),
        "5 hours late": make_task(due_at=hanoi(2025, 8, 20, 12, 0)),
        "in 16 hours": make_task(due_at=hanoi(2025, 8, 21, 9, 0)),
        "in 2 days": make_task(due_at=hanoi(2025, 8, 22, 17, 0)),
        "in 3 days": make_task(due_at=hanoi(2025, 8, 23, 12, 0)),
        "in 5 days": make_task(due_at=hanoi(2025, 8, 25, 17, 0)),
        "in 6 days": make_task(due_at=hanoi(2025, 8, 26, 17, 0)),
        "in 7 days": make_task(due_at=hanoi(2025, 8, 27, 16, 0)),
    }
    return {task.pk: name for name, task in tasks.items()}


def _sent_since(names: dict[int, str], last_id: int) -> list[tuple[str, str]]:
    rows = Reminder.objects.filter(id__gt=last_id).values_list("object_id", "kind")
    return sorted((names[object_id], kind) for object_id, kind in rows)


def _last_id() -> int:
    return Reminder.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_a_backlog_of_three_caps_goes_out_over_three_sweeps_most_urgent_first(
    world, backlog, clock, sweep, settings
):
    settings.REMINDERS_PER_SWEEP = CAP
    now = clock(*NOW)
    sent, counts = [], []
    for minutes in (0, 5, 10, 15):  # every 5 minutes, as celery beat runs it
        before = _last_id()
        counts.append(sweep(now=now + timedelta(minutes=minutes)))
        sent.append(_sent_since(backlog, before))
    assert sent == [
        sorted(
            [
                ("9 days late", "escalation"),
                ("8 days late", "escalation"),
                ("9 days late", "overdue"),
                ("8 days late", "overdue"),
            ]
        ),
        sorted(
            [
                ("1 day late", "overdue"),
                ("5 hours late", "overdue"),
                ("in 16 hours", "due_1d"),
                ("in 2 days", "due_3d"),
            ]
        ),
        sorted(
            [
                ("in 3 days", "due_3d"),
                ("in 5 days", "due_7d"),
                ("in 6 days", "due_7d"),
                ("in 7 days", "due_7d"),
            ]
        ),
        [],
    ]
    assert [c["due"] + c["overdue"] + c["escalation"] for c in counts] == [4, 4, 4, 0]
    assert [c["escalation"] for c in counts] == [2, 0, 0, 0]
    assert [c["notifications"] for c in counts] == [4, 4, 4, 0]
    # Each reminder once, each to its people once: the assignee, and the head for escalations.
    assert Reminder.objects.count() == 12
    assert Notification.objects.filter(recipient=world.docs_member).count() == 10
    assert Notification.objects.filter(recipient=world.docs_head).count() == 2
    assert Notification.objects.count() == 12


def test_a_sweep_with_fewer_reminders_due_than_the_cap_sends_them_all(
    backlog, clock, sweep, settings
):
    settings.REMINDERS_PER_SWEEP = 12
    clock(*NOW)
    counts = sweep()
    assert (counts["due"], counts["overdue"], counts["escalation"]) == (6, 4, 2)
    assert Reminder.objects.count() == 12
    assert sweep()["notifications"] == 0
    assert Reminder.objects.count() == 12


def test_a_cap_of_zero_sends_the_whole_backlog_in_one_sweep(backlog, clock, sweep, settings):
    settings.REMINDERS_PER_SWEEP = 0
    clock(*NOW)
    counts = sweep()
    assert (counts["due"], counts["overdue"], counts["escalation"]) == (6, 4, 2)
    assert counts["notifications"] == 12


def test_a_reminder_nobody_may_see_takes_no_place_under_the_cap(
    world, make_task, clock, sweep, settings
):
    settings.REMINDERS_PER_SWEEP = 1
    world.docs_member.is_active = False
    world.docs_member.save(update_fields=["is_active"])
    make_task(due_at=hanoi(2025, 8, 19, 17, 0))  # the oldest, for an inactive assignee
    reminded = make_task(due_at=hanoi(2025, 8, 20, 12, 0), assignee=world.docs_head)
    clock(*NOW)
    counts = sweep()
    assert counts["overdue"] == 1
    assert list(Reminder.objects.values_list("object_id", "kind")) == [(reminded.pk, "overdue")]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_capped_sweeps_at_once_then_the_next_ones_send_each_reminder_once(
    world, make_task, monkeypatch, settings
):
    settings.REMINDERS_PER_SWEEP = 50
    monkeypatch.setattr(reminders, "CHUNK", 20)
    now = hanoi(2025, 8, 19, 9, 0)
    offsets = [timedelta(days=6), timedelta(days=2), timedelta(hours=5), -timedelta(days=8)]
    for i in range(120):
        make_task(due_at=now + offsets[i % 4] + timedelta(minutes=i))
    # Both sweeps read their first chunk's "not sent yet" before either inserts: they race.
    in_step = threading.Barrier(2)
    not_yet_sent = reminders._not_yet_sent
    first_calls = []

    def racing(specs):
        found = not_yet_sent(specs)
        if len(first_calls) < 2:
            first_calls.append(1)
            in_step.wait(timeout=30)
        return found

    monkeypatch.setattr(reminders, "_not_yet_sent", racing)

    together = _run_twice_at_once(lambda: reminders_sweep(now=now))
    later = []
    for minutes in range(5, 60, 5):
        counts = reminders_sweep(now=now + timedelta(minutes=minutes))
        later.append(counts)
        if counts["notifications"] == 0:
            break

    # Each fills its cap (a key the other won takes no place), the next sweep sends the rest.
    assert [_total(c) for c in together] == [50, 50]
    assert [_total(c) for c in later] == [50, 0]
    # 30 tasks each: due in 7, 3 and 1 days, overdue and escalated
    assert Counter(Reminder.objects.values_list("kind", flat=True)) == Counter(
        {"due_7d": 30, "due_3d": 30, "due_1d": 30, "overdue": 30, "escalation": 30}
    )
    per_reminder = Counter(Notification.objects.values_list("reminder_id", flat=True))
    assert set(per_reminder.values()) == {1}
    assert len(per_reminder) == 150


def _total(counts: dict) -> int:
    return counts["due"] + counts["overdue"] + counts["escalation"]


def _run_twice_at_once(job) -> list:
    results, errors = [], []
    start = threading.Barrier(2)

    def run():
        try:
            start.wait(timeout=30)
            results.append(job())
        except Exception as error:  # reported by the assertion below
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


def test_a_sweep_past_its_time_budget_starts_no_new_chunk(
    backlog, clock, sweep, settings, monkeypatch
):
    settings.REMINDERS_PER_SWEEP = 0
    settings.REMINDERS_SWEEP_SECONDS = 1e-9  # over as soon as the first chunk is sent
    monkeypatch.setattr(reminders, "CHUNK", 5)
    now = clock(*NOW)
    sent = [_total(sweep(now=now + timedelta(minutes=m))) for m in range(0, 60, 5)]
    # A sweep stops after the first chunk it sent something from, so a backlog always moves
    # on (how the chunks fall depends on what the previous sweeps recorded).
    assert sent[0] == 5
    assert sent.index(0) == 4
    assert all(1 <= n <= 5 for n in sent[:4])
    assert set(sent[4:]) == {0}
    assert sum(sent) == Reminder.objects.count() == 12
