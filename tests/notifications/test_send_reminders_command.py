from io import StringIO

from django.core.management import call_command

from notifications.models import Reminder
from tests.notifications.conftest import hanoi


def test_send_reminders_runs_one_sweep_and_prints_the_counts(world, make_task, clock):
    make_task(due_at=hanoi(2025, 8, 20, 17, 0))
    make_task(due_at=hanoi(2025, 8, 15, 17, 0))
    clock(2025, 8, 19, 18, 0)
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert out.getvalue() == (
        "due: 1, overdue: 1, escalation: 1, document: 0, superior_review: 0, notifications: 3, "
        "invitations_sent: 0, consultation_reminders: 0\n"
    )
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert out.getvalue().startswith("due: 0, overdue: 0, escalation: 0")
    assert Reminder.objects.count() == 3


def test_celery_tasks_run_the_sweeps(world, make_task, clock):
    from workflows import jobs

    make_task(due_at=hanoi(2025, 8, 20, 17, 0))
    clock(2025, 8, 19, 18, 0)
    assert jobs.send_reminders.delay().get()["due"] == 1
    assert jobs.send_digests.delay().get() == {"sent": 0, "empty": 0}
