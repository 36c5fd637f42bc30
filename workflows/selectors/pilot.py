"""The pilot congress (đại hội điểm): the superior marks one of the congresses under it, and the
people of the others read its plan and its approved documents as examples, read-only. Never its
confidential work: a confidential body's tasks and documents, the personnel plan, are left out
whoever reads."""

from django.db.models import OuterRef, QuerySet, Subquery

from congress.models import Congress, User
from congress.roles import PERSONNEL_PLAN, roles_of
from workflows.models import Document, DocumentVersion, Task


def pilot_for(user: User, congress: Congress) -> Congress | None:
    """The pilot among the congress's siblings (the congresses of the organizations under the
    same superior), for someone of the congress; None when there is none or it is this one."""
    parent_id = congress.organization.parent_id
    if parent_id is None or not (user.is_staff or roles_of(user).in_congress(congress.pk)):
        return None
    return (
        Congress.objects.filter(pilot=True, organization__parent_id=parent_id)
        .exclude(pk=congress.pk)
        .select_related("organization")
        .order_by("id")
        .first()
    )


def pilot_readable_by(user: User, pilot_id: int) -> Congress | None:
    """The pilot congress, if the user is in one of its siblings (or in it, or staff)."""
    pilot = Congress.objects.filter(pk=pilot_id, pilot=True).select_related("organization").first()
    if pilot is None:
        return None
    if user.is_staff:
        return pilot
    congress_ids = list(roles_of(user).kind_roles)
    siblings = Congress.objects.filter(
        pk__in=congress_ids, organization__parent_id=pilot.organization.parent_id
    )
    return pilot if pilot.organization.parent_id is not None and siblings.exists() else None


def pilot_plan(pilot: Congress) -> QuerySet[Task]:
    return (
        Task.objects.filter(congress=pilot, body__confidential=False)
        .select_related("body")
        .order_by("due_at", "id")
    )


def pilot_documents(pilot: Congress) -> QuerySet[Document]:
    """Its approved documents with the text of their latest version (`latest_text`), in one
    query."""
    latest = DocumentVersion.objects.filter(document=OuterRef("pk")).order_by("-number")
    return (
        Document.objects.filter(
            congress=pilot, status=Document.Status.APPROVED, body__confidential=False
        )
        .exclude(kind=PERSONNEL_PLAN)
        .select_related("body")
        .annotate(latest_text=Subquery(latest.values("text")[:1]))
        .order_by("kind", "id")
    )
