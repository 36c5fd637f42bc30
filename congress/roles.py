"""Who holds which role where: the facts every permission and visibility rule is built on.

A user's memberships are read once per user object and kept on it, so checking the
permissions of every task on a page costs one query, not one per task.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ParamSpec, Protocol, cast

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

_CACHE_ATTR = "_congress_roles"

STANDING_COMMITTEE = "standing_committee"
STEERING_BOARD = "steering_board"
HEAD, DEPUTY, MEMBER, SECRETARY = "head", "deputy", "member", "secretary"
LEADING = frozenset({HEAD, DEPUTY})
# An organization office (congress.models.OrganizationOffice) reaches its own organization
# and this many levels below it: province, district, ward, grassroots, cell.
OFFICE = "office"
OFFICE_REACH = 4
# The superior level (ARCHITECTURE §5): members of an organization's standing committee follow
# the congresses of the organizations under it (SUPERIOR), and the superior's reviewers named
# for a subordinate congress review its documents (REVIEWER, with the document kinds; "" = every
# kind but the personnel plan). Neither is a member of any of its bodies: the confidential
# work stays hidden from them.
SUPERIOR = "superior"
REVIEWER = "superior_reviewer"
ALL_KINDS = ""
PERSONNEL_PLAN = "personnel_plan"

P = ParamSpec("P")


class Rule(Protocol[P]):
    """A yes-or-no rule that tells a refused user, in `description`, who may act (the 403 and
    409 answers show it); a transition condition may also carry a `code` and an `explain`."""

    description: str | Promise

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> bool: ...


def described(
    description: str | Promise,
    code: str | None = None,
    explain: Callable[..., tuple[str | Promise, dict]] | None = None,
) -> Callable[[Callable[P, bool]], Rule[P]]:
    """Gives a rule the sentence a refused user reads (and, for a condition, its code and the
    function that explains the refusal to a given user). The rule stays the same function."""

    def describe(func: Callable[P, bool]) -> Rule[P]:
        rule = cast(Any, func)
        rule.description = description
        if code:
            rule.code = code
        if explain:
            rule.explain = explain
        return cast(Rule[P], func)

    return describe


@dataclass
class UserRoles:
    body_role: dict[int, str] = field(default_factory=dict)
    # congress id -> {body kind: {roles held in bodies of that kind}}
    kind_roles: dict[int, dict[str, set[str]]] = field(default_factory=dict)
    # congress id -> roles held in the standing committee of an organization above it
    superior: dict[int, set[str]] = field(default_factory=dict)
    # congress id -> the document kinds the user reviews for the superior ("" = all but one)
    reviews: dict[int, set[str]] = field(default_factory=dict)
    # the congresses where the user holds a membership of their own
    seated: set[int] = field(default_factory=set)

    def in_congress(self, congress_id: int) -> bool:
        return congress_id in self.kind_roles

    def in_body(self, body_id: int) -> bool:
        return body_id in self.body_role

    def leads_body(self, body_id: int) -> bool:
        return self.body_role.get(body_id) in LEADING

    def has_kind_role(self, congress_id: int, kind: str, roles: frozenset | set) -> bool:
        return bool(self.kind_roles.get(congress_id, {}).get(kind, set()) & roles)

    def leads_kind(self, congress_id: int, kind: str) -> bool:
        return self.has_kind_role(congress_id, kind, LEADING)

    def sees_work(self, congress_id: int, body_id: int | None, confidential: bool) -> bool:
        """ARCHITECTURE §5 for one piece of work in memory (congress.selectors.visible_q is
        the same rule as a query)."""
        return self.in_congress(congress_id) and (
            not confidential or self.in_body(body_id) or self.sees_confidential(congress_id)
        )

    def sees_confidential(self, congress_id: int) -> bool:
        """Standing committee members and steering board leaders see confidential bodies' work."""
        kinds = self.kind_roles.get(congress_id, {})
        return bool(kinds.get(STANDING_COMMITTEE)) or self.leads_kind(congress_id, STEERING_BOARD)

    def runs_office(self, congress_id: int) -> bool:
        """The user is the office of the congress's organization or of one above it."""
        return OFFICE in self.kind_roles.get(congress_id, {})

    def follows_from_above(self, congress_id: int) -> bool:
        """A member of the standing committee of an organization above the congress's."""
        return bool(self.superior.get(congress_id))

    def decides_for_superior(self, congress_id: int) -> bool:
        """A head or deputy of the standing committee of an organization above it."""
        return bool(self.superior.get(congress_id, set()) & LEADING)

    def reviews_for_superior(self, congress_id: int, document_kind: str) -> bool:
        """May read and comment on a document of that kind at the superior-review step: the
        superior's standing committee, or a reviewer named for the congress and the kind (the
        personnel plan only for those named for it)."""
        if self.follows_from_above(congress_id):
            return True
        kinds = self.reviews.get(congress_id, set())
        if document_kind == PERSONNEL_PLAN:
            return PERSONNEL_PLAN in kinds
        return ALL_KINDS in kinds or document_kind in kinds


def roles_of(user) -> UserRoles:
    if user is None or not user.is_authenticated:
        return UserRoles()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    roles = roles_from_rows(user.membership_rows())
    setattr(user, _CACHE_ATTR, roles)
    return roles


def roles_from_rows(rows) -> UserRoles:
    """Build a user's roles from (body id, congress id, body kind, role) rows
    (congress.models.role_rows). An office is in the congresses it covers (so it sees them)
    and a secretary of their steering boards, unless it holds a role of its own there; it
    is a member of no other body, so a confidential body's work stays hidden from it. The
    superior's standing committee and reviewers are in the congresses they follow or review,
    in no body of them."""
    roles, boards = UserRoles(), []
    for body_id, congress_id, kind, role in rows:
        kinds = roles.kind_roles.setdefault(congress_id, {})
        if role == OFFICE:
            kinds.setdefault(OFFICE, set()).add(OFFICE)
            if body_id is not None:
                boards.append((body_id, congress_id))
            continue
        if kind == SUPERIOR:
            kinds.setdefault(SUPERIOR, set()).add(SUPERIOR)
            roles.superior.setdefault(congress_id, set()).add(role)
            continue
        if kind == REVIEWER:
            kinds.setdefault(REVIEWER, set()).add(REVIEWER)
            roles.reviews.setdefault(congress_id, set()).add(role)
            continue
        roles.body_role[body_id] = role
        kinds.setdefault(kind, set()).add(role)
        roles.seated.add(congress_id)
    for body_id, congress_id in boards:
        if body_id not in roles.body_role:
            roles.body_role[body_id] = SECRETARY
            roles.kind_roles[congress_id].setdefault(STEERING_BOARD, set()).add(SECRETARY)
    return roles


def own_congress_ids(user) -> list[int]:
    """The congresses where the user holds a seat in a body (not only followed from an office,
    a superior's standing committee or as its reviewer)."""
    return sorted(getattr(roles_of(user), "seated", ()))  # a cached entry from before


def forget(user) -> None:
    """Drop the cached roles after a membership change."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def leads_congress(user, congress_id: int) -> bool:
    """Staff, or a head or deputy of the congress's standing committee or steering board."""
    if user.is_staff:
        return True
    roles = roles_of(user)
    return roles.leads_kind(congress_id, STANDING_COMMITTEE) or roles.leads_kind(
        congress_id, STEERING_BOARD
    )


@described(
    gettext_lazy(
        "Only the head or a deputy of the standing committee or the steering board may do this."
    ),
)
def may_lead_congress(congress, user) -> bool:
    return leads_congress(user, congress.pk)


@described(
    gettext_lazy(
        "Only the head or a deputy of the standing committee or the steering board, or the office "
        "of the organization, may do this."
    ),
)
def sets_up_congress(user, congress_id: int) -> bool:
    """Who edits a congress and creates and changes its bodies: its leaders (and staff) and
    the office of its organization."""
    return leads_congress(user, congress_id) or roles_of(user).runs_office(congress_id)


def may_manage_body(body, user) -> bool:
    """Who may change a body and its members: congress leaders, the office, the body's own
    head."""
    if sets_up_congress(user, body.congress_id):
        return True
    return roles_of(user).body_role.get(body.pk) == HEAD


def office_covers(user, organization) -> bool:
    """Whether the user is the office of the organization or of one above it, at most
    OFFICE_REACH levels up (congress.selectors.organizations_run_by is the query form)."""
    if user is None or not user.is_authenticated:
        return False
    office_ids = user.office_organization_ids()
    current = organization
    for _level in range(OFFICE_REACH + 1):
        if current is None:
            return False
        if current.pk in office_ids:
            return True
        current = current.parent
    return False


@described(
    gettext_lazy(
        "Only staff or the office of this organization (or of one above it) may create its "
        "congresses."
    ),
)
def may_create_congress(user, organization) -> bool:
    """Staff, and the office of the organization or of one above it."""
    return user.is_staff or office_covers(user, organization)


@described(
    gettext_lazy("Only staff or the office of an organization may create accounts."),
)
def may_create_accounts(user) -> bool:
    """Staff, and the office of any organization (the accounts of its people)."""
    return user.is_staff or bool(user.is_authenticated and user.office_organization_ids())


@described(
    gettext_lazy(
        "Only the head or a deputy of the standing committee may change whether a body's work is "
        "confidential."
    ),
)
def may_set_confidential(body, user) -> bool:
    """Whether a body's work is confidential decides who sees it, in every body: staff and
    the standing committee's head or deputy decide it, not the body's own leaders."""
    return user.is_staff or roles_of(user).leads_kind(body.congress_id, STANDING_COMMITTEE)
