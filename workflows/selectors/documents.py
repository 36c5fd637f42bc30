"""Reads of documents, their versions, comments and history, always through the visibility rule
(ARCHITECTURE §5): a document of a confidential body (the personnel plan) exists only for
those who may see that body's work; for everyone else it is the same 404 as a missing one."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from congress.errors import Conflict, NotFound
from congress.fsm import available_transitions
from congress.selectors import visible_q
from workflows import rules
from workflows.models import (
    KIND_STEP_FIELDS,
    AuditEntry,
    Comment,
    Document,
    DocumentKindSettings,
    DocumentVersion,
)


def documents_visible_to(user) -> QuerySet[Document]:
    return Document.objects.filter(visible_q(user))


def _count(queryset, group_by: str = "document") -> Coalesce:
    counted = queryset.order_by().values(group_by).annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_workflow_facts(documents: QuerySet[Document]) -> QuerySet[Document]:
    """What the transition rules read, in the same query: the kind's configured steps, the
    versions in the current round, the comments still pending, the latest version, and
    whether the superior level uses the product (who decides its review)."""
    kind = DocumentKindSettings.objects.filter(kind=OuterRef("kind"))
    versions = DocumentVersion.objects.filter(document=OuterRef("pk"))
    pending = Comment.objects.filter(
        version__document=OuterRef("pk"), disposition=Comment.Disposition.PENDING
    )
    return documents.annotate(
        **{f"kind_{name}": Subquery(kind.values(name)[:1]) for name in KIND_STEP_FIELDS},
        round_version_count=_count(versions.filter(round=OuterRef("round"))),
        version_count=_count(versions),
        latest_version_number=Subquery(versions.order_by("-number").values("number")[:1]),
        pending_comment_count=_count(pending, "version__document"),
        superior_in_product=rules.superior_uses_product_q(),
    ).select_related("body", "rapporteur")


def document_list(user) -> QuerySet[Document]:
    """Documents with what their representation needs, in one query."""
    return with_workflow_facts(documents_visible_to(user))


def in_state_order(documents: QuerySet[Document]) -> QuerySet[Document]:
    """The documents in the order of their states' list (drafting first, then each review
    step...), oldest first within a state: the order of the documents page's groups."""
    rank = Case(
        *[When(status=value, then=Value(i)) for i, value in enumerate(Document.Status.values)],
        default=Value(len(Document.Status.values)),
        output_field=IntegerField(),
    )
    return documents.order_by(rank, "id")


def document_get(user, document_id) -> Document:
    """A document the user may see; a missing and an invisible document are the same 404."""
    document = document_list(user).filter(pk=document_id).first()
    if document is None:
        raise NotFound(_("Not found."))
    return document


def document_versions(document: Document) -> QuerySet[DocumentVersion]:
    return document.versions.select_related("author").defer("text").order_by("number")


def document_version_get(document: Document, number) -> DocumentVersion:
    version = document.versions.select_related("author").filter(number=number).first()
    if version is None:
        raise _no_version(number)
    return version


def _no_version(number) -> NotFound:
    return NotFound(_("This document has no version %(number)s.") % {"number": number})


def document_versions_to_compare(
    document: Document, old: int | None, new: int | None, numbers: list[int] | None = None
) -> tuple[DocumentVersion, DocumentVersion]:
    """The two versions to compare: `new` defaults to the latest, `old` to the one before;
    `numbers` are the document's version numbers in order, when the caller has them."""
    if numbers is None:
        numbers = list(document.versions.order_by("number").values_list("number", flat=True))
    if len(numbers) < 2 and (old is None or new is None):
        raise Conflict(
            _("A diff needs two versions; this document has %(count)s.") % {"count": len(numbers)},
            code="diff_needs_two_versions",
        )
    new = numbers[-1] if new is None else new
    if old is None:
        earlier = [n for n in numbers if n < new]
        old = earlier[-1] if earlier else numbers[0]
    found = {
        v.number: v
        for v in document.versions.select_related("author").filter(number__in={old, new})
    }
    for number in (old, new):
        if number not in found:
            raise _no_version(number)
    pair = [found[old], found[new]]
    for version in pair:
        if not version.has_text:
            raise Conflict(
                _(
                    "Version %(number)s is a PDF, whose text is not extracted: compare "
                    ".docx, .md or .txt versions."
                )
                % {"number": version.number},
                code="version_without_text",
            )
    return pair[0], pair[1]


def document_comments(document: Document) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(version__document=document)
        .select_related("author", "version", "answered_by")
        .order_by("created_at", "id")
    )


def document_history(document: Document) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Document), object_id=document.pk
    ).select_related("actor")


def documents_by_state(user, congress) -> dict[str, int]:
    rows = (
        documents_visible_to(user)
        .filter(congress=congress)
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
    )
    return {row["status"]: row["n"] for row in rows}


REVIEW_ACTIONS = {"approve", "return", "open_consultation", "close_consultation"}


def documents_waiting_for(user, congress, limit: int = 8) -> list[Document]:
    """The first documents at a step where the user is the reviewer (approve, return, or the
    consultation to open or close); none looked at for who may review none."""
    if not rules.may_act_on_some_review(user, congress.pk):
        return []
    in_review = document_list(user).filter(
        congress=congress, status__in=[*Document.REVIEW_STATES, Document.Status.CONSULTATION]
    )
    found = []
    for document in in_review.order_by("id").iterator(chunk_size=100):
        if REVIEW_ACTIONS & set(available_transitions(document, user)):
            found.append(document)
            if len(found) == limit:
                break
    return found
