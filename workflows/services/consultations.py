"""Consultation invitations: outside organizations asked for their comments on a draft through
a personal link (`/consult/{token}/`), and what they send through it.

The link's token (`secrets.token_urlsafe(32)`, 256 bits) is shown once, in the email and in
the answer to the drafter who created the invitation; only its sha256 is stored. An invitation
made before the consultation opens waits: its email goes out from the reminder sweep once the
consultation is open (the closing date the email names is known only then). Emails are queued
with the invitation and sent after the commit by notifications.email (templates
`emails/consultation_*`, in the site's language: the organizations have no account to choose
one); one that fails is tried again there with the same link. Every write is audited on the
document and recorded as an outbox event.
"""

import re
import secrets
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from congress.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from congress.models import Organization
from congress.workdays import WorkingCalendar
from notifications.email import Outgoing, deliveries_cancel, send_templated
from notifications.models import EmailDelivery
from notifications.services import event_record
from workflows import rules
from workflows.models import (
    Comment,
    ConsultationInvitation,
    ConsultationReminder,
    Document,
    DocumentVersion,
)
from workflows.models.consultations import token_hash
from workflows.sections import Section, sections_of
from workflows.selectors.documents import documents_visible_to
from workflows.services import opinions
from workflows.services.documents import _lock as lock_document
from workflows.services.documents import document_transition
from workflows.services.transitions import audit_record

# Reminders to organizations that have not answered: working days before the closing date.
REMINDER_WORKING_DAYS = (3, 1)
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
Status = ConsultationInvitation.Status


class Gone(DomainError):
    """The link was good but is no more: revoked, or its consultation closed."""

    status = 410
    code = "gone"


class Issued(NamedTuple):
    invitation: ConsultationInvitation
    url: str | None  # the link, known only now; None while the invitation waits


def consult_url(token: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/consult/{token}/"


def may_invite(document: Document, user) -> bool:
    """The drafters, and the leaders who may open the consultation."""
    return (
        rules.may_draft_document(document, user)
        or rules.leads_steering_board(document, user)
        or rules.leads_standing_committee(document, user)
    )


def check_may_invite(document: Document, user) -> None:
    if not may_invite(document, user):
        raise Forbidden(
            _(
                "Only the drafters and the leaders who open the consultation invite "
                "organizations to comment."
            ),
            code="invitation_forbidden",
        )


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
    current, depth = organization, 0
    while current.parent_id is not None and depth < 20:
        if current.parent_id == top:
            return
        current, depth = current.parent, depth + 1
    raise Invalid(
        {"organization": [_("Choose an organization under the congress's organization.")]}
    )


def _clean_contact(name: str, email: str, organization) -> tuple[str, str]:
    name = (name or "").strip() or (organization.name if organization else "")
    email = (email or "").strip().lower()
    errors = {}
    if not name:
        errors["name"] = [_("Give the name of the organization to invite.")]
    elif len(name) > 255:
        errors["name"] = [_("At most 255 characters.")]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Give a valid email address.")]
    if errors:
        raise Invalid(errors)
    return name, email


def _event(document: Document, invitation: ConsultationInvitation, type_: str, actor, now):
    event_record(
        congress_id=document.congress_id,
        type=type_,
        object_kind="document",
        object_id=document.pk,
        body=document.body,
        actor=actor,
        audience=[document.rapporteur_id, document.created_by_id],
        data={
            "title": document.title,
            "status": document.status,
            "version": document.version,
            "round": invitation.round,
            "invitation": invitation.pk,
            "organization": invitation.name,
            "invitation_status": invitation.status_at(now),
        },
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
    _event(document, invitation, "consultation.invited", actor, now)
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
    _event(document, invitation, "consultation.invitation_revoked", actor, now)
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
    _event(document, invitation, "consultation.invitation_resent", actor, now)
    return Issued(invitation, consult_url(token))


# --- email --------------------------------------------------------------------------------------


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


# --- the sweep: invitations waiting for the consultation to open, and reminders -------------------


def _open_invitations(now: datetime):
    return ConsultationInvitation.objects.filter(
        revoked_at=None,
        document__status=Document.Status.CONSULTATION,
        document__consultation_closes_at__gt=now,
        document__body__confidential=False,
        round=F("document__round"),
    ).select_related("document__congress__organization", "document__body", "created_by", "delivery")


@transaction.atomic
def _send_waiting(invitation: ConsultationInvitation) -> bool:
    """Send an invitation made before the consultation opened, with a new link. Of two
    sweeps at once one sends it: the new token replaces the old one only where the old one
    is still there."""
    token = secrets.token_urlsafe(32)
    claimed = ConsultationInvitation.objects.filter(
        pk=invitation.pk, sent_at=None, token_hash=invitation.token_hash
    ).update(token_hash=token_hash(token), sent_at=timezone.now())
    if claimed:
        invitation_email(invitation, token)
    return bool(claimed)


def reminder_due(closes_at: datetime, now: datetime, calendar: WorkingCalendar) -> str | None:
    """The reminder due now before this closing date: the tightest of 3 and 1 working days
    the day is in ("consult_1wd"), or None. An invitation first reminded 1 working day
    before gets only that one."""
    if closes_at <= now:
        return None
    closing_day = timezone.localtime(closes_at).date()
    today = timezone.localtime(now).date()
    for days in sorted(REMINDER_WORKING_DAYS):
        if today >= calendar.shift(closing_day, -days):
            return f"consult_{days}wd"
    return None


def _remind(invitation: ConsultationInvitation, kind: str) -> bool:
    """Exactly once per invitation and kind, whatever the retries: the unique row."""
    try:
        with transaction.atomic():
            ConsultationReminder.objects.create(invitation=invitation, kind=kind)
            reminder_email(invitation)
    except IntegrityError:
        return False
    return True


def consultation_sweep(now: datetime | None = None) -> dict[str, int]:
    """What the reminder sweep does for consultations, in one query when there is nothing to
    do: send the invitations waiting for their consultation to open, and remind the invited
    organizations that have not answered, 3 and 1 working days before the closing date.
    A reminder carries no link (only its hash is kept): it points to the invitation email,
    and replies go to the drafter who sent it."""
    now = now or timezone.now()
    reminded = {
        f"reminded_{days}": Exists(
            ConsultationReminder.objects.filter(invitation=OuterRef("pk"), kind=f"consult_{days}wd")
        )
        for days in REMINDER_WORKING_DAYS
    }
    candidates = (
        _open_invitations(now)
        .filter(Q(sent_at=None) | Q(answered_at=None))
        .annotate(**reminded)
        .order_by("id")
    )
    counts = {"invitations_sent": 0, "consultation_reminders": 0}
    calendar = None
    for invitation in candidates[:5000]:
        if invitation.sent_at is None:
            counts["invitations_sent"] += _send_waiting(invitation)
            continue
        if invitation.last_error:
            continue  # its invitation has not gone out yet: nothing to remind of
        calendar = calendar or WorkingCalendar()
        kind = reminder_due(invitation.document.consultation_closes_at, now, calendar)
        if kind and not getattr(invitation, f"reminded_{kind[8:-2]}"):
            counts["consultation_reminders"] += _remind(invitation, kind)
    return counts


# --- the public page -----------------------------------------------------------------------------


class Consultation(NamedTuple):
    """What an invited organization's page shows."""

    invitation: ConsultationInvitation
    document: Document
    version: DocumentVersion | None
    sections: list[Section]


def _by_token(token: str, *, lock: bool = False) -> ConsultationInvitation:
    if not TOKEN_SHAPE.match(token or ""):
        raise NotFound(_("Not found."))
    invitations = ConsultationInvitation.objects.select_related("document__body")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(token_hash=token_hash(token)).first()
    if invitation is None:
        # Also the link a resend replaced: its hash is gone.
        raise NotFound(_("Not found."))
    return invitation


def _check_live(invitation: ConsultationInvitation, now: datetime) -> None:
    if invitation.revoked_at is not None:
        raise Gone(_("This link has been withdrawn by the drafters."), reason="revoked")
    if invitation.document.status != Document.Status.CONSULTATION or invitation.is_expired(now):
        raise Gone(_("The consultation on this draft has closed."), reason="closed")


def _under_consultation(invitation: ConsultationInvitation) -> DocumentVersion | None:
    versions = invitation.document.versions.order_by("-number")
    return versions.filter(round=invitation.round).first() or versions.first()


def consultation_get(token: str, now: datetime | None = None) -> Consultation:
    """The page of one invited organization: 404 for an unknown token, Gone once revoked or
    closed. The first visit marks the invitation opened."""
    now = now or timezone.now()
    invitation = _by_token(token)
    _check_live(invitation, now)
    if invitation.opened_at is None:
        _mark_opened(invitation, now)
    version = _under_consultation(invitation)
    sections = sections_of(version.text) if version is not None else []
    return Consultation(invitation, invitation.document, version, sections)


@transaction.atomic
def _mark_opened(invitation: ConsultationInvitation, now: datetime) -> None:
    first = ConsultationInvitation.objects.filter(pk=invitation.pk, opened_at=None).update(
        opened_at=now
    )
    invitation.opened_at = now
    if first:
        document = invitation.document
        audit_record(document, transition="invitation_open", actor=None, note=invitation.name)
        _event(document, invitation, "consultation.opened", None, now)


def sent_comments(invitation: ConsultationInvitation) -> list[Comment]:
    """What this organization has sent, and only that."""
    return list(invitation.comments.select_related("version").order_by("created_at", "id"))


def sent_opinions(invitation: ConsultationInvitation) -> list:
    """The written opinions this organization has sent, and only those."""
    return list(invitation.opinions.order_by("created_at", "id"))


def consultation_answer(
    *,
    token: str,
    texts: dict[int, str],
    general: str = "",
    opinion=None,
    now: datetime | None = None,
) -> list[Comment]:
    """Record what an invited organization sent: one external comment per section written
    on, plus the general one, on the version under consultation, and its signed written
    opinion if it uploaded one (checked before the transaction: reading a file never holds
    the document's lock), in one transaction."""
    checked = opinions.opinion_check(opinion) if opinion is not None else None
    return _answer(token=token, texts=texts, general=general, opinion=checked, now=now)


@transaction.atomic
def _answer(*, token: str, texts: dict[int, str], general: str, opinion, now) -> list[Comment]:
    now = now or timezone.now()
    # The document's row first, then the invitation's, as the drafters' writes take them.
    document_id = _by_token(token).document_id
    document = (
        Document.objects.select_for_update(of=("self",)).select_related("body").get(pk=document_id)
    )
    invitation = _by_token(token, lock=True)
    invitation.document = document
    _check_live(invitation, now)
    version = _under_consultation(invitation)
    if version is None:
        raise Gone(_("The consultation on this draft has closed."), reason="closed")
    sections = {s.index: s for s in sections_of(version.text)}
    wanted = [(sections[i].reference, t.strip()) for i, t in sorted(texts.items()) if i in sections]
    wanted += [("", general.strip())]
    wanted = [(reference, text) for reference, text in wanted if text]
    _check_texts(wanted, sections, with_opinion=opinion is not None)
    comments = [
        Comment.objects.create(
            version=version, source=invitation.name[:255], section=reference, text=text
        )
        for reference, text in wanted
    ]
    invitation.comments.add(*comments)
    if opinion is not None:
        opinions.opinion_store(invitation, document, opinion)
    if invitation.answered_at is None:
        invitation.answered_at = now
        invitation.save(update_fields=["answered_at"])
    audit_record(
        document,
        transition="invitation_answer",
        actor=None,
        note=f"{invitation.name}: {len(comments)}",
    )
    for comment in comments:
        _comment_event(document, version, comment)
    _event(document, invitation, "consultation.answered", None, now)
    return comments


def _check_texts(wanted: list[tuple[str, str]], sections, *, with_opinion: bool) -> None:
    if not wanted and not with_opinion:
        raise Invalid(
            {
                "text": [
                    _(
                        "Write a comment on at least one section, or a general one, or "
                        "attach your written opinion."
                    )
                ]
            }
        )
    limit = Comment._meta.get_field("text").max_length
    too_long = [
        reference or _("General comment") for reference, text in wanted if len(text) > limit
    ]
    if too_long:
        raise Invalid(
            {
                "text": [
                    _("A comment is at most %(limit)s characters: %(sections)s.")
                    % {"limit": limit, "sections": "; ".join(too_long)}
                ]
            }
        )


def _comment_event(document: Document, version: DocumentVersion, comment: Comment) -> None:
    """The same event a comment recorded by a drafter makes: the drafters are told."""
    event_record(
        congress_id=document.congress_id,
        type="comment.added",
        object_kind="comment",
        object_id=comment.pk,
        body=document.body,
        actor=None,
        audience=[document.rapporteur_id, document.created_by_id],
        data={
            "document": document.pk,
            "title": document.title,
            "status": document.status,
            "version": document.version,
            "version_number": version.number,
            "section": comment.section,
            "source": comment.source,
            "disposition": comment.disposition,
        },
    )


# --- closing early -------------------------------------------------------------------------------


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
