"""The superior's office marks the pilot congress among those under it (one per superior
organization: marking one unmarks the others), audited on the congress."""

from django.db import transaction

from congress.models import Congress, User
from workflows.services.superior_reviewers import congress_for_naming
from workflows.services.transitions import audit_record


@transaction.atomic
def pilot_mark(*, actor: User, congress_id: int, pilot: bool = True) -> Congress:
    congress = congress_for_naming(actor, congress_id)
    if pilot:
        siblings = Congress.objects.filter(
            organization__parent_id=congress.organization.parent_id, pilot=True
        ).exclude(pk=congress.pk)
        for other in siblings:
            other.pilot = False
            other.save(update_fields=["pilot"])
            audit_record(other, transition="pilot_unmark", actor=actor)
    if congress.pilot != pilot:
        congress.pilot = pilot
        congress.save(update_fields=["pilot"])
        audit_record(congress, transition="pilot_mark" if pilot else "pilot_unmark", actor=actor)
    return congress
