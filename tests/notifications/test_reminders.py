"""Deadline reminders of tasks and documents: windows, exactly once, escalation in working
days, the superior-review deadline, and who may receive what (ARCHITECTURE §§1, 3, 5)."""

from datetime import date, timedelta

import pytest
from django.core import mail

from congress.models import CalendarDay, Congress, Membership
from notifications.models import Category, EmailDelivery, Notification, Reminder
from notifications.reminders import ReminderSpec, reminder_send
from tests.factories import MembershipFactory, UserFactory
from tests.notifications.conftest import hanoi, inbox, reminder_kinds
from workflows.models import Document, Task

DUE = (2025, 8, 20, 17, 0)  # a Wednesday


def test_task_gets_7_3_1_day_reminders_then_overdue_once(world, make_task, clock, sweep, english):
    task = make_task(title="Dự thảo báo cáo", due_at=hanoi(*DUE))
    moments = [
        ((2025, 8, 12, 17, 0), []),  # 8 days before: nothing yet
        ((2025, 8, 13, 17, 1), ["due_7d"]),
        ((2025, 8, 14, 9, 0), ["due_7d"]),  # still in the 7-day window: not again
        ((2025, 8, 17, 18, 0), ["due_7d", "due_3d"]),
        ((2025, 8, 19, 17, 30), ["due_7d", "due_3d", "due_1d"]),
        ((2025, 8, 20, 16, 59), ["due_7d", "due_3d", "due_1d"]),
        ((2025, 8, 20, 17, 5), ["due_7d", "due_3d", "due_1d", "overdue"]),
        ((2025, 8, 21, 9, 0), ["due_7d", "due_3d", "due_1d", "overdue"]),
    ]
    for moment, kinds in moments:
        clock(*moment)
        sweep()
        assert reminder_kinds(object_id=task.pk) == kinds, moment
    assert inbox(world.docs_member) == [
        (Category.REMINDER, "Task due in 7 days: Dự thảo báo cáo"),
        (Category.REMINDER, "Task due in 3 days: Dự thảo báo cáo"),
        (Category.REMINDER, "Task due in 1 day: Dự thảo báo cáo"),
        (Category.REMINDER, "Overdue: Dự thảo báo cáo"),
    ]
    first = Notification.objects.filter(recipient=world.docs_member).order_by("id").first()
    assert first.text == "Deadline: 17:00 20/08/2025"
    assert first.link == f"/tasks/{task.pk}/"
    assert first.congress_id == world.congress.pk
    assert Notification.objects.exclude(recipient=world.docs_member).count() == 0


def test_task_created_two_days_before_gets_no_stale_7_day_reminder(make_task, clock, sweep):
    clock(2025, 8, 18, 17, 0)
    task = make_task(due_at=hanoi(*DUE))
    sweep()
    assert reminder_kinds(object_id=task.pk) == ["due_3d"]
    clock(2025, 8, 19, 18, 0)
    sweep()
    assert reminder_kinds(object_id=task.pk) == ["due_3d", "due_1d"]


def test_task_found_late_gets_only_the_overdue_reminder(make_task, clock, sweep):
    task = make_task(due_at=hanoi(*DUE))
    clock(2025, 8, 21, 9, 0)
    counts = sweep()
    assert reminder_kinds(object_id=task.pk) == ["overdue"]
    assert counts == {
        "due": 0,
        "overdue": 1,
        "escalation": 0,
        "document": 0,
        "superior_review": 0,
        "notifications": 1,
        "invitations_sent": 0,
        "consultation_reminders": 0,
    }


def test_finished_unassigned_and_undated_tasks_get_no_reminder(make_task, clock, sweep):
    make_task(due_at=hanoi(*DUE), status=Task.Status.DONE)
    make_task(due_at=hanoi(*DUE), status=Task.Status.CANCELLED)
    make_task(due_at=hanoi(*DUE), assignee=None)
    make_task(due_at=None)
    clock(2025, 8, 25, 9, 0)
    sweep()
    assert Reminder.objects.count() == 0
    assert Notification.objects.count() == 0


@pytest.mark.parametrize("status", ["in_progress", "in_review", "blocked"])
def test_every_open_state_is_reminded(make_task, clock, sweep, status):
    task = make_task(due_at=hanoi(*DUE), status=status)
    clock(2025, 8, 19, 18, 0)
    sweep()
    assert reminder_kinds(object_id=task.pk) == ["due_1d"]


def test_redated_task_is_reminded_for_its_new_deadline(make_task, clock, sweep):
    task = make_task(due_at=hanoi(*DUE))
    clock(2025, 8, 20, 18, 0)
    sweep()
    Task.objects.filter(pk=task.pk).update(due_at=hanoi(2025, 8, 25, 17, 0))
    sweep()
    clock(2025, 8, 25, 18, 0)
    sweep()
    deadlines = Reminder.objects.filter(object_id=task.pk).order_by("id")
    assert [(r.kind, r.deadline) for r in deadlines] == [
        ("overdue", hanoi(*DUE)),
        ("due_7d", hanoi(2025, 8, 25, 17, 0)),
        ("overdue", hanoi(2025, 8, 25, 17, 0)),
    ]


def test_thresholds_are_the_congress_own(world, make_task, clock, sweep):
    Congress.objects.filter(pk=world.congress.pk).update(reminder_days=[14, 2])
    task = make_task(due_at=hanoi(*DUE))
    clock(2025, 8, 10, 9, 0)
    sweep()
    clock(2025, 8, 17, 18, 0)  # 3 days before: not a threshold of this congress
    sweep()
    clock(2025, 8, 19, 18, 0)
    sweep()
    assert reminder_kinds(object_id=task.pk) == ["due_14d", "due_2d"]


def test_tasks_of_a_cancelled_congress_are_not_reminded(world, make_task, clock, sweep):
    Congress.objects.filter(pk=world.congress.pk).update(status=Congress.Status.CANCELLED)
    make_task(due_at=hanoi(*DUE))
    clock(2025, 8, 19, 18, 0)
    sweep()
    assert Reminder.objects.count() == 0


# --- exactly once ---------------------------------------------------------------------------


def test_sweeping_twice_sends_each_reminder_once(world, make_task, clock, sweep, send_due_emails):
    for offset in range(3):
        make_task(due_at=hanoi(2025, 8, 20 + offset, 17, 0))
    clock(2025, 8, 19, 18, 0)
    first = sweep()
    second = sweep()
    assert (first["due"], first["notifications"]) == (3, 3)
    assert second == dict.fromkeys(first, 0)
    assert Reminder.objects.count() == 3
    assert Notification.objects.count() == 3
    assert EmailDelivery.objects.count() == 3
    outbox = send_due_emails()
    assert len(outbox) == 1  # one recipient: the batched reminders go in one email
    assert outbox[0].to == [world.docs_member.email]
    assert "3" in outbox[0].subject
    sweep()
    assert len(send_due_emails()) == 1


def test_reminder_send_twice_creates_nothing_the_second_time(
    world, django_capture_on_commit_callbacks
):
    spec = {
        "congress_id": world.congress.pk,
        "object_kind": "task",
        "object_id": 4242,
        "kind": "overdue",
        "deadline": hanoi(*DUE),
        "recipients": {world.docs_member.pk: Category.REMINDER},
        "subject": "Nhiệm vụ",
        "body_id": world.docs.pk,
        "link": "/tasks/4242/",
    }
    with django_capture_on_commit_callbacks(execute=True):
        first = reminder_send(**spec)
        second = reminder_send(**spec)
    assert len(first.reminders) == 1
    assert [n.recipient_id for n in first.notifications] == [world.docs_member.pk]
    assert second.reminders == [] and second.notifications == []
    assert Notification.objects.count() == 1


def test_reminder_email_goes_after_the_batching_window(
    world, make_task, clock, sweep, send_due_emails, english
):
    make_task(title="Dự thảo báo cáo", due_at=hanoi(*DUE))
    clock(2025, 8, 19, 18, 0)
    sweep()
    assert mail.outbox == []
    outbox = send_due_emails()
    assert [m.subject for m in outbox] == ["Task due in 1 day: Dự thảo báo cáo"]
    assert "Deadline: 17:00 20/08/2025" in outbox[0].body
    assert EmailDelivery.objects.get().status == EmailDelivery.Status.SENT


def test_email_off_for_reminders_keeps_the_inbox_notification(
    world, make_task, clock, sweep, send_due_emails
):
    from notifications.services import preference_update

    preference_update(user=world.docs_member, email={"reminder": False})
    make_task(due_at=hanoi(*DUE))
    clock(2025, 8, 19, 18, 0)
    sweep()
    assert Notification.objects.filter(recipient=world.docs_member).count() == 1
    assert send_due_emails() == []


# --- escalation -----------------------------------------------------------------------------


def test_overdue_task_escalates_to_the_body_head_after_2_working_days(
    world, make_task, clock, sweep, english
):
    task = make_task(title="Tổng hợp ý kiến", due_at=hanoi(2025, 8, 8, 17, 0))  # a Friday
    clock(2025, 8, 11, 18, 0)  # Monday: 1 working day late
    sweep()
    assert reminder_kinds(object_id=task.pk) == ["overdue"]
    clock(2025, 8, 12, 16, 59)
    sweep()
    assert reminder_kinds(object_id=task.pk) == ["overdue"]
    clock(2025, 8, 12, 17, 0)  # Tuesday at the hour: 2 working days (the weekend not counted)
    counts = sweep()
    assert reminder_kinds(object_id=task.pk) == ["overdue", "escalation"]
    assert counts["escalation"] == 1
    assert inbox(world.docs_head) == [
        (Category.ESCALATION, "Escalation: overdue for 2 working days: Tổng hợp ý kiến")
    ]
    escalation = Notification.objects.get(recipient=world.docs_head)
    assert escalation.text == "Deadline: 17:00 08/08/2025\nAssigned to: Văn " + (
        world.docs_member.first_name.removeprefix("Văn ") + " Nguyễn"
    )
    # only the head: not the deputy, not the assignee a second time
    assert inbox(world.docs_deputy) == []
    assert [c for c, _t in inbox(world.docs_member)] == [Category.REMINDER]
    sweep()
    assert Notification.objects.filter(reminder__kind="escalation").count() == 1


def test_escalation_skips_national_day_and_a_moved_day_off(world, make_task, clock, sweep):
    # Due Friday 29/8/2025; 30/8-2/9 is the National Day holiday with its weekend, and the
    # government moves a further day off to Wednesday 3/9.
    CalendarDay.objects.create(date=date(2025, 9, 3), kind=CalendarDay.Kind.DAY_OFF)
    task = make_task(due_at=hanoi(2025, 8, 29, 17, 0))
    clock(2025, 9, 4, 18, 0)  # Thursday: 1 working day late
    sweep()
    assert reminder_kinds(object_id=task.pk) == ["overdue"]
    clock(2025, 9, 5, 17, 0)  # Friday: 2 working days
    sweep()
    assert reminder_kinds(object_id=task.pk) == ["overdue", "escalation"]


def test_a_make_up_working_day_counts(world, make_task, clock, sweep):
    CalendarDay.objects.create(date=date(2025, 8, 9), kind=CalendarDay.Kind.WORKING_DAY)
    task = make_task(due_at=hanoi(2025, 8, 8, 17, 0))  # Friday; Saturday is worked
    clock(2025, 8, 11, 17, 0)
    sweep()
    assert set(reminder_kinds(object_id=task.pk)) == {"overdue", "escalation"}


def test_body_without_head_escalates_once_a_head_is_appointed(world, make_task, clock, sweep):
    Membership.objects.filter(body=world.docs, role=Membership.Role.HEAD).delete()
    task = make_task(due_at=hanoi(2025, 8, 8, 17, 0))
    clock(2025, 8, 14, 9, 0)
    sweep()
    assert reminder_kinds(object_id=task.pk) == ["overdue"]
    Membership.objects.filter(body=world.docs, user=world.docs_deputy).update(role="head")
    sweep()
    assert reminder_kinds(object_id=task.pk) == ["overdue", "escalation"]
    assert [c for c, _t in inbox(world.docs_deputy)] == [Category.ESCALATION]


# --- the superior-review deadline -----------------------------------------------------------


def test_superior_review_deadline_reminds_standing_committee_and_steering_board(
    world, clock, sweep, english
):
    # Opening 18/9/2025: 45 working days before is Tuesday 15/7/2025.
    sc_member = UserFactory(username="sc_member", language="en")
    MembershipFactory(body=world.sc, user=sc_member, role=Membership.Role.MEMBER)
    steering_secretary = UserFactory(username="steering_secretary")
    MembershipFactory(body=world.steering, user=steering_secretary, role="secretary")
    clock(2025, 7, 7, 23, 0)
    assert sweep()["superior_review"] == 0
    clock(2025, 7, 8, 9, 0)
    counts = sweep()
    assert counts["superior_review"] == 1
    assert counts["notifications"] == 4
    assert reminder_kinds("congress", world.congress.pk) == ["superior_review_7d"]
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"sc_head", "steering_head", "sc_member", "steering_secretary"}
    notification = Notification.objects.get(recipient=sc_member)
    assert notification.title == "Superior review deadline in 7 days (15/07/2025)"
    assert notification.link == f"/congresses/{world.congress.pk}/"
    assert "18/09/2025" in notification.text and "45 working days" in notification.text
    clock(2025, 7, 12, 9, 0)
    sweep()
    clock(2025, 7, 14, 9, 0)
    sweep()
    assert reminder_kinds("congress", world.congress.pk) == [
        "superior_review_7d",
        "superior_review_3d",
        "superior_review_1d",
    ]
    assert not Notification.objects.filter(recipient__username__startswith="docs_").exists()
    assert not Notification.objects.filter(recipient=world.outsider).exists()


@pytest.mark.parametrize("status", ["in_session", "cancelled"])
def test_superior_review_not_reminded_once_the_congress_is_past_preparation(
    world, clock, sweep, status
):
    Congress.objects.filter(pk=world.congress.pk).update(status=status)
    clock(2025, 7, 8, 9, 0)
    sweep()
    assert Reminder.objects.filter(object_kind="congress").count() == 0


def test_moved_opening_date_is_reminded_afresh(world, clock, sweep):
    clock(2025, 7, 14, 9, 0)
    sweep()
    Congress.objects.filter(pk=world.congress.pk).update(opens_on=date(2025, 9, 25))
    sweep()  # the new deadline (22/7) is 8 days away
    clock(2025, 7, 15, 9, 0)
    sweep()
    assert list(
        Reminder.objects.filter(object_kind="congress").values_list("kind", "deadline")
    ) == [
        ("superior_review_1d", hanoi(2025, 7, 15, 0, 0)),
        ("superior_review_7d", hanoi(2025, 7, 22, 0, 0)),
    ]


# --- who may receive what -------------------------------------------------------------------


def test_personnel_task_reminder_never_reaches_who_may_not_see_it(
    world, make_task, clock, sweep, send_due_emails
):
    # An assignee who lost access (a documents member on a personnel task) gets nothing.
    hidden = make_task(body=world.personnel, title="Danh sách nhân sự", due_at=hanoi(*DUE))
    clock(2025, 8, 19, 18, 0)
    sweep()
    assert Notification.objects.count() == 0
    assert Reminder.objects.filter(object_id=hidden.pk).count() == 0


def test_personnel_task_reaches_its_member_and_head_but_no_email_tells_its_title(
    world, make_task, clock, sweep, send_due_emails, english
):
    personnel_head = UserFactory(username="personnel_head", language="en")
    MembershipFactory(body=world.personnel, user=personnel_head, role=Membership.Role.HEAD)
    task = make_task(
        body=world.personnel,
        assignee=world.personnel_member,
        title="Danh sách nhân sự",
        due_at=hanoi(2025, 8, 8, 17, 0),
    )
    clock(2025, 8, 12, 17, 0)
    sweep()
    assert set(reminder_kinds(object_id=task.pk)) == {"overdue", "escalation"}
    received = {n.recipient.username: n for n in Notification.objects.select_related("recipient")}
    assert set(received) == {"personnel_member", "personnel_head"}
    assert all(n.confidential for n in received.values())
    assert received["personnel_member"].title == "Overdue: Danh sách nhân sự"  # the inbox
    outbox = send_due_emails()
    assert sorted(m.to[0] for m in outbox) == [
        "personnel_head@example.vn",
        "personnel_member@example.vn",
    ]
    for message in outbox:
        assert "Danh sách nhân sự" not in message.subject + message.body
        assert "Danh sách nhân sự" not in message.alternatives[0][0]


def test_visibility_is_checked_per_recipient(world, make_task, clock, sweep):
    """The escalation of a confidential task goes only to heads who may see it; staff see all."""
    other_head = world.docs_head  # heads the documents body, not the personnel one
    MembershipFactory(body=world.personnel, user=world.staff, role=Membership.Role.HEAD)
    spec = ReminderSpec(
        congress_id=world.congress.pk,
        object_kind="task",
        object_id=999,
        kind="escalation",
        deadline=hanoi(*DUE),
        recipients={other_head.pk: Category.ESCALATION, world.staff.pk: Category.ESCALATION},
        subject="Nhân sự",
        body_id=world.personnel.pk,
        confidential=True,
    )
    from notifications.reminders import reminders_send

    sent = reminders_send([spec])
    assert [n.recipient_id for n in sent.notifications] == [world.staff.pk]


def test_inactive_users_get_no_reminder(world, make_task, clock, sweep):
    world.docs_member.is_active = False
    world.docs_member.save(update_fields=["is_active"])
    make_task(due_at=hanoi(*DUE))
    clock(2025, 8, 19, 18, 0)
    sweep()
    assert Notification.objects.count() == 0


# --- documents ------------------------------------------------------------------------------


def test_document_deadline_reminds_rapporteur_and_owning_body_head(
    world, make_document, clock, sweep, english
):
    document = make_document(due_at=hanoi(*DUE))
    make_document(due_at=hanoi(*DUE), status=Document.Status.APPROVED, title="Đã duyệt")
    clock(2025, 8, 17, 18, 0)
    counts = sweep()
    assert counts["document"] == 1
    assert reminder_kinds("document") == ["due_3d"]
    assert inbox(world.docs_member) == [
        (Category.REMINDER, "Document due in 3 days: Báo cáo chính trị")
    ]
    assert inbox(world.docs_head) == inbox(world.docs_member)
    assert Notification.objects.get(recipient=world.docs_head).link == (
        f"/documents/{document.pk}/"
    )
    clock(2025, 8, 20, 18, 0)
    sweep()
    sweep()
    assert reminder_kinds("document") == ["due_3d", "overdue"]


def test_consultation_closing_is_reminded_then_announced_once(
    world, make_document, clock, sweep, english
):
    make_document(
        status=Document.Status.CONSULTATION,
        consultation_closes_at=hanoi(2025, 8, 15, 17, 0),
    )
    clock(2025, 8, 14, 18, 0)
    sweep()
    clock(2025, 8, 15, 18, 0)
    sweep()
    sweep()
    assert reminder_kinds("document") == ["consultation_1d", "consultation_closed"]
    assert [t for _c, t in inbox(world.docs_member)] == [
        "Comments close in 1 day: Báo cáo chính trị",
        "The comment period has ended: Báo cáo chính trị",
    ]


def test_personnel_plan_reminder_stays_in_the_personnel_body(world, make_document, clock, sweep):
    make_document(
        body=world.personnel,
        kind=Document.Kind.PERSONNEL_PLAN,
        title="Đề án nhân sự",
        rapporteur=world.personnel_member,
        due_at=hanoi(*DUE),
    )
    clock(2025, 8, 19, 18, 0)
    sweep()
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"personnel_member"}  # the personnel body has no head in this world


# --- cost -----------------------------------------------------------------------------------


def _spread_tasks(make_task, world, count):
    """Tasks in every window: due in 7, 3 and 1 days, overdue, overdue for a week."""
    offsets = [timedelta(days=6), timedelta(days=2), timedelta(hours=5), -timedelta(hours=3)]
    offsets.append(-timedelta(days=8))
    now = hanoi(2025, 8, 19, 9, 0)
    bodies = [world.docs, world.personnel, world.orgbody]
    assignees = [world.docs_member, world.personnel_member, world.docs_member2]
    for i in range(count):
        body = bodies[i % 3]
        assignee = assignees[i % 3] if body != world.orgbody else world.docs_member2
        make_task(body=body, assignee=assignee, due_at=now + offsets[i % len(offsets)])


@pytest.mark.parametrize("count", [10, 100])
def test_sweep_queries_do_not_grow_with_tasks(
    world, make_task, clock, sweep, make_document, django_assert_max_num_queries, count
):
    MembershipFactory(body=world.orgbody, user=world.docs_member2, role=Membership.Role.HEAD)
    MembershipFactory(body=world.personnel, user=world.sc_head, role=Membership.Role.HEAD)
    _spread_tasks(make_task, world, count)
    make_document(due_at=hanoi(2025, 8, 20, 9, 0))
    clock(2025, 8, 19, 9, 0)
    with django_assert_max_num_queries(24):
        counts = sweep()
    assert counts["due"] + counts["overdue"] == count
    assert counts["escalation"] == count // 5
    with django_assert_max_num_queries(12):
        assert sweep()["notifications"] == 0
