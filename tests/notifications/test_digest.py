"""The daily digest: at the user's hour, once a day, what is due soon, overdue and waiting
for their review, only what they may see."""

from django.core import mail

from congress.models import Membership
from notifications.models import Category, EmailDelivery, Notification, Preference
from notifications.services import preference_for
from tests.factories import MembershipFactory, UserFactory
from tests.notifications.conftest import hanoi
from workflows.digest import digests_send
from workflows.models import Task


def _digest_at(user, hour):
    preference = preference_for(user)
    preference.digest_hour = hour
    preference.save(update_fields=["digest_hour"])


def _send(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return digests_send()


def test_digest_lists_due_soon_overdue_and_reviews(
    world, make_task, clock, english, django_capture_on_commit_callbacks, send_due_emails
):
    clock(2025, 8, 18, 7, 5)
    soon = make_task(title="Dự thảo Nghị quyết", due_at=hanoi(2025, 8, 20, 17, 0))
    late = make_task(title="Báo cáo kiểm điểm", due_at=hanoi(2025, 8, 15, 17, 0))
    make_task(title="Later", due_at=hanoi(2025, 8, 22, 17, 0))  # beyond 3 days
    make_task(title="Done", due_at=hanoi(2025, 8, 19, 17, 0), status=Task.Status.DONE)
    make_task(title="Someone else's", assignee=world.docs_member2, due_at=hanoi(2025, 8, 19, 9, 0))
    review = make_task(
        title="Chương trình hành động",
        assignee=world.docs_member2,
        status=Task.Status.IN_REVIEW,
        due_at=hanoi(2025, 8, 25, 17, 0),
    )
    _digest_at(world.docs_member, 7)
    _digest_at(world.docs_head, 7)

    assert _send(django_capture_on_commit_callbacks) == {"sent": 2, "empty": 0}

    member = Notification.objects.get(recipient=world.docs_member)
    assert member.category == Category.DIGEST
    assert member.title == "Daily digest 18/08/2025: 1 due soon, 1 overdue, 0 to review"
    site = "http://127.0.0.1:8000"
    assert member.text == (
        "Due in the next 3 days:\n"
        f"- Dự thảo Nghị quyết (Tiểu ban Văn kiện), due 17:00 20/08/2025: {site}/tasks/{soon.pk}/\n"
        "\n"
        "Overdue:\n"
        f"- Báo cáo kiểm điểm (Tiểu ban Văn kiện), due 17:00 15/08/2025: {site}/tasks/{late.pk}/"
    )
    head = Notification.objects.get(recipient=world.docs_head)
    assert head.title == "Daily digest 18/08/2025: 0 due soon, 0 overdue, 1 to review"
    assert head.text == (
        "Waiting for your review:\n"
        f"- Chương trình hành động (Tiểu ban Văn kiện), due 17:00 25/08/2025: "
        f"{site}/tasks/{review.pk}/\n"
        "\n"
        # A leader also reads the plan's critical path of the coming week (issue 14).
        "On the plan's critical path this week:\n"
        f"- Báo cáo kiểm điểm (Tiểu ban Văn kiện), 1 working day late: {site}/tasks/{late.pk}/"
    )
    outbox = send_due_emails()
    assert sorted(m.to[0] for m in outbox) == [world.docs_head.email, world.docs_member.email]
    by_to = {m.to[0]: m for m in outbox}
    assert by_to[world.docs_member.email].subject == member.title
    assert "Báo cáo kiểm điểm" in by_to[world.docs_member.email].body


def test_digest_goes_once_a_day(world, make_task, clock, django_capture_on_commit_callbacks):
    make_task(due_at=hanoi(2025, 8, 20, 17, 0))
    _digest_at(world.docs_member, 7)
    clock(2025, 8, 18, 7, 0)
    assert _send(django_capture_on_commit_callbacks)["sent"] == 1
    clock(2025, 8, 18, 7, 55)
    assert _send(django_capture_on_commit_callbacks) == {"sent": 0, "empty": 0}
    clock(2025, 8, 19, 7, 30)
    assert _send(django_capture_on_commit_callbacks)["sent"] == 1
    assert Notification.objects.filter(category=Category.DIGEST).count() == 2
    assert Preference.objects.get(user=world.docs_member).last_digest_on.isoformat() == (
        "2025-08-19"
    )


def test_digest_waits_for_the_chosen_local_hour(
    world, make_task, clock, django_capture_on_commit_callbacks
):
    make_task(due_at=hanoi(2025, 8, 20, 17, 0))
    _digest_at(world.docs_member, 7)
    clock(2025, 8, 18, 6, 59)
    assert _send(django_capture_on_commit_callbacks)["sent"] == 0
    clock(2025, 8, 18, 8, 0)
    assert _send(django_capture_on_commit_callbacks)["sent"] == 0
    assert Notification.objects.count() == 0


def test_nothing_to_report_sends_nothing(world, clock, django_capture_on_commit_callbacks):
    _digest_at(world.docs_member, 7)
    clock(2025, 8, 18, 7, 0)
    assert _send(django_capture_on_commit_callbacks) == {"sent": 0, "empty": 1}
    assert Notification.objects.count() == 0
    assert EmailDelivery.objects.count() == 0
    assert mail.outbox == []


def test_users_without_a_digest_hour_get_none(
    world, make_task, clock, django_capture_on_commit_callbacks
):
    make_task(due_at=hanoi(2025, 8, 20, 17, 0))
    preference_for(world.docs_member)
    clock(2025, 8, 18, 7, 0)
    assert _send(django_capture_on_commit_callbacks) == {"sent": 0, "empty": 0}


def test_digest_shows_only_what_the_user_may_see(
    world, make_task, clock, english, django_capture_on_commit_callbacks
):
    """A steering board head reviews personnel work but its title is not written out; a
    documents member assigned a personnel task (no longer visible) does not hear of it."""
    english(world.steering_head)
    make_task(
        body=world.personnel,
        assignee=world.personnel_member,
        title="Danh sách nhân sự",
        status=Task.Status.IN_REVIEW,
        due_at=hanoi(2025, 8, 20, 17, 0),
    )
    make_task(body=world.personnel, title="Hồ sơ nhân sự", due_at=hanoi(2025, 8, 19, 17, 0))
    _digest_at(world.steering_head, 7)
    _digest_at(world.docs_member, 7)
    _digest_at(world.docs_head, 7)
    clock(2025, 8, 18, 7, 0)
    assert _send(django_capture_on_commit_callbacks) == {"sent": 1, "empty": 2}
    digest = Notification.objects.get()
    assert digest.recipient == world.steering_head
    assert "Danh sách nhân sự" not in digest.title + digest.text
    assert digest.text.startswith(
        "Waiting for your review:\n- A confidential task of Tiểu ban Nhân sự, due 17:00 20/08/2025"
    )


def test_own_task_in_review_is_not_waiting_for_its_assignee(
    world, make_task, clock, django_capture_on_commit_callbacks
):
    # The documents head did the task and submitted it: the deputy reviews, the head does not.
    make_task(
        assignee=world.docs_head,
        status=Task.Status.IN_REVIEW,
        due_at=hanoi(2025, 8, 25, 17, 0),
    )
    _digest_at(world.docs_head, 7)
    _digest_at(world.docs_deputy, 7)
    clock(2025, 8, 18, 7, 0)
    _send(django_capture_on_commit_callbacks)
    deputy = Notification.objects.get(recipient=world.docs_deputy)
    assert deputy.text.startswith("Waiting for your review:\n")
    # The head's digest (a leader's: the plan's critical path) lists no review of their own.
    head = Notification.objects.filter(recipient=world.docs_head).first()
    assert head is None or "Waiting for your review" not in head.text


def test_staff_get_reviews_only_of_bodies_they_lead(
    world, make_task, clock, django_capture_on_commit_callbacks
):
    make_task(status=Task.Status.IN_REVIEW, due_at=hanoi(2025, 8, 25, 17, 0))
    _digest_at(world.staff, 7)
    clock(2025, 8, 18, 7, 0)
    assert _send(django_capture_on_commit_callbacks) == {"sent": 0, "empty": 1}


def test_inactive_user_gets_no_digest(world, make_task, clock, django_capture_on_commit_callbacks):
    lapsed = UserFactory(username="lapsed", is_active=False)
    MembershipFactory(body=world.docs, user=lapsed, role=Membership.Role.MEMBER)
    make_task(assignee=lapsed, due_at=hanoi(2025, 8, 20, 17, 0))
    _digest_at(lapsed, 7)
    clock(2025, 8, 18, 7, 0)
    assert _send(django_capture_on_commit_callbacks) == {"sent": 0, "empty": 0}


def test_a_leaders_critical_path_is_the_one_of_the_tasks_they_may_see(
    world, make_task, clock, django_capture_on_commit_callbacks
):
    # The whole plan's critical path runs through the personnel subcommittee's late task; the
    # documents head does not see it, so their plan (as their schedule page shows it) is the
    # documents chain alone, critical in its own right.
    from workflows.digest import critical_this_week
    from workflows.schedule import congress_schedule

    clock(2025, 8, 18, 7, 5)
    first = make_task(title="Dự thảo lần 1", due_at=hanoi(2025, 8, 22, 17, 0), duration_days=3)
    make_task(
        title="Nhân sự (mật)",
        body=world.personnel,
        assignee=world.personnel_member,
        due_at=hanoi(2025, 8, 19, 17, 0),
        duration_days=10,
    )
    found = critical_this_week(world.docs_head, hanoi(2025, 8, 18, 7, 5), {})
    page = congress_schedule(world.docs_head, world.congress)

    assert [node.id for node, _body in found] == page.critical_path == [first.pk]
    # And the head of the personnel subcommittee's congress sees both: theirs is critical.
    everything = critical_this_week(world.sc_head, hanoi(2025, 8, 18, 7, 5), {})
    assert [node.title for node, _body in everything] == ["Nhân sự (mật)"]
