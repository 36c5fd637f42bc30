"""Bulk actions on tasks (workflows.services.task_bulk): each task through the one-task
services in one transaction, all or nothing with the refused task named, and one summary
notification per person concerned instead of one per task."""

from datetime import datetime

import pytest
import time_machine

from congress.errors import Forbidden, Invalid
from notifications.models import Category, Event, Notification
from tests.factories import HANOI, CalendarDayFactory, TaskFactory
from workflows.models import AuditEntry, Task
from workflows.services.task_bulk import TaskRefused, tasks_cancel, tasks_move, tasks_reassign


@pytest.fixture(autouse=True)
def june():
    """Before the deadlines below: no forecast warning is due, only what the action tells."""
    with time_machine.travel(datetime(2025, 6, 2, 9, 0, tzinfo=HANOI), tick=False):
        yield


@pytest.fixture
def three(world, make_task):
    """Three documents tasks of two people."""
    return [
        make_task(title="Dự thảo phần I", due_at=datetime(2025, 7, 4, 17, 0, tzinfo=HANOI)),
        make_task(title="Dự thảo phần II", due_at=datetime(2025, 7, 7, 17, 0, tzinfo=HANOI)),
        make_task(
            title="Dự thảo phần III",
            assignee=world.docs_member2,
            due_at=datetime(2025, 7, 8, 9, 30, tzinfo=HANOI),
        ),
    ]


def _ids(tasks):
    return [t.pk for t in tasks]


def test_moving_three_tasks_of_two_people_sends_exactly_two_summaries(
    world, three, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tasks_move(
            actor=world.docs_head,
            congress_id=world.congress.pk,
            task_ids=_ids(three),
            working_days=2,
        )

    notices = Notification.objects.order_by("recipient_id")
    assert [n.recipient for n in notices] == [world.docs_member, world.docs_member2]
    first = notices.get(recipient=world.docs_member)
    assert first.title == "The deadlines of 2 of your tasks moved"
    assert "• Dự thảo phần I: 04/07/2025 → 08/07/2025" in first.text
    assert "• Dự thảo phần II: 07/07/2025 → 09/07/2025" in first.text
    assert first.link == "/tasks/?scope=mine"
    # The per-task events stay for the live stream, told by the summary.
    assert Event.objects.filter(type="task.updated").count() == 3


def test_a_move_skips_weekends_and_holidays_and_keeps_the_time(world, make_task):
    friday = make_task(due_at=datetime(2025, 8, 29, 9, 30, tzinfo=HANOI))
    # 1/9 and 2/9 are the National Day holidays in 2025; a moved day off on 3/9 too.
    CalendarDayFactory(date=datetime(2025, 9, 3).date())

    tasks_move(
        actor=world.docs_head, congress_id=world.congress.pk, task_ids=[friday.pk], working_days=2
    )

    friday.refresh_from_db()
    assert friday.due_at == datetime(2025, 9, 5, 9, 30, tzinfo=HANOI)


def test_moving_back_from_a_day_off_counts_from_the_working_day_before(world, make_task):
    sunday = make_task(due_at=datetime(2025, 7, 6, 17, 0, tzinfo=HANOI))
    tasks_move(
        actor=world.docs_head, congress_id=world.congress.pk, task_ids=[sunday.pk], working_days=-1
    )
    sunday.refresh_from_db()
    assert sunday.due_at == datetime(2025, 7, 3, 17, 0, tzinfo=HANOI)


def test_reassigning_tells_the_new_assignee_once_with_the_note_and_each_previous_once(world, three):
    tasks_reassign(
        actor=world.docs_head,
        congress_id=world.congress.pk,
        task_ids=_ids(three),
        assignee=world.docs_deputy,
        note="Đồng chí phụ trách thay",
    )

    assert set(Task.objects.values_list("assignee", flat=True)) == {world.docs_deputy.pk}
    new = Notification.objects.get(recipient=world.docs_deputy)
    assert new.category == Category.ASSIGNMENT
    assert new.title.startswith("3 tasks assigned to you")
    assert "Note: Đồng chí phụ trách thay" in new.text
    assert Notification.objects.get(recipient=world.docs_member).title == (
        "2 of your tasks were given to someone else"
    )
    assert Notification.objects.filter(recipient=world.docs_member2).count() == 1
    assert Notification.objects.count() == 3


def test_cancelling_needs_a_reason(world, three, trail):
    before = trail()
    with pytest.raises(Invalid) as refused:
        tasks_cancel(
            actor=world.docs_head, congress_id=world.congress.pk, task_ids=_ids(three), reason=" "
        )
    assert "reason" in refused.value.details["fields"]
    assert trail() == before
    assert not Task.objects.filter(status=Task.Status.CANCELLED).exists()


def test_cancelling_with_a_reason_tells_each_assignee_once(world, three):
    tasks_cancel(
        actor=world.docs_head,
        congress_id=world.congress.pk,
        task_ids=_ids(three),
        reason="Gộp vào dự thảo chung",
    )
    assert set(Task.objects.values_list("status", flat=True)) == {Task.Status.CANCELLED}
    assert Notification.objects.count() == 2
    text = Notification.objects.get(recipient=world.docs_member).text
    assert "Reason: Gộp vào dự thảo chung" in text
    reasons = AuditEntry.objects.filter(transition="cancel").values_list("note", flat=True)
    assert list(reasons) == ["Gộp vào dự thảo chung"] * 3


def test_a_task_the_user_may_not_edit_changes_nothing_and_is_named(world, three, trail):
    # The head of the documents subcommittee plans its tasks, not the organization's.
    foreign = TaskFactory(
        body=world.orgbody,
        title="Thuê hội trường",
        due_at=datetime(2025, 7, 9, 17, 0, tzinfo=HANOI),
    )
    before = trail()
    dues = list(Task.objects.order_by("id").values_list("due_at", flat=True))

    with pytest.raises(TaskRefused) as refused:
        tasks_move(
            actor=world.docs_head,
            congress_id=world.congress.pk,
            task_ids=[*_ids(three), foreign.pk],
            working_days=3,
        )

    assert refused.value.status == Forbidden.status
    assert refused.value.details["task"] == foreign.pk
    assert str(refused.value.message).startswith("“Thuê hội trường”: ")
    assert trail() == before
    assert list(Task.objects.order_by("id").values_list("due_at", flat=True)) == dues
    assert not Notification.objects.exists()


def test_a_hidden_task_in_the_selection_is_not_named(world, three):
    secret = TaskFactory(body=world.personnel, title="Danh sách nhân sự")
    with pytest.raises(Invalid) as refused:
        tasks_cancel(
            actor=world.docs_head,
            congress_id=world.congress.pk,
            task_ids=[*_ids(three), secret.pk],
            reason="Không cần nữa",
        )
    assert "nhân sự" not in str(refused.value.details)
    assert not Task.objects.filter(status=Task.Status.CANCELLED).exists()


def test_a_task_without_a_deadline_is_named_and_nothing_moves(world, three, make_task):
    undated = make_task(title="Việc chưa có hạn", due_at=None)
    with pytest.raises(TaskRefused) as refused:
        tasks_move(
            actor=world.docs_head,
            congress_id=world.congress.pk,
            task_ids=[*_ids(three), undated.pk],
            working_days=1,
        )
    assert str(refused.value.message) == "“Việc chưa có hạn”: it has no deadline to move."
    three[0].refresh_from_db()
    assert three[0].due_at == datetime(2025, 7, 4, 17, 0, tzinfo=HANOI)


def test_office_reassigns_in_bulk_but_not_the_personnel_subcommittees_work(world, three):
    from congress.models import OrganizationOffice
    from tests.factories import UserFactory

    office = UserFactory(username="van.phong")
    OrganizationOffice.objects.create(user=office, organization=world.org)
    tasks_reassign(
        actor=office,
        congress_id=world.congress.pk,
        task_ids=_ids(three),
        assignee=world.docs_deputy,
    )
    assert set(Task.objects.values_list("assignee", flat=True)) == {world.docs_deputy.pk}

    secret = TaskFactory(body=world.personnel, assignee=world.personnel_member)
    with pytest.raises(Invalid):
        tasks_reassign(
            actor=office,
            congress_id=world.congress.pk,
            task_ids=[secret.pk],
            assignee=world.sc_head,
        )
    secret.refresh_from_db()
    assert secret.assignee == world.personnel_member


@pytest.mark.parametrize("days", [0, 251, -251])
def test_the_number_of_working_days_is_bounded(world, three, days):
    with pytest.raises(Invalid):
        tasks_move(
            actor=world.docs_head,
            congress_id=world.congress.pk,
            task_ids=_ids(three),
            working_days=days,
        )
