"""Outbox dispatch: notifications, emails and live messages from recorded events."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from notifications import email, services
from notifications.models import EmailDelivery, Event, Notification, Preference
from workflows.services.tasks import task_comment_add, task_create, task_transition

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def with_emails(world):
    for name in (
        "docs_head",
        "docs_deputy",
        "docs_member",
        "docs_member2",
        "steering_head",
        "personnel_member",
        "sc_head",
    ):
        user = getattr(world, name)
        user.email = f"{name}@lechan.vn"
        user.save(update_fields=["email"])
    return world


def _notified(event_type=None):
    qs = Notification.objects.all()
    if event_type:
        qs = qs.filter(event__type=event_type)
    return sorted((n.recipient.username, n.category) for n in qs.select_related("recipient"))


def test_assignment_reaches_the_assignee_at_once_by_inbox_and_email(
    with_emails, django_capture_on_commit_callbacks
):
    w = with_emails
    with django_capture_on_commit_callbacks(execute=True):
        task = task_create(
            actor=w.docs_head,
            body=w.docs,
            title="Dự thảo lần 1 Báo cáo chính trị",
            assignee=w.docs_member,
        )
    assert _notified() == [("docs_member", "assignment")]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["docs_member@lechan.vn"]
    assert "Dự thảo lần 1 Báo cáo chính trị" in message.subject
    assert f"/tasks/{task.pk}/" in message.body
    assert message.alternatives[0][1] == "text/html"
    assert EmailDelivery.objects.get().status == "sent"
    assert Event.objects.get(type="task.created").dispatched_at is not None


def test_submit_asks_the_reviewers_and_not_the_actor(
    with_emails, make_task, django_capture_on_commit_callbacks
):
    w = with_emails
    task = make_task(status="in_progress")
    with django_capture_on_commit_callbacks(execute=True):
        task_transition(actor=w.docs_member, task_id=task.pk, name="submit", note="Xong dự thảo")
    assert _notified("task.transitioned") == [
        ("docs_deputy", "review"),
        ("docs_head", "review"),
        ("steering_head", "review"),
    ]


def test_dispatching_twice_creates_nothing_twice(
    with_emails, make_task, django_capture_on_commit_callbacks
):
    w = with_emails
    task = make_task(status="in_review")
    with django_capture_on_commit_callbacks(execute=True):
        task_transition(actor=w.docs_head, task_id=task.pk, name="approve")
    event = Event.objects.get(type="task.transitioned")
    assert services.event_dispatch(event.pk) == []
    Event.objects.filter(pk=event.pk).update(dispatched_at=None)  # as if the mark was lost
    with django_capture_on_commit_callbacks(execute=True):
        services.event_dispatch(event.pk)
    assert Notification.objects.filter(event=event).count() == 1
    assert EmailDelivery.objects.filter(notification__event=event).count() == 1


def test_a_rolled_back_change_sends_nothing(
    with_emails, make_task, django_capture_on_commit_callbacks
):
    w = with_emails
    task = make_task(status="in_review")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        task_transition(actor=w.docs_head, task_id=task.pk, name="approve")
        raise RuntimeError("crash before commit")
    assert Event.objects.count() == 0
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_confidential_work_never_reaches_who_may_not_see_it(
    with_emails, make_task, django_capture_on_commit_callbacks
):
    w = with_emails
    task = make_task(
        body=w.personnel,
        assignee=w.personnel_member,
        created_by=w.steering_head,
        status="in_progress",
        title="Đề án nhân sự khóa XXV",
    )
    with django_capture_on_commit_callbacks(execute=True):
        task_comment_add(
            actor=w.personnel_member,
            task_id=task.pk,
            text="@docs_member @steering_head xin cho ý kiến",
        )
        task_transition(actor=w.personnel_member, task_id=task.pk, name="submit", note="Xong")
    recipients = {name for name, _category in _notified()}
    assert recipients == {"steering_head"}
    assert all("docs_member" not in m.to[0] for m in mail.outbox)
    # The email to those allowed names no confidential content either.
    for message in mail.outbox:
        assert "Đề án nhân sự" not in message.subject + message.body


def test_status_changes_are_batched_into_one_email(
    with_emails, make_task, django_capture_on_commit_callbacks
):
    w = with_emails
    first, second = make_task(status="in_review"), make_task(status="in_review")
    with time_machine.travel(datetime(2025, 6, 2, 9, 0, tzinfo=HCM), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            task_transition(actor=w.docs_head, task_id=first.pk, name="approve")
            task_transition(actor=w.docs_head, task_id=second.pk, name="return", reason="Bổ sung")
        assert mail.outbox == []
        assert email.due_batches() == []
    with time_machine.travel(datetime(2025, 6, 2, 9, 6, tzinfo=HCM), tick=False):
        batches = email.due_batches()
        assert len(batches) == 1
        assert email.deliveries_send(batches[0]) == 2
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["docs_member@lechan.vn"]
    assert first.title in mail.outbox[0].body and second.title in mail.outbox[0].body


def test_quiet_hours_delay_an_email_and_never_drop_it(
    with_emails, django_capture_on_commit_callbacks
):
    w = with_emails
    preference = services.preference_for(w.docs_member)
    Preference.objects.filter(pk=preference.pk).update(quiet_start=time(22), quiet_end=time(7))
    with time_machine.travel(datetime(2025, 6, 2, 23, 0, tzinfo=HCM), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            task_create(
                actor=w.docs_head, body=w.docs, title="Rà soát số liệu", assignee=w.docs_member
            )
        assert mail.outbox == []
        delivery = EmailDelivery.objects.get()
        assert delivery.send_after == datetime(2025, 6, 3, 7, 0, tzinfo=HCM)
    with time_machine.travel(datetime(2025, 6, 3, 7, 0, 1, tzinfo=HCM), tick=False):
        for batch in email.due_batches():
            email.deliveries_send(batch)
    assert len(mail.outbox) == 1


def test_a_transient_smtp_failure_is_recorded_and_kept_queued(
    with_emails, settings, django_capture_on_commit_callbacks
):
    w = with_emails
    settings.EMAIL_BACKEND = "tests.notifications.failing_email.DisconnectingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        task_create(actor=w.docs_head, body=w.docs, title="In tài liệu", assignee=w.docs_member)
    delivery = EmailDelivery.objects.get()
    assert delivery.status == "queued"
    assert delivery.attempts == 1
    assert "SMTPServerDisconnected" in delivery.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(delivery.send_after, tick=False):
        for batch in email.due_batches():
            email.deliveries_send(batch)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 2, "")
    assert len(mail.outbox) == 1


def test_a_permanent_smtp_failure_is_marked_failed_and_can_be_retried(
    with_emails, settings, django_capture_on_commit_callbacks
):
    w = with_emails
    settings.EMAIL_BACKEND = "tests.notifications.failing_email.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        task_create(actor=w.docs_head, body=w.docs, title="In tài liệu", assignee=w.docs_member)
    delivery = EmailDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert "550" in delivery.last_error
    assert email.deliveries_retry([delivery.pk]) == 1
    delivery.refresh_from_db()
    assert delivery.status == "queued"


def test_email_switched_off_for_a_category_still_reaches_the_inbox(
    with_emails, make_task, api, django_capture_on_commit_callbacks
):
    w = with_emails
    response = api(w.docs_member).put(
        "/api/v1/me/preferences/", {"email": {"status": False}}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["email"]["status"] is False
    assert response.json()["email"]["assignment"] is True
    task = make_task(status="in_review")
    with django_capture_on_commit_callbacks(execute=True):
        task_transition(actor=w.docs_head, task_id=task.pk, name="approve")
    assert _notified() == [("docs_member", "status")]
    assert EmailDelivery.objects.count() == 0


def test_preferences_refuse_unknown_categories_and_half_quiet_hours(world, api):
    client = api(world.docs_member)
    bad = client.put("/api/v1/me/preferences/", {"email": {"gossip": True}}, format="json")
    assert bad.status_code == 400 and "email" in bad.json()
    half = client.put("/api/v1/me/preferences/", {"quiet_start": "22:00"}, format="json")
    assert half.status_code == 400 and "quiet_end" in half.json()
    hour = client.put("/api/v1/me/preferences/", {"digest_hour": 25}, format="json")
    assert hour.status_code == 400 and "digest_hour" in hour.json()


def test_inbox_lists_marks_read_and_hides_other_peoples(
    with_emails, make_task, api, django_capture_on_commit_callbacks
):
    w = with_emails
    first, second = make_task(status="in_review"), make_task(status="in_review")
    with django_capture_on_commit_callbacks(execute=True):
        task_transition(actor=w.docs_head, task_id=first.pk, name="approve")
        task_transition(actor=w.docs_head, task_id=second.pk, name="approve")
    client = api(w.docs_member)
    listing = client.get("/api/v1/notifications/").json()
    assert (listing["count"], listing["unread_count"]) == (2, 2)
    one = listing["results"][0]["id"]
    assert client.post(f"/api/v1/notifications/{one}/read/").json()["unread"] is False
    assert client.get("/api/v1/notifications/?unread=true").json()["count"] == 1
    assert api(w.docs_head).post(f"/api/v1/notifications/{one}/read/").status_code == 404
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked_read": 1}
    assert client.get("/api/v1/notifications/?unread=true").json()["count"] == 0
    assert client.get("/api/v1/notifications/?unread=perhaps").status_code == 400


def test_undispatched_events_are_redispatched_after_ten_seconds(with_emails, make_task):
    w = with_emails
    task = make_task(status="in_review")
    with time_machine.travel(datetime(2025, 6, 2, 9, 0, tzinfo=HCM), tick=False):
        task_transition(actor=w.docs_head, task_id=task.pk, name="approve")  # no on_commit run
        assert services.events_redispatch() == 0
    with time_machine.travel(datetime(2025, 6, 2, 9, 1, 30, tzinfo=HCM), tick=False):
        assert services.events_redispatch() == 1
    assert _notified() == [("docs_member", "status")]
    assert services.events_redispatch() == 0


def test_a_due_date_in_a_notification_reads_dd_mm_yyyy(
    with_emails, django_capture_on_commit_callbacks
):
    w = with_emails
    due = datetime(2026, 12, 4, 17, 0, tzinfo=HCM)
    with django_capture_on_commit_callbacks(execute=True):
        task_create(
            actor=w.docs_head,
            body=w.docs,
            title="Tổng hợp ý kiến",
            assignee=w.docs_member,
            due_at=due,
        )
    assert Notification.objects.get().text == "Due: 04/12/2026"


def test_quiet_hours_are_both_set_or_both_empty(world, api):
    client = api(world.docs_member)
    half = client.put(
        "/api/v1/me/preferences/", {"quiet_start": "00:00", "quiet_end": None}, format="json"
    )
    assert half.status_code == 400 and "quiet_end" in half.json()
    both = client.put(
        "/api/v1/me/preferences/", {"quiet_start": "22:00", "quiet_end": "07:00"}, format="json"
    )
    assert (both.json()["quiet_start"], both.json()["quiet_end"]) == ("22:00", "07:00")
    off = client.put(
        "/api/v1/me/preferences/", {"quiet_start": None, "quiet_end": None}, format="json"
    )
    assert (off.json()["quiet_start"], off.json()["quiet_end"]) == (None, None)
