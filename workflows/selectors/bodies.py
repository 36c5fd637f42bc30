"""Reads of a body's trail. The bodies themselves are read in congress.selectors."""

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet

from congress.collation import people_sorted, person_sort_key
from congress.models import Body, Congress, Membership, Organization, User
from congress.selectors import assignable_people, may_see_work_of, organizations_run_by
from workflows import rules
from workflows.models import AuditEntry, RightsProposal, Task
from workflows.selectors.tasks import tasks_visible_to


def body_history(body: Body) -> QuerySet[AuditEntry]:
    """Who changed the body's name, kind, place, confidentiality or members, and when, with
    the proposals of such changes and their decisions. Like the body, its history is open to
    everyone in the congress."""
    own = Q(content_type=ContentType.objects.get_for_model(Body), object_id=body.pk)
    proposals = Q(content_type=ContentType.objects.get_for_model(RightsProposal), body_id=body.pk)
    return AuditEntry.objects.filter(own | proposals).select_related("actor")


def visible_bodies(user: User, congress: Congress) -> list[Body]:
    """The bodies of the congress whose work the user may see (for filters and headings)."""
    return [b for b in congress.bodies.order_by("id") if may_see_work_of(user, b)]


def bodies_for_documents(user: User, congress: Congress) -> list[Body]:
    """The bodies whose work the user sees and where they may start documents."""
    return [b for b in visible_bodies(user, congress) if rules.may_create_document_in(b, user)]


def people_for_bodies(user: User, bodies: Iterable[Body]) -> tuple[list[User], dict[int, set[int]]]:
    """Everyone who may be given the work of one of the bodies (assignee, rapporteur), in
    Vietnamese order, and for each person the bodies whose work they may see."""
    people: dict[int, User] = {}
    bodies_of: dict[int, set[int]] = {}
    for body in bodies:
        for person in assignable_people(user, body):
            people[person.pk] = person
            bodies_of.setdefault(person.pk, set()).add(body.pk)
    return people_sorted(people.values()), bodies_of


def organizations_for_congresses(user: User) -> QuerySet[Organization]:
    """The organizations whose congresses the user may create: every one for staff, else
    those they run the office of (and those under them)."""
    if user.is_staff:
        return Organization.objects.order_by("name", "id")
    return organizations_run_by(user)


def bodies_with_member_counts(congress: Congress) -> list[Body]:
    return list(congress.bodies.annotate(member_count=Count("memberships")))


def memberships_by_body(congress: Congress) -> dict[int, list[Membership]]:
    """Each body's memberships (with their users), people in Vietnamese order."""
    found: dict[int, list[Membership]] = {}
    rows = Membership.objects.filter(body__congress=congress).select_related("user")
    for membership in sorted(rows, key=lambda m: person_sort_key(m.user)):
        found.setdefault(membership.body_id, []).append(membership)
    return found


def open_task_counts(user: User, congress: Congress) -> dict[tuple[int, int], int]:
    """Open tasks per body and assignee that the user may see: the members that removal asks
    to reassign first. A count of hidden tasks would tell what the confidential work is."""
    rows = (
        tasks_visible_to(user)
        .filter(congress=congress, assignee__isnull=False)
        .filter(status__in=Task.OPEN_STATES)
        .values_list("body_id", "assignee_id")
        .annotate(n=Count("id"))
    )
    return {(body_id, user_id): n for body_id, user_id, n in rows}
