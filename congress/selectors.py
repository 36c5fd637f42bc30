"""Reads that depend on who is asking. The visibility rule of ARCHITECTURE §5 is written
here once (`visible_q`) and used by every list, detail view, event stream and export.

A user sees a congress if they belong to any of its bodies or are the office of its
organization (or of one above it). Inside it they see the work of non-confidential bodies;
the work of a confidential body only if they belong to that body, to the standing committee,
or lead (head, deputy) the steering board. The office is none of these by being the office
(congress.roles.roles_from_rows). Staff see everything.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from congress.collation import person_sort_key
from congress.models import Body, Congress, Membership, Organization, office_paths, role_rows
from congress.roles import (
    LEADING,
    OFFICE_REACH,
    STANDING_COMMITTEE,
    STEERING_BOARD,
    UserRoles,
    roles_from_rows,
    roles_of,
)


def visible_q(
    user,
    *,
    congress: str = "congress_id",
    body: str = "body_id",
    confidential: str = "body__confidential",
) -> Q:
    """The filter for rows of congress work (tasks, documents, events...) the user may see.

    The field paths name where the row keeps its congress, its owning body and that body's
    confidential flag.
    """
    if user.is_staff:
        return Q()
    roles = roles_of(user)
    congress_ids = list(roles.kind_roles)
    privileged = [c for c in congress_ids if roles.sees_confidential(c)]
    return Q(**{f"{congress}__in": congress_ids}) & (
        Q(**{confidential: False})
        | Q(**{f"{body}__in": list(roles.body_role)})
        | Q(**{f"{congress}__in": privileged})
    )


def may_see_work_of(user, body: Body) -> bool:
    """The same rule as `visible_q`, for one body already in memory."""
    if user.is_staff:
        return True
    return roles_of(user).sees_work(body.congress_id, body.pk, body.confidential)


def congresses_visible_to(user) -> QuerySet[Congress]:
    qs = Congress.objects.select_related("organization")
    if user.is_staff:
        return qs
    return qs.filter(pk__in=list(roles_of(user).kind_roles))


def sees_several_congresses(user) -> bool:
    """Whether `congresses_visible_to(user)` holds more than one congress (the header's
    "switch congress" link): for anyone but staff, from the roles already read, no query."""
    if user.is_staff:
        return Congress.objects.all()[:2].count() > 1
    return len(roles_of(user).kind_roles) > 1


def bodies_visible_to(user) -> QuerySet[Body]:
    """Every body of a congress the user sees: a body is not secret, its work may be."""
    qs = Body.objects.select_related("congress")
    if user.is_staff:
        return qs
    return qs.filter(congress_id__in=list(roles_of(user).kind_roles))


def organizations_visible_to(user) -> QuerySet[Organization]:
    if user.is_staff:
        return Organization.objects.all()
    return Organization.objects.filter(
        Q(congresses__in=list(roles_of(user).kind_roles)) | Q(pk__in=organizations_run_by(user))
    ).distinct()


def organizations_run_by(user) -> QuerySet[Organization]:
    """The organizations the user is the office of, and those under them: the query form of
    congress.roles.office_covers (where they may create congresses)."""
    if user is None or not user.is_authenticated:
        return Organization.objects.none()
    reach = Q()
    for path in office_paths():
        # office_paths go down from an office; from an organization the same steps go up.
        up = "__".join(["parent"] * path.count("__children"))
        reach |= Q(**{f"{up}__offices__user" if up else "offices__user": user})
    return Organization.objects.filter(
        pk__in=Organization.objects.filter(reach).values("pk")
    ).order_by("name", "id")


def users_visible_to(user) -> QuerySet:
    """Users who share a congress with the user: the people they can assign and mention."""
    users = get_user_model().objects.all()
    if user.is_staff:
        return users
    congress_ids = list(roles_of(user).kind_roles)
    return users.filter(
        Q(pk=user.pk) | Q(memberships__body__congress_id__in=congress_ids)
    ).distinct()


def memberships_of_body(body: Body) -> QuerySet[Membership]:
    return body.memberships.select_related("user").order_by("id")


def memberships_of_user(user) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related(
        "body", "body__congress", "body__congress__organization"
    )


def roles_of_users(user_ids, *, congress_ids=None) -> dict[int, UserRoles]:
    """The roles of many users in one query (only in `congress_ids` when given), for fan-out
    that decides in memory who may see what. Every user asked for has an entry: a user
    without memberships has empty roles."""
    user_ids = {u for u in user_ids if u}
    if not user_ids:
        return {}
    if congress_ids is not None:
        congress_ids = set(congress_ids)
    rows: dict[int, list] = {user_id: [] for user_id in user_ids}
    for user_id, *row in role_rows(user_ids, congress_ids=congress_ids):
        rows[user_id].append(row)
    return {user_id: roles_from_rows(user_rows) for user_id, user_rows in rows.items()}


def users_seeing_work_of(*, congress_id: int, body: Body | None, user_ids) -> set[int]:
    """Of `user_ids`, those who may see work of `body` (or of the congress when body is None):
    two queries for everyone, for notification fan-out."""
    user_ids = {u for u in user_ids if u}
    if not user_ids:
        return set()
    staff = get_user_model().objects.filter(pk__in=user_ids, is_staff=True)
    seen = set(staff.values_list("pk", flat=True))
    body_id, confidential = (body.pk, body.confidential) if body else (None, False)
    for user_id, roles in roles_of_users(user_ids, congress_ids=[congress_id]).items():
        if roles.sees_work(congress_id, body_id, confidential):
            seen.add(user_id)
    return seen


def members_seeing_work_of(body: Body) -> QuerySet:
    """The members of the body's congress who may see its work: the query form of
    `UserRoles.sees_work` for the people of one congress (whom its work may be assigned to).
    A confidential body's work: its own members, the standing committee, the steering
    board's head and deputies. Active accounts only."""
    rows = Membership.objects.filter(body__congress_id=body.congress_id)
    if body.confidential:
        rows = rows.filter(
            Q(body_id=body.pk)
            | Q(body__kind=STANDING_COMMITTEE)
            | Q(body__kind=STEERING_BOARD, role__in=LEADING)
        )
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(pk__in=rows.values("user_id"))


def assignable_people(actor, body: Body) -> list:
    """Whom the actor may give the body's work to: the people they share the congress with
    who may see that work, in Vietnamese order (given name first)."""
    people = members_seeing_work_of(body).filter(pk__in=users_visible_to(actor).values("pk"))
    return sorted(people, key=person_sort_key)


def heads_of_bodies(body_ids) -> dict[int, set[int]]:
    """The heads of each of these bodies, in one query (a body without a head is left out)."""
    heads: dict[int, set[int]] = {}
    rows = Membership.objects.filter(body_id__in=set(body_ids), role=Membership.Role.HEAD)
    for body_id, user_id in rows.values_list("body_id", "user_id"):
        heads.setdefault(body_id, set()).add(user_id)
    return heads


def body_head_ids(body: Body) -> set[int]:
    return heads_of_bodies([body.pk]).get(body.pk, set())


def plan_dated_for_other_opening(congress):
    """The opening date the congress's plan is dated for, when it is not the congress's own
    (the opening was moved without re-dating the plan); None otherwise. Both dates are on the
    congress row every page already loads: no query."""
    planned = congress.plan_opens_on
    if planned is None or planned == congress.opens_on:
        return None
    return planned


def congresses_under_q(organization: Organization) -> Q:
    """Congresses of the organizations below `organization`, one level down and as far as an
    office reaches (congress.roles.OFFICE_REACH); not its own."""
    below = Q()
    for depth in range(1, OFFICE_REACH + 1):
        below |= Q(**{"organization" + "__parent" * depth: organization})
    return below


def congresses_under(organization: Organization) -> QuerySet[Congress]:
    return Congress.objects.filter(congresses_under_q(organization))
