"""Reads of a body's trail. The bodies themselves are read in congress.selectors."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from congress.collation import people_sorted
from congress.models import Body
from congress.selectors import assignable_people, may_see_work_of
from workflows import rules
from workflows.models import AuditEntry, RightsProposal


def body_history(body: Body) -> QuerySet[AuditEntry]:
    """Who changed the body's name, kind, place, confidentiality or members, and when, with
    the proposals of such changes and their decisions. Like the body, its history is open to
    everyone in the congress."""
    own = Q(content_type=ContentType.objects.get_for_model(Body), object_id=body.pk)
    proposals = Q(content_type=ContentType.objects.get_for_model(RightsProposal), body_id=body.pk)
    return AuditEntry.objects.filter(own | proposals).select_related("actor")


def visible_bodies(user, congress) -> list:
    """The bodies of the congress whose work the user may see (for filters and headings)."""
    return [b for b in congress.bodies.order_by("id") if may_see_work_of(user, b)]


def bodies_for_documents(user, congress) -> list:
    """The bodies whose work the user sees and where they may start documents."""
    return [b for b in visible_bodies(user, congress) if rules.may_create_document_in(b, user)]


def people_for_bodies(user, bodies) -> tuple[list, dict[int, set[int]]]:
    """Everyone who may be given the work of one of the bodies (assignee, rapporteur), in
    Vietnamese order, and for each person the bodies whose work they may see."""
    people, bodies_of = {}, {}
    for body in bodies:
        for person in assignable_people(user, body):
            people[person.pk] = person
            bodies_of.setdefault(person.pk, set()).add(body.pk)
    return people_sorted(people.values()), bodies_of
