"""Consultation invitations: outside organizations asked for their comments on a draft through
a personal link (`/consult/{token}/`, workflows.services.consultation_page), and closing a
consultation early.

The link's token (`secrets.token_urlsafe(32)`, 256 bits) is shown once, in the email and in
the answer to the drafter who created the invitation; only its sha256 is stored. An invitation
made before the consultation opens waits: its email goes out from the reminder sweep once the
consultation is open (the closing date the email names is known only then;
workflows.services.consultation_reminders). Emails are queued with the invitation and sent
after the commit (workflows.services.consultation_emails); one that fails is tried again by
notifications.email with the same link. Every write is audited on the document and recorded
as an outbox event.
"""

import secrets
from datetime import datetime
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.errors import Conflict, Forbidden, Invalid, NotFound
from congress.models import Organization
from notifications.email import deliveries_cancel
from workflows import events, rules
from workflows.models import ConsultationInvitation, Document
from workflows.models.consultations import token_hash
from workflows.selectors.documents import documents_visible_to
from workflows.services.consultation_emails import consult_url, invitation_email
from workflows.services.documents import _lock as lock_document
from workflows.services.documents import document_event, document_transition
from workflows.services.outside_bodies import organization_contact
from workflows.services.transitions import audit_record

Status = ConsultationInvitation.Status


class Issued(NamedTuple):
    invitation: ConsultationInvitation
    url: str | None  # the link, known only now; None while the invitation waits


def check_may_invite(document: Document, user) -> None:
    if not rules.may_invite(document, user):
        raise Forbidden(str(rules.may_invite.description), code="invitation_forbidden")


def _lock(actor, document_id: int) -> Document:
    document = (
        documents_visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("body", "congress__organization")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        raise NotFound(_("Not found."))
    check_may_invite(document, actor)
    return document


def _check_invitable(document: Document, now: datetime) -> None:
    if not rules.consultation_allowed(document):
        raise Invalid(
            {"document": [rules.consultation_allowed.description]},
            code="consultation_not_allowed",
        )
    if document.status == Document.Status.CONSULTATION:
        if document.consultation_closes_at and document.consultation_closes_at <= now:
            raise Conflict(
                _("The consultation has closed: no more organizations can be invited."),
                code="consultation_closed",
            )
        return
    if document.status not in rules.CONSULTATION_STEPS:
        raise Conflict(
            _(
                "Organizations are invited while the draft is out for comment, or in the "
                "review from which it is put out for comment; it is now “%(status)s”."
            )
            % {"status": document.get_status_display()},
            code="not_in_consultation",
            status=document.status,
        )


def _check_organization(document: Document, organization: Organization | None) -> None:
    """Only the organizations under the congress's own."""
    if organization is None:
        return
    top = document.congress.organization_id
    current: Organization | None = organization
    depth = 0
    while current is not None and current.parent_id is not None and depth < 20:
        if current.parent_id == top:
            return
        current, depth = current.parent, depth + 1
    raise Invalid(
        {"organization": [_("Choose an organization under the congress's organization.")]}
    )


def _clean_contact(name: str, email: str, organization) -> tuple[str, str]:
    name = (name or "").strip() or (organization.name if organization else "")
    name, email, errors = organization_contact(name, email)
    if errors:
        raise Invalid(errors)
    return name, email


def _event(document: Document, invitation: ConsultationInvitation, type_: str, actor, now):
    document_event(
        document,
        type_,
        actor,
        round=invitation.round,
        invitation=invitation.pk,
        organization=invitation.name,
        invitation_status=invitation.status_at(now),
    )


def _new_token(invitation: ConsultationInvitation) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_hash(token)
    return token


@transaction.atomic
def invitation_create(
    *,
    actor,
    document_id: int,
    email: str,
    name: str = "",
    organization: Organization | None = None,
    contact: str = "",
) -> Issued:
    """Invite an organization to comment on the current round of a draft. Sent at once if
    the draft is out for comment, else when the consultation opens."""
    now = timezone.now()
    document = _lock(actor, document_id)
    _check_invitable(document, now)
    _check_organization(document, organization)
    name, email = _clean_contact(name, email, organization)
    active = document.invitations.filter(round=document.round, email=email, revoked_at=None)
    if active.exists():
        raise Conflict(
            _("%(email)s is already invited to comment on this round.") % {"email": email},
            code="already_invited",
        )
    invitation = ConsultationInvitation(
        document=document,
        round=document.round,
        organization=organization,
        name=name,
        email=email,
        contact=(contact or "").strip()[:255],
        created_by=actor,
    )
    token = None
    if document.status == Document.Status.CONSULTATION:
        token = _new_token(invitation)
        invitation.sent_at = now  # its email is queued with it
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as error:  # the same address invited at the same moment
        raise Conflict(_("This organization is already invited."), code="already_invited") from (
            error
        )
    if token:
        invitation_email(invitation, token)
    audit_record(document, transition="invitation_create", actor=actor, note=f"{name} <{email}>")
    _event(document, invitation, events.CONSULTATION_INVITED, actor, now)
    return Issued(invitation, consult_url(token) if token else None)


def _invitation(document: Document, invitation_id: int) -> ConsultationInvitation:
    invitation = (
        document.invitations.select_for_update(of=("self",)).filter(pk=invitation_id).first()
    )
    if invitation is None:
        raise NotFound(_("Not found."))
    invitation.document = document
    return invitation


@transaction.atomic
def invitation_revoke(*, actor, document_id: int, invitation_id: int) -> ConsultationInvitation:
    """The link stops working at once; what the organization sent stays."""
    now = timezone.now()
    document = _lock(actor, document_id)
    invitation = _invitation(document, invitation_id)
    if invitation.revoked_at is not None:
        return invitation
    invitation.revoked_at = now
    invitation.save(update_fields=["revoked_at"])
    if invitation.delivery_id is not None:
        deliveries_cancel([invitation.delivery_id])  # not sent yet: it never will be
    audit_record(document, transition="invitation_revoke", actor=actor, note=invitation.name)
    _event(document, invitation, events.CONSULTATION_INVITATION_REVOKED, actor, now)
    return invitation


@transaction.atomic
def invitation_resend(
    *, actor, document_id: int, invitation_id: int, email: str | None = None
) -> Issued:
    """A new link by email (to a corrected address if given); the old link stops working."""
    now = timezone.now()
    document = _lock(actor, document_id)
    invitation = _invitation(document, invitation_id)
    status = invitation.status_at(now)
    if status in (Status.REVOKED, Status.EXPIRED):
        raise Conflict(
            _("This invitation is %(status)s: invite the organization again instead.")
            % {"status": str(Status(status).label).lower()},
            code=f"invitation_{status}",
        )
    if document.status != Document.Status.CONSULTATION:
        raise Conflict(
            _("The consultation has not opened yet: the invitation goes out when it opens."),
            code="not_in_consultation",
        )
    if email is not None:
        _name, invitation.email = _clean_contact(invitation.name, email, None)
    token = _new_token(invitation)
    invitation.sent_at = now
    try:
        with transaction.atomic():
            invitation.save(update_fields=["token_hash", "email", "sent_at"])
    except IntegrityError as error:
        raise Conflict(_("This address is already invited."), code="already_invited") from error
    invitation_email(invitation, token)
    audit_record(
        document,
        transition="invitation_resend",
        actor=actor,
        note=f"{invitation.name} <{invitation.email}>",
    )
    _event(document, invitation, events.CONSULTATION_INVITATION_RESENT, actor, now)
    return Issued(invitation, consult_url(token))


@transaction.atomic
def consultation_close_early(*, actor, document_id: int, reason: str) -> Document:
    """Close a consultation before its closing date, with a reason: the closing date becomes
    now (every link answers 410 from here on) and the consultation closes as on the date
    (`close_consultation`, the next round), the reason in its audit entry."""
    reason = (reason or "").strip()
    document = lock_document(actor, document_id)
    if not rules.may_close_consultation(document, actor):
        raise Forbidden(
            _("Only the leaders who may close the consultation close it early."),
            code="close_forbidden",
        )
    if document.status != Document.Status.CONSULTATION:
        raise Conflict(_("The draft is not out for comment."), code="not_in_consultation")
    if not reason:
        raise Invalid({"reason": [_("Give the reason for closing the consultation early.")]})
    if len(reason) > 2000:
        raise Invalid({"reason": [_("At most 2000 characters.")]})
    now = timezone.now()
    if document.consultation_closes_at is None or document.consultation_closes_at > now:
        Document.objects.filter(pk=document.pk).update(consultation_closes_at=now)
    note = _("Closed early: %(reason)s") % {"reason": reason}
    return document_transition(
        actor=actor, document_id=document.pk, name="close_consultation", note=note
    )
