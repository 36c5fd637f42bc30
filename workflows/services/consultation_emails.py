"""The emails of a consultation to the invited organizations, in the site's language (the
organizations have no account to choose one): the invitation, which carries the link, and
the reminders, which do not (only the link's hash is kept). They go through
notifications.email (templates `emails/consultation_*`), sent after the commit, retried there;
replies go to the drafter who invited."""

from datetime import datetime

from django.conf import settings
from django.utils import formats, timezone, translation

from notifications.email import Outgoing, deliveries_cancel, send_templated
from notifications.models import EmailDelivery
from workflows.models import ConsultationInvitation


def consult_url(token: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/consult/{token}/"


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _sender(invitation: ConsultationInvitation) -> tuple[str, str]:
    """The name and the address of the drafter who invited."""
    person = invitation.created_by
    if person is None:
        return "", ""
    return (person.get_full_name() or person.username), person.email


def _context(invitation: ConsultationInvitation) -> dict:
    document = invitation.document
    return {
        "name": invitation.name,
        "title": document.title,
        "round": invitation.round,
        "closes": _when(document.consultation_closes_at),
        "person": _sender(invitation)[0],
        "body": document.body.name,
    }


def _send(template: str, invitation: ConsultationInvitation, context: dict) -> EmailDelivery:
    email = Outgoing(
        to=invitation.email,
        context=context,
        language=settings.LANGUAGE_CODE,
        reply_to=_sender(invitation)[1],
    )
    return send_templated(template, [email])[0]


def invitation_email(invitation: ConsultationInvitation, token: str) -> EmailDelivery:
    """Queue the invitation's email with this token's link, in place of an earlier one not
    sent yet (whose link no longer works), and keep it on the invitation."""
    if invitation.delivery_id is not None:
        deliveries_cancel([invitation.delivery_id])
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            **_context(invitation),
            "organization": invitation.document.congress.organization.name,
            "url": consult_url(token),
        }
    invitation.delivery = _send("consultation_invitation", invitation, context)
    invitation.save(update_fields=["delivery"])
    return invitation.delivery


def reminder_email(invitation: ConsultationInvitation) -> EmailDelivery:
    """Queue a reminder to an organization that has not answered: it points to the
    invitation email of the day it was sent."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            **_context(invitation),
            "sent": formats.date_format(timezone.localtime(invitation.sent_at)),
        }
    return _send("consultation_reminder", invitation, context)
