"""Reads of a body's trail. The bodies themselves are read in congress.selectors."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from congress.models import Body
from workflows.models import AuditEntry, RightsProposal


def body_history(body: Body) -> QuerySet[AuditEntry]:
    """Who changed the body's name, kind, place, confidentiality or members, and when, with
    the proposals of such changes and their decisions. Like the body, its history is open to
    everyone in the congress."""
    own = Q(content_type=ContentType.objects.get_for_model(Body), object_id=body.pk)
    proposals = Q(content_type=ContentType.objects.get_for_model(RightsProposal), body_id=body.pk)
    return AuditEntry.objects.filter(own | proposals).select_related("actor")
