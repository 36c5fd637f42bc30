"""Reads of a body's trail. The bodies themselves are read in congress.selectors."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from congress.models import Body
from workflows.models import AuditEntry


def body_history(body: Body) -> QuerySet[AuditEntry]:
    """Who changed the body's name, kind, place or confidentiality, and when. Like the body,
    its history is open to everyone in the congress."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Body), object_id=body.pk
    ).select_related("actor")
