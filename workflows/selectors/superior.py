"""The superior's review queue (issue 22, flow 2): the documents waiting at `superior_review`
in the congresses under the user's organization that the user reviews for the superior
(rules.documents_reviewed_for_superior), since when each waits and the deadline.

A reading apart from the visibility rule of ARCHITECTURE §5: it reaches a congress's personnel
plan for those who review it for the superior (the superior's standing committee and the
reviewers named for the personnel plan), at this step only. The subordinate's lists, search and
events stay on the rule of §5, where the superior is in no body of the congress.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.errors import NotFound
from congress.models import User
from congress.workdays import WorkingCalendar, superior_review_due
from workflows import rules
from workflows.models import AuditEntry, Comment, Document, DocumentVersion
from workflows.sections import Section, sections_of
from workflows.selectors.documents import with_workflow_facts

SUPERIOR_REVIEW = Document.Status.SUPERIOR_REVIEW


def reviewed_documents(user: User) -> QuerySet[Document]:
    """The documents, in any state, that the user reviews for the superior: where the
    superior's decisions and comments find them (a document that has left the step is then a
    409, not a 404)."""
    return rules.documents_reviewed_for_superior(user, Document.objects.all())


def _entries_into_review() -> QuerySet[AuditEntry]:
    """The audit entries of documents' transitions into the superior's review, latest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Document), to_state=SUPERIOR_REVIEW
    ).order_by("-at", "-id")


def superior_reviews(user: User) -> QuerySet[Document]:
    """The queue: the documents waiting for the user's review at the superior level, with
    `waiting_since` (the audit entry of the transition into the step) and what the transition
    rules and the rows need, in one query; the congress opening first, then the longest
    waiting."""
    entered = _entries_into_review().filter(object_id=OuterRef("pk"))
    waiting = rules.documents_reviewed_for_superior(
        user, Document.objects.filter(status=SUPERIOR_REVIEW)
    )
    return (
        with_workflow_facts(waiting)
        .annotate(waiting_since=Subquery(entered.values("at")[:1]))
        .select_related("congress__organization__parent")
        .order_by(F("congress__opens_on").asc(nulls_last=True), "waiting_since", "id")
    )


def superior_review_get(user: User, document_id: int) -> Document:
    """A document of the user's queue; one that is not (missing, not theirs to review, or no
    longer waiting) is a 404."""
    document = superior_reviews(user).filter(pk=document_id).first()
    if document is None:
        raise NotFound(_("Not found."))
    return document


def reviewed_document_get(user: User, document_id: int) -> Document:
    """A document the user reviews for the superior, in any state; else a 404."""
    document = with_workflow_facts(reviewed_documents(user)).filter(pk=document_id).first()
    if document is None:
        raise NotFound(_("Not found."))
    return document


@dataclass(frozen=True)
class Waiting:
    """A row of the queue: the document, since when it waits, the superior-review deadline
    of its congress and the working days left until it (negative once past)."""

    document: Document
    since: datetime | None
    due: date | None
    days_left: int | None

    @property
    def days_late(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def working_days_left(calendar: WorkingCalendar, today: date, due: date) -> int:
    """Working days from today until the deadline: 0 on the day, negative once past."""
    if due >= today:
        return calendar.count_between(today, due)
    return -calendar.count_between(due, today)


def waiting_rows(
    documents: Iterable[Document],
    *,
    today: date | None = None,
    calendar: WorkingCalendar | None = None,
) -> list[Waiting]:
    """The rows of the queue's documents (superior_reviews), with the working-day calendar
    read once for all of them."""
    today = today or timezone.localdate()
    calendar = calendar or WorkingCalendar()
    rows = []
    for document in documents:
        due = superior_review_due(document.congress, calendar)
        left = working_days_left(calendar, today, due) if due is not None else None
        rows.append(Waiting(document, getattr(document, "waiting_since", None), due, left))
    return rows


def superior_name(document: Document) -> str:
    """The superior organization's name: the source of its comments on the document."""
    parent = document.congress.organization.parent
    return parent.name if parent is not None else ""


@dataclass(frozen=True)
class Review:
    """What the superior's review page shows: the row, the version under review cut into
    sections, the version the superior last saw (at its previous review, if any), the
    superior's comments on this version by section reference ("" for the whole draft), and
    its comments on earlier versions with the drafters' answers."""

    waiting: Waiting
    version: DocumentVersion | None
    sections: list[Section]
    seen_number: int | None
    source: str
    comments: dict[str, list[Comment]]
    earlier: list[Comment]

    @property
    def document(self) -> Document:
        return self.waiting.document


def last_seen_number(document: Document) -> int | None:
    """The number of the version current when the document was last at the superior's
    review before this time: the latest version added before it entered the step again."""
    into_review = _entries_into_review().filter(object_id=document.pk)
    entered = list(into_review.values_list("at", flat=True)[:2])
    if len(entered) < 2:
        return None
    earlier = document.versions.filter(created_at__lte=entered[1]).order_by("-number")
    return earlier.values_list("number", flat=True).first()


def superior_review_detail(user: User, document_id: int, *, today: date | None = None) -> Review:
    document = superior_review_get(user, document_id)
    [waiting] = waiting_rows([document], today=today)
    version = document.versions.select_related("author").order_by("-number").first()
    source = superior_name(document)
    comments: dict[str, list[Comment]] = {}
    earlier: list[Comment] = []
    by_superior = Comment.objects.filter(version__document=document, source=source)
    for comment in by_superior.select_related("author", "answered_by", "version"):
        if version is not None and comment.version_id == version.pk:
            comments.setdefault(comment.section, []).append(comment)
        else:
            earlier.append(comment)
    return Review(
        waiting=waiting,
        version=version,
        sections=sections_of(version.text) if version is not None else [],
        seen_number=last_seen_number(document),
        source=source,
        comments=comments,
        earlier=earlier,
    )
