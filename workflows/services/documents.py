"""Writes on documents: create, update, add a version, transition, comment and answer a comment.

Each takes the acting user and commits the change, its audit entry and its outbox event in one
transaction, with the document's row locked: a version, a comment, an answer and a transition
on the same document happen one after the other, never interleaved.
"""

import uuid
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from congress.errors import Conflict, Forbidden, Invalid, NotFound
from congress.models import Body
from congress.selectors import may_see_work_of
from notifications.services import event_record
from workflows import events, rules, uploads
from workflows.models import Comment, Document, DocumentVersion
from workflows.selectors.documents import documents_visible_to
from workflows.services.placement import check_body_in_congress, check_stays_in_congress
from workflows.services.transitions import audit_record, perform_transition

EDITABLE_FIELDS = ("title", "kind", "rapporteur", "due_at")
# Changed only by the owning body's leaders (rules.may_place_document).
PLACEMENT_FIELDS = {"kind", "rapporteur"}


def _data(document: Document, **extra) -> dict:
    # `kind` in an event is the object's kind ("document"); the document's own kind is apart.
    return {
        "status": document.status,
        "version": document.version,
        "round": document.round,
        "title": document.title,
        "document_kind": document.kind,
        "body": document.body_id,
        "rapporteur": document.rapporteur_id,
        **extra,
    }


def document_event(document: Document, type_: str, actor, **extra) -> None:
    """Record a document's event for the outbox (in the caller's transaction): its
    drafters are its audience; `extra` adds to (or overrides) the data."""
    event_record(
        congress_id=document.congress_id,
        type=type_,
        object_kind="document",
        object_id=document.pk,
        body=document.body,
        actor=actor,
        audience=[document.rapporteur_id, document.created_by_id],
        data=_data(document, **extra),
    )


def _lock(actor, document_id, within: QuerySet[Document] | None = None) -> Document:
    """The document, locked, if the actor may see it (or finds it `within` another set of
    documents). The facts the rules read (versions in the round, pending comments) are read
    after the lock, so they are current."""
    found_in = documents_visible_to(actor) if within is None else within
    document = (
        found_in.select_for_update(of=("self",))
        .select_related("body")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        raise NotFound(_("Not found."))
    return document


def _check_open(document: Document) -> None:
    if document.status in Document.FINAL_STATES:
        raise Conflict(
            _("This document is %(status)s: it no longer changes.")
            % {"status": document.get_status_display()},
            code="document_closed",
            status=document.status,
        )


def _check_placement(body: Body, kind: str, rapporteur) -> None:
    if kind == Document.Kind.PERSONNEL_PLAN and not body.confidential:
        raise Invalid({"body": [_("A personnel plan belongs to a confidential body (personnel).")]})
    if rapporteur is not None and not may_see_work_of(rapporteur, body):
        raise Invalid(
            {"rapporteur": [_("The rapporteur must be a member who can see this body's work.")]}
        )


def _check_may_create(actor, body: Body) -> None:
    if not (may_see_work_of(actor, body) and rules.may_create_document_in(body, actor)):
        raise Forbidden(
            _(
                "Only the head, a deputy or the secretary of this body (or the congress's "
                "leaders) may start its documents."
            ),
            code="document_create_forbidden",
        )


@transaction.atomic
def document_create(
    *,
    actor,
    body: Body,
    kind: str,
    title: str,
    rapporteur=None,
    due_at: datetime | None = None,
    congress=None,
) -> Document:
    check_body_in_congress(body, congress.pk if congress is not None else None)
    _check_may_create(actor, body)
    _check_placement(body, kind, rapporteur)
    document = Document.objects.create(
        congress_id=body.congress_id,
        body=body,
        kind=kind,
        title=title,
        rapporteur=rapporteur,
        created_by=actor,
        due_at=due_at,
    )
    audit_record(document, transition="create", actor=actor, to_state=document.status)
    document_event(document, events.DOCUMENT_CREATED, actor)
    return document


def _check_placement_change(document: Document, actor, changed: list[str], body: Body) -> None:
    """Kind, body and rapporteur decide which reviews a document goes through and who drafts
    it: only the owning body's leaders (or staff) change them, the kind only in round 1."""
    moved = body.pk != document.body_id
    if (moved or set(changed) & PLACEMENT_FIELDS) and not rules.may_place_document(document, actor):
        raise Forbidden(rules.may_place_document.description, code="document_placement_forbidden")
    if moved:
        raise Invalid({"body": [_("A document cannot move to another body.")]})
    first_draft = document.status == Document.Status.DRAFTING and document.round == 1
    if "kind" in changed and not first_draft:
        raise Invalid(
            {"kind": [_("The kind of a document changes only while its first draft is written.")]}
        )


def _change_note(document: Document, changed: list[str], changes: dict) -> str:
    """The changed fields, with the old and new kind and rapporteur: the audit trail of who
    re-routed or handed over a document."""
    parts = []
    for name in changed:
        if name == "kind":
            parts.append(f"kind: {document.kind} → {changes['kind']}")
        elif name == "rapporteur":
            old, new = document.rapporteur, changes["rapporteur"]
            parts.append(
                f"rapporteur: {old.username if old else '—'} → {new.username if new else '—'}"
            )
        else:
            parts.append(name)
    return ", ".join(parts)


@transaction.atomic
def document_update(
    *, actor, document_id: int, version: int | None = None, congress=None, **changes
) -> Document:
    """Change a document's title, kind, rapporteur or due date (never its status, body or
    congress)."""
    document = _lock(actor, document_id)
    check_stays_in_congress(
        document.congress_id, congress, _("A document cannot move to another congress.")
    )
    if not rules.may_edit_document(document, actor):
        raise Forbidden(
            _("Only the leaders of the owning body or the rapporteur may edit this document."),
            code="document_edit_forbidden",
        )
    if version is not None and version != document.version:
        raise Conflict(
            _(
                "This document was changed by someone else (version %(current)s, you sent "
                "%(sent)s). Reload it and try again."
            )
            % {"current": document.version, "sent": version},
            code="stale_version",
            current_version=document.version,
        )
    _check_open(document)
    body = changes.pop("body", document.body)
    changed = [f for f in EDITABLE_FIELDS if f in changes and changes[f] != getattr(document, f)]
    _check_placement_change(document, actor, changed, body)
    rapporteur = changes.get("rapporteur") if "rapporteur" in changed else None
    _check_placement(body, changes.get("kind", document.kind), rapporteur)
    if not changed:
        return document
    note = _change_note(document, changed, changes)
    for name in changed:
        setattr(document, name, changes[name])
    document.version += 1
    document.save()
    audit_record(document, transition="update", actor=actor, note=note)
    document_event(document, events.DOCUMENT_UPDATED, actor, changed=changed)
    return document


def _check_drafting(document: Document, actor, *, first_draft: bool = False) -> None:
    """`first_draft`: the draft a new document starts from, given by whoever may start it
    (the office often uploads the draft the editorial team sent); later drafts are the
    drafters' alone."""
    if not first_draft and not rules.may_draft_document(document, actor):
        raise Forbidden(
            _("Only the rapporteur and the members of the owning body add drafts."),
            code="version_add_forbidden",
        )
    if document.status != Document.Status.DRAFTING:
        raise Conflict(
            _("Drafts are added while the document is being drafted; it is now “%(status)s”.")
            % {"status": document.get_status_display()},
            code="not_drafting",
            status=document.status,
        )


def _store_version(document: Document, checked: uploads.CheckedFile, actor, note: str):
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DocumentVersion(
        document=document,
        number=number,
        round=document.round,
        original_name=checked.name,
        file_type=checked.file_type,
        size=checked.size,
        sha256=checked.sha256,
        text=checked.text,
        author=actor,
        note=note,
    )
    # The stored name is ours: nothing of the uploaded name reaches the file system.
    stored = f"{document.congress_id}/{uuid.uuid4().hex}.{checked.file_type}"
    version.file.save(stored, ContentFile(checked.data), save=False)
    try:
        version.save()
    except Exception:
        version.file.delete(save=False)
        raise
    return version


def document_version_add(
    *, actor, document_id: int, file=None, text: str | None = None, note: str = ""
) -> DocumentVersion:
    """Add a draft to the current round, from an uploaded file or from text. The file is
    checked by its content (uploads.check_upload) and kept through Django's storage.

    Reading a file is bounded (uploads.Limits) but still the slow part, so it happens before
    the transaction opens: a large or refused upload never holds the document's row lock,
    nor SQLite's write lock that every other user's write waits for. Who may add a draft, and
    when, is checked before the file is read (no reading spent on a refusal) and again under
    the lock."""
    document = documents_visible_to(actor).select_related("body").filter(pk=document_id).first()
    if document is None:
        raise NotFound(_("Not found."))
    _check_drafting(document, actor)
    if (file is None) == (text is None):
        raise Invalid({"file": [_("Send either a file or a text, not both or neither.")]})
    checked = uploads.check_text(text) if text is not None else uploads.check_upload(file)
    return _version_store(actor=actor, document_id=document_id, checked=checked, note=note)


@transaction.atomic
def _version_store(
    *, actor, document_id: int, checked: uploads.CheckedFile, note: str, first_draft=False
) -> DocumentVersion:
    document = _lock(actor, document_id)
    _check_drafting(document, actor, first_draft=first_draft)
    version = _store_version(document, checked, actor, note)
    document.version += 1
    document.save(update_fields=["version", "updated_at"])
    audit_record(
        document, transition="version_add", actor=actor, note=f"v{version.number}: {checked.name}"
    )
    document_event(
        document,
        events.DOCUMENT_VERSION_ADDED,
        actor,
        version_number=version.number,
        file_type=checked.file_type,
        sha256=checked.sha256,
    )
    return version


def _closing_note(note: str, closes_at: datetime | None) -> str:
    if closes_at is None:
        return note
    when = formats.date_format(timezone.localtime(closes_at), "DATETIME_FORMAT")
    line = _("Comments close at %(when)s.") % {"when": when}
    return f"{note}\n{line}" if note else line


def _check_closing_date(closes_at: datetime | None) -> None:
    if closes_at is None:
        raise Invalid(
            {"consultation_closes_at": [_("Opening a consultation needs its closing date.")]}
        )
    if closes_at <= timezone.now():
        raise Invalid({"consultation_closes_at": [_("The closing date must be in the future.")]})


@transaction.atomic
def document_transition(
    *,
    actor,
    document_id: int,
    name: str,
    note: str = "",
    reason: str = "",
    version: int | None = None,
    consultation_closes_at: datetime | None = None,
    within: QuerySet[Document] | None = None,
) -> Document:
    """Move a document through its workflow (ARCHITECTURE §4) with the row locked. The actor
    finds the document among those they see, or `within` the set a caller names (the
    superior's review queue: workflows.services.superior).

    A request acts on the document as it was when the request arrived: without a `version`
    from the client, the version read before taking the lock stands in for it. So of two
    reviewers approving at once exactly one succeeds and the other gets a 409, even where
    the second would be allowed to approve the next step too (one person often leads the
    subcommittee, the steering board and the standing committee).
    """
    found_in = documents_visible_to(actor) if within is None else within
    if version is None:
        version = found_in.filter(pk=document_id).values_list("version", flat=True).first()
    document = _lock(actor, document_id, found_in)
    opening = name == "open_consultation"
    if opening:
        document.consultation_closes_at = consultation_closes_at
        note = _closing_note(note or "", consultation_closes_at)
    entry = perform_transition(
        document, name=name, actor=actor, note=note or "", reason=reason or "", version=version
    )
    if opening:
        # After the engine's checks, so that who may act and when come first; raising here
        # rolls the whole transition back.
        _check_closing_date(consultation_closes_at)
    document_event(
        document,
        events.DOCUMENT_TRANSITIONED,
        actor,
        transition=name,
        from_status=entry.from_state,
        note=entry.note,
        reviewers=_asked(document),
        consultation_closes_at=(
            closes_at.isoformat()
            if document.status == Document.Status.CONSULTATION
            and (closes_at := document.consultation_closes_at) is not None
            else None
        ),
    )
    return document


def _asked(document: Document) -> list[int]:
    """Whom a transition's event asks to act: the reviewers of the step the document is at;
    at the superior's review, its reviewers too (they comment, its leaders decide)."""
    asked = set(rules.document_reviewer_ids(document))
    if document.status == Document.Status.SUPERIOR_REVIEW:
        asked |= rules.superior_reviewer_ids(document)
    return sorted(asked)


def comment_event(document: Document, comment: Comment, type_: str, actor) -> None:
    """The outbox event of a comment on a version, added or answered: the drafters hear of it."""
    assert comment.version is not None  # a comment on a draft names the version
    event_record(
        congress_id=document.congress_id,
        type=type_,
        object_kind="comment",
        object_id=comment.pk,
        body=document.body,
        actor=actor,
        audience=[document.rapporteur_id, document.created_by_id, comment.author_id],
        data={
            "document": document.pk,
            "title": document.title,
            "status": document.status,
            "version": document.version,
            "version_number": comment.version.number,
            "section": comment.section,
            "source": comment.source,
            "disposition": comment.disposition,
        },
    )


@transaction.atomic
def document_comment_add(
    *,
    actor,
    document_id: int,
    text: str,
    source: str = "",
    section: str = "",
    version: int | None = None,
) -> Comment:
    """A comment on a version (the latest unless `version` names one): the actor's own, or,
    recorded by a drafter, one that an outside organization sent (`source`)."""
    document = _lock(actor, document_id)
    _check_open(document)
    if not text.strip():
        raise Invalid({"text": [_("A comment needs some text.")]})
    if source.strip() and not rules.may_draft_document(document, actor):
        raise Forbidden(
            _("Only the drafters record comments sent by other organizations."),
            code="comment_source_forbidden",
        )
    versions = document.versions.order_by("-number")
    target = versions.filter(number=version).first() if version is not None else versions.first()
    if target is None:
        if version is not None:
            raise Invalid({"version": [_("This document has no such version.")]})
        raise Conflict(_("There is no draft to comment on yet."), code="no_version_to_comment")
    comment = Comment.objects.create(
        version=target,
        author=actor,
        source=source.strip(),
        section=section.strip(),
        text=text,
    )
    comment_event(document, comment, events.COMMENT_ADDED, actor)
    return comment


@transaction.atomic
def document_comment_answer(
    *, actor, document_id: int, comment_id: int, disposition: str, response: str = ""
) -> Comment:
    """Take a comment in (fully or partly) or explain why not (*tiếp thu, giải trình*). Anything
    short of full acceptance needs a response."""
    document = _lock(actor, document_id)
    comment = (
        Comment.objects.select_related("version")
        .filter(pk=comment_id, version__document=document)
        .first()
    )
    if comment is None:
        raise NotFound(_("Not found."))
    if not rules.may_draft_document(document, actor):
        raise Forbidden(
            _("Only the rapporteur and the members of the owning body answer comments."),
            code="comment_answer_forbidden",
        )
    _check_open(document)
    needs_response = (Comment.Disposition.PARTLY_ACCEPTED, Comment.Disposition.NOT_ACCEPTED)
    if disposition in needs_response and not response.strip():
        raise Invalid(
            {"response": [_("Explain what was not taken in, and why.")]},
        )
    pending = disposition == Comment.Disposition.PENDING
    comment.disposition = disposition
    comment.response = response
    comment.answered_by = None if pending else actor
    comment.answered_at = None if pending else timezone.now()
    comment.save()
    comment_event(document, comment, events.COMMENT_UPDATED, actor)
    return comment


def document_create_with_version(*, actor, body: Body, file=None, note: str = "", **fields):
    """Start a document with its first draft: both or neither. Who may start it is checked
    before the file is read, and the file is read (bounded, uploads.check_upload) before the
    transaction opens, as in document_version_add; a refused draft (its type) undoes the
    document, its audit entry and its event. Whoever may start the document may give it its
    first draft (_check_drafting, first_draft)."""
    _check_may_create(actor, body)
    checked = None
    if file is not None:
        unsaved = Document(
            body=body, congress_id=body.congress_id, rapporteur=fields.get("rapporteur")
        )
        _check_drafting(unsaved, actor, first_draft=True)
        checked = uploads.check_upload(file)
    with transaction.atomic():
        document = document_create(actor=actor, body=body, **fields)
        if checked is not None:
            _version_store(
                actor=actor, document_id=document.pk, checked=checked, note=note, first_draft=True
            )
            document.refresh_from_db()
    return document
