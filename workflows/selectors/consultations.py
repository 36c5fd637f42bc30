"""What the drafters see of a consultation on the document page: the organizations invited
with what became of each link, who has not answered, whom they may still invite, and the
comments grouped by section in the order of the document with counts per section and per
organization."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch

from congress.models import Organization
from workflows import rules
from workflows.models import Comment, ConsultationInvitation, Document, OutsideBody, WrittenOpinion
from workflows.ordering import document_order, sort_key

# The organizations under the congress's own offered when inviting: its tree to this depth.
ORGANIZATION_DEPTH = 4
MAX_CHOICES = 500


@dataclass
class SectionComments:
    name: str  # "" for the general comments
    comments: list[Comment] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.comments)


def comments_by_section(comments: list[Comment], text: str) -> list[SectionComments]:
    """General comments first, then each section in the order `text` holds them (natural
    order for the names it does not: workflows.ordering), each section's comments by source."""
    by_name: dict[str, list[Comment]] = {}
    for comment in comments:
        by_name.setdefault(comment.section.strip(), []).append(comment)
    names = document_order([name for name in by_name if name], text)
    if "" in by_name:
        names.insert(0, "")
    return [
        SectionComments(name, sorted(by_name[name], key=lambda c: (sort_key(_source(c)), c.pk)))
        for name in names
    ]


def _source(comment: Comment) -> str:
    if comment.source:
        return comment.source
    author = comment.author
    return (author.get_full_name() or author.username) if author else ""


def counts_by_source(comments: list[Comment]) -> list[tuple[str, int]]:
    counts = Counter(_source(c) for c in comments)
    return sorted(counts.items(), key=lambda item: sort_key(item[0]))


def invitations_of(document: Document, now: datetime) -> list[ConsultationInvitation]:
    """Every invitation of the document, the current round first, each with its status,
    its count of comments and its written opinions."""
    # Each one carries its status and label for the page (attributes the model does not have).
    invitations: list[Any] = list(
        document.invitations.annotate(comment_count=Count("comments"))
        .select_related("delivery")
        .prefetch_related(Prefetch("opinions", queryset=WrittenOpinion.objects.order_by("id")))
        .order_by("-round", "name", "id")
    )
    for invitation in invitations:
        invitation.document = document
        invitation.status = invitation.status_at(now)
        invitation.status_label = ConsultationInvitation.Status(invitation.status).label
    invitations.sort(key=lambda i: (-i.round, sort_key(i.name), i.pk))
    return invitations


def outside_bodies_of(congress_id: int) -> list[OutsideBody]:
    """The outside bodies a congress consults (at most MAX_CHOICES), by name."""
    return list(
        OutsideBody.objects.filter(congress_id=congress_id).order_by("name", "id")[:MAX_CHOICES]
    )


def may_invite_now(document: Document, now: datetime) -> bool:
    if not rules.consultation_allowed(document):
        return False
    if document.status == Document.Status.CONSULTATION:
        closes_at = document.consultation_closes_at
        return closes_at is None or closes_at > now
    return document.status in rules.CONSULTATION_STEPS


def invitation_choices(
    document: Document, invited_emails: set[str], outside_bodies: list[OutsideBody] | None = None
) -> dict[str, list[Any]]:
    """Whom the drafters may choose from: the organizations under the congress's own (by
    level, then name) and the congress's outside bodies not invited to this round yet (of
    `outside_bodies` when the caller has read them: `outside_bodies_of`)."""
    top = document.congress.organization_id
    found: list[Any] = []  # organizations and bodies carry their `choice_value` for the form
    parents = [top]
    for _depth in range(ORGANIZATION_DEPTH):
        level = list(Organization.objects.filter(parent_id__in=parents).only("id", "name"))
        if not level:
            break
        found += level
        parents = [o.pk for o in level]
        if len(found) >= MAX_CHOICES:
            break
    if outside_bodies is None:
        outside_bodies = outside_bodies_of(document.congress_id)
    outside: list[Any] = [b for b in outside_bodies if b.email not in invited_emails]
    for organization in found:
        organization.choice_value = f"org:{organization.pk}"
    for body in outside:
        body.choice_value = f"body:{body.pk}"
    return {
        "organizations": sorted(found[:MAX_CHOICES], key=lambda o: sort_key(o.name)),
        "outside_bodies": sorted(outside, key=lambda b: sort_key(b.name)),
    }
