"""The page of an invited organization (`/consult/{token}/`, workflows.web.views.consult):
the draft under consultation by section, and what the organization sends through it; the
token is checked against its stored hash (workflows.services.invitations)."""

import re
from datetime import datetime
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.errors import DomainError, Invalid, NotFound
from notifications.services import event_record
from workflows import events
from workflows.models import Comment, ConsultationInvitation, Document, DocumentVersion
from workflows.models.consultations import token_hash
from workflows.sections import Section, sections_of
from workflows.services import opinions
from workflows.services.invitations import _event
from workflows.services.transitions import audit_record

TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


class Gone(DomainError):
    """The link was good but is no more: revoked, or its consultation closed."""

    status = 410
    code = "gone"


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
        _event(document, invitation, events.CONSULTATION_OPENED, None, now)


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
    _event(document, invitation, events.CONSULTATION_ANSWERED, None, now)
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
    assert limit is not None  # Comment.text has one
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
        type=events.COMMENT_ADDED,
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
