"""Warnings before anything is late (workflows/forecast_warnings.py): one notification per task and
forecast, to its assignee and its body's head, naming the chain behind it; again only if the
forecast worsens; never the title of a confidential task to someone outside its body; once
under two concurrent sweeps."""

import threading
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from notifications import reminders
from notifications.models import Notification, Reminder
from workflows.forecast_warnings import forecast_warnings
from workflows.models import Task

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2025, 6, 2, 9, 0, tzinfo=HANOI)  # Monday


def due(day: date) -> datetime:
    return datetime.combine(day, time(17, 0), HANOI)


@pytest.fixture
def late_plan(world, make_task):
    """draft (4 days from Mon 2/6) -> review (1 day) due Wed 4/6: review finishes Fri 6/6,
    two working days late."""
    draft = make_task(title="Soạn dự thảo", duration_days=4, starts_on=date(2025, 6, 2))
    review = make_task(title="Họp cho ý kiến", duration_days=1, due_at=due(date(2025, 6, 4)))
    review.depends_on.add(draft)
    return draft, review


def warnings_of(user):
    return list(
        Notification.objects.filter(recipient=user, reminder__kind="forecast_late").order_by("id")
    )


def test_a_task_forecast_late_warns_its_assignee_and_its_head_once(world, late_plan):
    _draft, review = late_plan

    sent = forecast_warnings(world.congress, now=NOW)

    assert sent == 4  # both tasks are late, each to docs_member (assignee) and docs_head
    [warning] = [n for n in warnings_of(world.docs_member) if n.link == f"/tasks/{review.pk}/"]
    assert warning.title == "Forecast 2 working days late: Họp cho ý kiến"
    assert "06/06/2025" in warning.text
    assert "Soạn dự thảo → Họp cho ý kiến" in warning.text
    assert len(warnings_of(world.docs_head)) == 2
    assert warnings_of(world.personnel_member) == []
    # The same forecast again: nothing more.
    assert forecast_warnings(world.congress, now=NOW) == 0
    assert Notification.objects.filter(reminder__kind="forecast_late").count() == 4


def test_a_worse_forecast_warns_again_and_a_better_one_does_not(world, late_plan):
    draft, review = late_plan
    forecast_warnings(world.congress, now=NOW)

    Task.objects.filter(pk=draft.pk).update(duration_days=6)  # two days worse
    assert forecast_warnings(world.congress, now=NOW) == 4
    Task.objects.filter(pk=draft.pk).update(duration_days=5)  # better, still late
    assert forecast_warnings(world.congress, now=NOW) == 0
    assert Reminder.objects.filter(object_id=review.pk, kind="forecast_late").count() == 2


def test_a_task_on_time_warns_nobody(world, make_task):
    make_task(title="Đúng hạn", duration_days=1, due_at=due(date(2025, 6, 6)))
    assert forecast_warnings(world.congress, now=NOW) == 0


def test_a_confidential_task_in_the_chain_is_not_named_outside_its_body(world, make_task):
    secret = make_task(
        title="Thẩm tra hồ sơ nhân sự",
        body=world.personnel,
        assignee=world.personnel_member,
        duration_days=4,
        starts_on=date(2025, 6, 2),
    )
    public = make_task(title="Báo cáo tổng hợp", duration_days=1, due_at=due(date(2025, 6, 4)))
    public.depends_on.add(secret)

    forecast_warnings(world.congress, now=NOW)

    [warning] = [n for n in warnings_of(world.docs_member) if n.link == f"/tasks/{public.pk}/"]
    assert "Thẩm tra hồ sơ nhân sự" not in warning.text + warning.title
    assert "a task of a confidential body → Báo cáo tổng hợp" in warning.text
    # The documents member never hears of the confidential task itself.
    assert all(n.link != f"/tasks/{secret.pk}/" for n in warnings_of(world.docs_member))


def test_an_assignee_who_may_not_see_the_task_is_not_warned(world, make_task):
    # docs_member is assigned a personnel task (they may no longer see its body's work).
    make_task(
        title="Danh sách dự kiến",
        body=world.personnel,
        assignee=world.docs_member,
        duration_days=5,
        due_at=due(date(2025, 6, 3)),
    )
    forecast_warnings(world.congress, now=NOW)
    assert warnings_of(world.docs_member) == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_warn_exactly_once(world, late_plan, monkeypatch):
    in_step = threading.Barrier(2)
    not_yet_sent = reminders._not_yet_sent

    def racing(specs):
        found = not_yet_sent(specs)
        in_step.wait(timeout=30)
        return found

    monkeypatch.setattr(reminders, "_not_yet_sent", racing)
    errors = []

    def run():
        try:
            forecast_warnings(world.congress, now=NOW)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert Reminder.objects.filter(kind="forecast_late").count() == 2
    assert Notification.objects.filter(reminder__kind="forecast_late").count() == 4


def test_moving_a_due_date_earlier_warns_soon_after_the_change(
    world, api, make_task, django_capture_on_commit_callbacks
):
    task = make_task(title="Hoàn thiện hồ sơ", duration_days=3, starts_on=date(2025, 6, 2))
    with time_machine.travel(NOW, tick=False), django_capture_on_commit_callbacks(execute=True):
        response = api(world.docs_head).patch(
            f"/api/v1/tasks/{task.pk}/",
            {"due_at": due(date(2025, 6, 3)).isoformat()},
            format="json",
        )
    assert response.status_code == 200
    [warning] = warnings_of(world.docs_member)
    assert warning.title == "Forecast 1 working day late: Hoàn thiện hồ sơ"
