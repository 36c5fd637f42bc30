"""The consultation emails go the one way every email goes (notifications.email): a failed
invitation is tried again with the same link, a replaced one is never sent, and each is in
the admin's list of deliveries."""

import re

import pytest
from django.core import mail
from django.test import Client

from notifications import tasks as notification_tasks
from notifications.models import EmailDelivery
from tests.documents.consultations import hanoi, invite, out_for_comment
from workflows.models import ConsultationInvitation

URL = "/api/v1/documents/"
FAILING = "tests.notifications.failing_email.DisconnectingBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def report(people, make_document, add_version, time_machine):
    time_machine.move_to(hanoi(2025, 8, 11, 9, 0), tick=False)
    return out_for_comment(people, make_document, add_version, hanoi(2025, 8, 22, 17, 0))


@pytest.fixture
def send_due(time_machine, django_capture_on_commit_callbacks, settings):
    """The sweep of due emails once the SMTP server is back, when the retry is due."""

    def run(delivery: EmailDelivery) -> list:
        settings.EMAIL_BACKEND = LOCMEM
        time_machine.move_to(delivery.send_after, tick=False)
        with django_capture_on_commit_callbacks(execute=True):
            notification_tasks.send_due_emails.delay()
        return mail.outbox

    return run


def _status(api, people, report) -> str:
    listed = api(people.docs_member).get(f"{URL}{report.pk}/invitations/").json()["results"]
    return listed[0]["status"]


def test_a_failed_invitation_is_tried_again_with_the_same_link(
    people, report, api, web, settings, send_due, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, path = invite(people, report, "Hội Nông dân quận", "hnd@x.vn")

    delivery = EmailDelivery.objects.get()
    assert (delivery.template, delivery.to, delivery.status, delivery.attempts) == (
        "consultation_invitation",
        "hnd@x.vn",
        "queued",
        1,
    )
    assert "SMTPServerDisconnected" in delivery.last_error
    assert _status(api, people, report) == "waiting"
    page = web(people.docs_member).get(f"/documents/{report.pk}/").content.decode()
    assert "The email could not be sent; it is tried again." in page

    (email,) = send_due(delivery)
    assert path in email.body
    assert email.alternatives[0][1] == "text/html" and path in email.alternatives[0][0]
    assert email.reply_to == [people.docs_member.email]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.context) == ("sent", 2, {})
    assert _status(api, people, report) == "sent"
    assert Client().get(path).status_code == 200


def test_a_resent_invitation_replaces_the_email_not_sent_yet(
    people, report, api, settings, send_due, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        invitation, old_path = invite(people, report, "Hội Nông dân quận", "hnd@x.vn")
        resent = api(people.docs_member).post(
            f"{URL}{report.pk}/invitations/{invitation.pk}/resend/", {}
        )
    first, second = EmailDelivery.objects.order_by("id")
    assert (first.status, first.context, second.status) == ("canceled", {}, "queued")

    (email,) = send_due(second)
    new_path = re.search(r"(/consult/[A-Za-z0-9_-]+/)", email.body).group(1)
    assert resent.json()["url"].endswith(new_path) and new_path != old_path
    assert ConsultationInvitation.objects.get().delivery == second


def test_a_revoked_invitation_is_never_sent(
    people, report, api, settings, send_due, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _path = invite(people, report, "Hội Nông dân quận", "hnd@x.vn")
    api(people.docs_member).delete(f"{URL}{report.pk}/invitations/{invitation.pk}/")

    assert send_due(EmailDelivery.objects.get()) == []
    assert EmailDelivery.objects.get().status == "canceled"


def test_the_admin_lists_the_invitation_email_without_its_link(
    people, world, report, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, path = invite(people, report, "Hội Nông dân quận", "hnd@x.vn")
    admin = Client()
    world.staff.is_superuser = True
    world.staff.save(update_fields=["is_superuser"])
    admin.force_login(world.staff)

    listed = admin.get("/admin/notifications/emaildelivery/").content.decode()
    delivery = EmailDelivery.objects.get()
    shown = admin.get(f"/admin/notifications/emaildelivery/{delivery.pk}/change/")

    assert "hnd@x.vn" in listed and "consultation_invitation" in listed
    assert shown.status_code == 200 and path not in shown.content.decode()
