"""Who may do which transition, and the conditions a transition needs (ARCHITECTURE §4).

These are the `permission=` and `conditions=` callables of the django-fsm transitions; the
transition service checks them with `has_transition_perm` before it calls a transition.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congress.models import (
    Body,
    Congress,
    Membership,
    Organization,
    SuperiorReviewer,
    superior_paths,
)
from congress.offices import office_user_ids_for
from congress.roles import (
    ALL_KINDS,
    HEAD,
    LEADING,
    OFFICE,
    PERSONNEL_PLAN,
    SECRETARY,
    STANDING_COMMITTEE,
    STEERING_BOARD,
    described,
    leads_congress,
    may_manage_body,
    office_covers,
    roles_of,
    sets_up_congress,
)
from congress.selectors import may_see_work_of, organizations_run_by


@described(_("Only the task's assignee may do this."))
def is_assignee(task, user) -> bool:
    return task.assignee_id is not None and task.assignee_id == user.pk


def leads_task_body(task, user) -> bool:
    """Head or deputy of the task's body, of its parent body, or of the steering board."""
    if user.is_staff:
        return True
    roles = roles_of(user)
    body = task.body
    return (
        roles.leads_body(body.pk)
        or (body.parent_id is not None and roles.leads_body(body.parent_id))
        or roles.leads_kind(task.congress_id, STEERING_BOARD)
    )


@described(
    _(
        "Only the head or a deputy of the task's body (or of the steering board) may do "
        "this, and not on a task assigned to them."
    ),
)
def may_review_task(task, user) -> bool:
    """A leader reviews the work; nobody approves or returns their own task."""
    return leads_task_body(task, user) and not is_assignee(task, user)


# may_review_task as queries. Staff may review anything but are not asked to: only the
# leaders named by the rule are.


def task_reviewer_ids(task) -> list[int]:
    """Who may approve or return the task: the heads and deputies of its body, of its parent
    body and of the steering board, never its assignee."""
    body = task.body
    leaders = Membership.objects.filter(role__in=LEADING).filter(
        Q(body_id=body.pk)
        | Q(body_id=body.parent_id)
        | Q(body__congress_id=task.congress_id, body__kind=STEERING_BOARD)
    )
    return sorted(set(leaders.values_list("user_id", flat=True)) - {task.assignee_id})


def tasks_reviewed_by(user, tasks: QuerySet) -> QuerySet:
    """Of `tasks`, those the user may approve or return as a leader of their body, of its
    parent body or of the steering board; never the user's own."""
    roles = roles_of(user)
    led = [body_id for body_id, role in roles.body_role.items() if role in LEADING]
    steering = [c for c in roles.kind_roles if roles.leads_kind(c, STEERING_BOARD)]
    if not led and not steering:
        return tasks.none()
    return tasks.filter(
        Q(body_id__in=led) | Q(body__parent_id__in=led) | Q(congress_id__in=steering)
    ).exclude(assignee_id=user.pk)


@described(
    _("Only the head or a deputy of the task's body (or of the steering board) may do this."),
)
def may_manage_task(task, user) -> bool:
    return leads_task_body(task, user)


@described(_("Only the assignee or the head or a deputy of the task's body may do this."))
def is_assignee_or_leader(task, user) -> bool:
    return is_assignee(task, user) or leads_task_body(task, user)


def may_create_task_in(body, user) -> bool:
    """Leaders and secretaries of a body (or its parent, or the steering board) plan its work."""
    if user.is_staff:
        return True
    roles = roles_of(user)
    role = roles.body_role.get(body.pk)
    return (
        role in ("head", "deputy", "secretary")
        or (body.parent_id is not None and roles.leads_body(body.parent_id))
        or roles.leads_kind(body.congress_id, STEERING_BOARD)
    )


@described(
    _(
        "Only the leaders of this task's body, its creator or the office of the organization "
        "may edit it."
    ),
)
def may_edit_task(task, user) -> bool:
    """Who plans the body's work, the task's creator, and the organization's office for the
    work of a body that is not confidential (it runs the set-up, not the personnel work)."""
    return (
        may_create_task_in(task.body, user)
        or (task.created_by_id is not None and task.created_by_id == user.pk)
        or office_runs_task(task, user)
    )


def office_runs_task(task, user) -> bool:
    return not task.body.confidential and roles_of(user).runs_office(task.congress_id)


@described(may_edit_task.description)
def may_reassign_task(task, user) -> bool:
    """Giving a task to someone else is an edit of it: the same people, the office
    included."""
    return may_edit_task(task, user)


def explain_open_dependencies(task, user) -> tuple[str | Promise, dict]:
    """Why a task waits, told to `user`: the open dependencies they may see, by id; those they
    may not, only as "a task you cannot see" (ARCHITECTURE §5)."""
    seen, hidden = [], 0
    why: str | Promise
    for dependency in task.depends_on.exclude(status="done").select_related("body"):
        if may_see_work_of(user, dependency.body):
            seen.append(dependency.pk)
        else:
            hidden += 1
    if hidden and seen:
        why = _("a task it depends on is not done yet, nor is a task you cannot see.")
    elif hidden:
        why = _("a task you cannot see is not done yet.")
    else:
        why = dependencies_done.description
    return why, {"open_dependencies": sorted(seen)}


@described(
    _("a task it depends on is not done yet."),
    code="dependency_open",
    explain=explain_open_dependencies,
)
def dependencies_done(task) -> bool:
    """A task cannot start while a task it depends on is not done.

    List queries annotate `open_dependency_count` so that this costs no query per task.
    """
    count = getattr(task, "open_dependency_count", None)
    if count is None:
        count = task.depends_on.exclude(status="done").count()
    return count == 0


@described(
    _("this task does not require review; complete it instead."),
    code="review_not_required",
)
def needs_review(task) -> bool:
    return task.requires_review


@described(_("this task requires review; submit it instead."), code="review_required")
def skips_review(task) -> bool:
    return not task.requires_review


# Documents (ARCHITECTURE §4) -----------------------------------------------------------------

DOCUMENT_REVIEW_STEPS = (
    "subcommittee_review",
    "steering_review",
    "standing_committee_review",
    "superior_review",
)
DOCUMENT_APPROVED = "approved"
# The reviews from which a draft may be put out for comment.
CONSULTATION_STEPS = ("steering_review", "standing_committee_review")


def first_review_state(document, *args, **kwargs) -> str:
    """Where `submit` goes: the first review step the document's kind needs."""
    return document.kind_steps().chain[0]


def next_review_state(document, *args, **kwargs) -> str:
    """Where `approve` goes from the current review: the next step the kind needs, or approved."""
    chain = document.kind_steps().chain
    later = DOCUMENT_REVIEW_STEPS[DOCUMENT_REVIEW_STEPS.index(document.status) + 1 :]
    return next((step for step in later if step in chain), DOCUMENT_APPROVED)


def is_rapporteur(document, user) -> bool:
    return document.rapporteur_id is not None and document.rapporteur_id == user.pk


def heads_owning_body(document, user) -> bool:
    return roles_of(user).body_role.get(document.body_id) == HEAD


@described(_("Only the document's rapporteur or the head of its owning body may submit it."))
def may_submit_document(document, user) -> bool:
    return user.is_staff or is_rapporteur(document, user) or heads_owning_body(document, user)


@described(_("Only the head or a deputy of the document's owning subcommittee may do this."))
def leads_owning_body(document, user) -> bool:
    """Head or deputy of the owning body, or of its parent when a team under a subcommittee
    owns the document: the subcommittee's review."""
    if user.is_staff:
        return True
    roles = roles_of(user)
    parent_id = document.body.parent_id
    return roles.leads_body(document.body_id) or (
        parent_id is not None and roles.leads_body(parent_id)
    )


@described(_("Only the head or a deputy of the steering board may do this."))
def leads_steering_board(document, user) -> bool:
    return user.is_staff or roles_of(user).leads_kind(document.congress_id, STEERING_BOARD)


@described(_("Only the head or a deputy of the standing committee may do this."))
def leads_standing_committee(document, user) -> bool:
    return user.is_staff or roles_of(user).leads_kind(document.congress_id, STANDING_COMMITTEE)


@described(
    _(
        "Only a secretary of the standing committee or the steering board records the superior "
        "level's decision."
    ),
)
def records_superior_decision(document, user) -> bool:
    """A secretary of the standing committee or the steering board records what the superior
    level's standing committee decided."""
    if user.is_staff:
        return True
    roles = roles_of(user)
    return roles.has_kind_role(
        document.congress_id, STANDING_COMMITTEE, {SECRETARY}
    ) or roles.has_kind_role(document.congress_id, STEERING_BOARD, {SECRETARY})


def document_reviewer_ids(document) -> list[int]:
    """Who may act on the document's current review, the query form of that step's rule
    (leads_owning_body, leads_steering_board, leads_standing_committee,
    decides_superior_review), staff left out: the people a `document.transitioned` event
    asks for a review. Nobody while it is drafted or out for comment."""
    if document.status == "superior_review" and superior_in_product(document):
        return sorted(superior_decider_ids(document))
    in_congress = Q(body__congress_id=document.congress_id)
    who = {
        "subcommittee_review": Q(role__in=LEADING)
        & (Q(body_id=document.body_id) | Q(body_id=document.body.parent_id)),
        "steering_review": in_congress & Q(body__kind=STEERING_BOARD, role__in=LEADING),
        "standing_committee_review": in_congress
        & Q(body__kind=STANDING_COMMITTEE, role__in=LEADING),
        "superior_review": in_congress
        & Q(body__kind__in=[STANDING_COMMITTEE, STEERING_BOARD], role=SECRETARY),
    }.get(document.status)
    if who is None:
        return []
    ids = set(Membership.objects.filter(who).values_list("user_id", flat=True))
    if document.status == "superior_review":
        ids |= _office_secretary_ids(document.congress_id)
    return sorted(ids)


def _office_secretary_ids(congress_id: int) -> set[int]:
    """The office users who count as a secretary of the congress's steering board
    (congress.roles.roles_from_rows): those of its organization or one above it, on a board
    where they hold no role of their own."""
    board_ids = set(
        Body.objects.filter(congress_id=congress_id, kind=STEERING_BOARD).values_list(
            "pk", flat=True
        )
    )
    if not board_ids:
        return set()
    organization = Congress.objects.select_related("organization").get(pk=congress_id).organization
    office_ids = office_user_ids_for(organization)
    held = set(
        Membership.objects.filter(body_id__in=board_ids, user_id__in=office_ids).values_list(
            "user_id", "body_id"
        )
    )
    return {user_id for user_id in office_ids for b in board_ids if (user_id, b) not in held}


def may_act_on_some_review(user, congress_id: int) -> bool:
    """Whether any review step of the congress's documents could be the user's: every rule
    of a review action (leads_owning_body, leads_steering_board, leads_standing_committee,
    decides_superior_review, may_close_consultation) asks for staff, a head's or deputy's
    role in one of its bodies or in a standing committee above it, or a secretary's. False
    says for sure the user has no document to review there; True says only that there may be
    (each document's rule decides)."""
    if user.is_staff:
        return True
    roles = roles_of(user)
    kinds = roles.kind_roles.get(congress_id, {})
    return roles.decides_for_superior(congress_id) or any(
        held & (LEADING | {SECRETARY}) for held in kinds.values()
    )


@described(
    _(
        "Only the drafters and the leaders who open the consultation invite organizations "
        "to comment."
    ),
)
def may_invite(document, user) -> bool:
    """Who invites outside organizations to comment on a draft: the drafters, and the leaders
    who may open the consultation."""
    return (
        may_draft_document(document, user)
        or leads_steering_board(document, user)
        or leads_standing_committee(document, user)
    )


@described(
    _(
        "Only the leaders of the steering board, the standing committee or the owning "
        "subcommittee may close the consultation."
    ),
)
def may_close_consultation(document, user) -> bool:
    return (
        leads_steering_board(document, user)
        or leads_standing_committee(document, user)
        or leads_owning_body(document, user)
    )


@described(
    _(
        "Only the head of the owning body or the head or a deputy of the standing committee or "
        "the steering board may withdraw a document."
    ),
)
def may_withdraw_document(document, user) -> bool:
    return heads_owning_body(document, user) or leads_congress(user, document.congress_id)


def may_create_document_in(body, user) -> bool:
    """Leaders and secretaries of a body (or its parent), and the congress's leaders."""
    if leads_congress(user, body.congress_id):
        return True
    roles = roles_of(user)
    return roles.body_role.get(body.pk) in ("head", "deputy", "secretary") or (
        body.parent_id is not None and roles.leads_body(body.parent_id)
    )


def may_edit_document(document, user) -> bool:
    return may_create_document_in(document.body, user) or is_rapporteur(document, user)


@described(
    _(
        "Only the head or a deputy of the owning body may change a document's kind, body or "
        "rapporteur."
    ),
)
def may_place_document(document, user) -> bool:
    """Who changes a document's kind, body or rapporteur: the kind decides which reviews and
    consultation it goes through, the rapporteur who drafts it. The owning body's head or
    deputy (or of the body above a team), or staff; not the rapporteur themselves."""
    return leads_owning_body(document, user)


def may_draft_document(document, user) -> bool:
    """The drafters: the rapporteur, any member of the owning body (its editorial team) and
    the leaders of the body above it. They add drafts, record outside comments and answer
    comments; the steering board and the standing committee review, they do not draft."""
    if is_rapporteur(document, user) or leads_owning_body(document, user):
        return True
    return roles_of(user).in_body(document.body_id)


@described(
    _("there is no version of the draft in the current round yet; upload one first."),
    code="no_version_in_round",
)
def has_version_in_round(document) -> bool:
    return document.versions_in_round() > 0


@described(
    _("this kind of document (or a confidential document) is not put out for comment."),
    code="consultation_not_allowed",
)
def consultation_allowed(document) -> bool:
    return document.kind_steps().consultation != "none" and not document.body.confidential


@described(_("the consultation is still open until its closing date."), code="consultation_open")
def consultation_closed(document) -> bool:
    closes_at = document.consultation_closes_at
    return closes_at is not None and closes_at <= timezone.now()


@described(
    _("this kind of document must be put out for comment before it is adopted."),
    code="consultation_required",
)
def consultation_held_if_required(document) -> bool:
    """A kind that must go out for comment cannot pass the last review from which comments
    can be opened before a consultation has been held."""
    steps = document.kind_steps()
    if (
        steps.consultation != "required"
        or document.consultations_held
        or document.body.confidential
    ):
        return True
    openers = [step for step in steps.chain if step in CONSULTATION_STEPS]
    return not openers or document.status != openers[-1]


@described(
    _("some comments are still pending; take them in or explain them first."),
    code="comments_pending",
)
def comments_answered(document) -> bool:
    """The approval that ends the internal review (to the superior level, or final) needs
    every comment taken in or explained."""
    if next_review_state(document) not in ("superior_review", DOCUMENT_APPROVED):
        return True
    return document.pending_comments() == 0


DOCUMENT_APPROVE_CONDITIONS = [consultation_held_if_required, comments_answered]


def may_keep_outside_bodies(congress_id: int, user) -> bool:
    """Who adds and removes the outside bodies a congress consults: those who set the
    congress up, the documents subcommittee, and the steering board's secretaries."""
    roles = roles_of(user)
    return (
        sets_up_congress(user, congress_id)
        or bool(roles.kind_roles.get(congress_id, {}).get("documents"))
        or roles.has_kind_role(congress_id, STEERING_BOARD, {SECRETARY})
    )


# The superior's reviewers (ARCHITECTURE §5) ---------------------------------------------------


@described(
    _(
        "Only the office of the superior organization (or staff) does this for the congresses "
        "under it."
    ),
)
def runs_superior_office(congress, user) -> bool:
    """The office of an organization above the congress's own (its superior's office), staff:
    who names the superior's reviewers of the congress and marks the pilot congress."""
    if user.is_staff:
        return True
    parent = congress.organization.parent
    return parent is not None and office_covers(user, parent)


@described(
    _("Only the office of the organization (or staff) pushes a plan to the congresses under it."),
)
def may_push_plan(organization, user) -> bool:
    """The office of the organization (or of one above it), staff."""
    return user.is_staff or office_covers(user, organization)


# Rights: who may change a body's members and the bodies that decide who sees what -------------
#
# The office enters what the standing committee decided; it does not decide it. A change that
# grants (or takes away) the right to see confidential work or to lead the congress takes
# effect only when a head or deputy of the standing committee confirms it; the rest of the
# set-up stays direct. Nobody changes their own membership (staff aside: audited).

RIGHTS_BODY_KINDS = frozenset({STANDING_COMMITTEE, STEERING_BOARD})


def membership_grants_rights(body, old_role: str | None, new_role: str | None) -> bool:
    """Whether adding, changing (old -> new) or removing (new None) a membership changes who
    sees confidential work or leads the congress: any membership of a confidential body or
    of the standing committee (every member of it sees confidential work), and a head's or
    deputy's place on the steering board."""
    if old_role == new_role:
        return False
    if body.confidential or body.kind == STANDING_COMMITTEE:
        return True
    if body.kind == STEERING_BOARD:
        return old_role in LEADING or new_role in LEADING
    return False


def body_creation_grants_rights(kind: str, confidential: bool | None = None, parent=None) -> bool:
    """A new standing committee or steering board (its leaders lead the congress), or a body
    made open whose work would be confidential by default (the personnel subcommittee, a
    team under a confidential body)."""
    hidden_by_default = kind in Body.CONFIDENTIAL_BY_DEFAULT or bool(parent and parent.confidential)
    return kind in RIGHTS_BODY_KINDS or (confidential is False and hidden_by_default)


def body_change_grants_rights(body, changes: dict) -> bool:
    """A change of a body's confidentiality, or of its kind into or out of a kind whose
    members lead the congress or see confidential work."""
    if "confidential" in changes and changes["confidential"] != body.confidential:
        return True
    kind = changes.get("kind", body.kind)
    return kind != body.kind and bool({kind, body.kind} & RIGHTS_BODY_KINDS)


@described(
    _("Nobody adds, promotes or removes themselves: another leader of the congress must do it."),
)
def changes_own_membership(actor, user_id: int | None) -> bool:
    """Nobody adds, promotes, demotes or removes themselves; staff may, and it is audited."""
    return user_id is not None and user_id == actor.pk and not actor.is_staff


@described(
    _("Only the congress's leaders or the head of this body may change its members."),
)
def may_manage_members(body, actor) -> bool:
    """Who enters a body's members and changes the body: the congress's leaders, the office
    of its organization, the body's own head, staff (congress.roles.may_manage_body)."""
    return may_manage_body(body, actor)


def decides_rights(congress, actor) -> bool:
    """Whose rights-granting changes take effect at once: staff, a head or deputy of the
    congress's standing committee, or, while the congress has none, of the superior
    organization's standing committee (never an office by being one)."""
    if actor.is_staff:
        return True
    return actor.pk in rights_decider_ids(congress)


def _standing_committee_leaders(congress_id: int) -> QuerySet:
    return Membership.objects.filter(
        body__congress_id=congress_id, body__kind=STANDING_COMMITTEE, role__in=LEADING
    )


def rights_deciding_congress_id(congress) -> int | None:
    """The congress whose standing committee's heads and deputies decide the congress's
    rights: its own while it has any; else the superior organization's latest congress that
    has some; None when there is neither (staff alone decide then)."""
    if _standing_committee_leaders(congress.pk).exists():
        return congress.pk
    parent_id = congress.organization.parent_id
    if parent_id is None:
        return None
    superior = Membership.objects.filter(
        body__kind=STANDING_COMMITTEE,
        role__in=LEADING,
        body__congress__organization_id=parent_id,
    ).order_by("-body__congress__number", "-body__congress_id")
    return superior.values_list("body__congress_id", flat=True).first()


def rights_decider_ids(congress) -> set[int]:
    """decides_rights as a query (staff left out): the heads and deputies of the standing
    committee of rights_deciding_congress_id."""
    deciding = rights_deciding_congress_id(congress)
    if deciding is None:
        return set()
    return set(_standing_committee_leaders(deciding).values_list("user_id", flat=True))


def proposal_subject_id(proposal) -> int | None:
    return proposal.user_id


@described(
    _(
        "Only the head or a deputy of the standing committee (of the superior organization while "
        "this congress has none) may confirm or reject it, and not a change of their own "
        "membership."
    ),
)
def may_decide_proposal(proposal, user) -> bool:
    """A rights decider of the proposal's congress confirms or rejects it; nobody decides a
    change of their own membership (staff aside)."""
    if changes_own_membership(user, proposal_subject_id(proposal)):
        return False
    return decides_rights(proposal.congress, user)


@described(_("Only who made the proposal may withdraw it."))
def made_proposal(proposal, user) -> bool:
    return proposal.proposed_by_id is not None and proposal.proposed_by_id == user.pk


def proposals_decided_by(user, proposals: QuerySet) -> QuerySet:
    """may_decide_proposal as a query: of `proposals`, those the user may confirm or reject
    (the congress's own standing committee leaders, or the superior's while it has none)."""
    if user.is_staff:
        return proposals
    led = Membership.objects.filter(
        user=user, body__kind=STANDING_COMMITTEE, role__in=LEADING
    ).values_list("body__congress_id", "body__congress__organization_id")
    own_ids = {congress_id for congress_id, _org in led}
    organization_ids = {org for _c, org in led}
    candidates = proposals.filter(
        Q(congress_id__in=own_ids) | Q(congress__organization__parent_id__in=organization_ids)
    ).exclude(user_id=user.pk)
    congresses = {
        p.congress_id: p.congress for p in candidates.select_related("congress__organization")
    }
    allowed = [c for c, congress in congresses.items() if user.pk in rights_decider_ids(congress)]
    return candidates.filter(congress_id__in=allowed)


# The superior's review -----------------------------------------------------------------------
#
# The superior level reviews a document at `superior_review` (Directive 35-CT/TW). When the
# organization above uses the product, its standing committee's head or deputy decides that step
# and its reviewers comment on the draft in the product; when it does not, a secretary of the
# congress records on `superior_review` what the superior decided on paper
# (records_superior_decision). The superior's reading reaches a document at that step only:
# lists, search and events keep the visibility rule of ARCHITECTURE §5.

_SUPERIOR_IN_PRODUCT = "_superior_uses_product"


def _superior_leaders(organization_id) -> QuerySet[Membership]:
    return Membership.objects.filter(
        body__kind=STANDING_COMMITTEE,
        role__in=LEADING,
        body__congress__organization_id=organization_id,
    )


def superior_uses_product(congress) -> bool:
    """The organization above the congress's has a standing committee with a head or deputy
    in one of its congresses. Read once per congress instance."""
    cached = congress.__dict__.get(_SUPERIOR_IN_PRODUCT)
    if cached is None:
        cached = Membership.objects.filter(
            body__kind=STANDING_COMMITTEE,
            role__in=LEADING,
            body__congress__organization__children__congresses=congress.pk,
        ).exists()
        congress.__dict__[_SUPERIOR_IN_PRODUCT] = cached
    return cached


def superior_uses_product_q(congress: str = "congress") -> Exists:
    """superior_uses_product as a query, for rows that keep their congress at `congress`."""
    return Exists(_superior_leaders(OuterRef(f"{congress}__organization__parent_id")))


def superior_in_product(document) -> bool:
    """superior_uses_product of the document's congress: from the row's annotation when the
    selector added it (workflows.selectors.documents.with_workflow_facts), no query."""
    annotated = document.__dict__.get("superior_in_product")
    if annotated is not None:
        return bool(annotated)
    return superior_uses_product(document.congress)


@described(
    _(
        "Only the head or a deputy of the superior organization's standing committee decides the "
        "superior level's review (a secretary of the standing committee or the steering board "
        "records it only where the superior level does not use the product)."
    ),
)
def decides_superior_review(document, user) -> bool:
    """Approve or return at `superior_review`: the superior's standing committee's head or
    deputy when the superior uses the product, else whoever records its decision."""
    if user.is_staff:
        return True
    if superior_in_product(document):
        return roles_of(user).decides_for_superior(document.congress_id)
    return records_superior_decision(document, user)


def _superior_q(congress_id: int) -> Q:
    """Memberships of the standing committees above the congress's organization, as far as
    the superior's roles reach (congress.models.superior_paths, the query of role_rows)."""
    above = Q()
    for path in superior_paths():
        above |= Q(**{f"{path}__id": congress_id})
    return Q(body__kind=STANDING_COMMITTEE) & above


def superior_decider_ids(document) -> set[int]:
    """decides_superior_review as a query where the superior uses the product (staff left
    out): the heads and deputies of the standing committees above the congress."""
    if not superior_in_product(document):
        return set()
    leaders = Membership.objects.filter(_superior_q(document.congress_id), role__in=LEADING)
    return set(leaders.values_list("user_id", flat=True))


def reviews_for_superior(document, user) -> bool:
    """Reads the document under the superior's review and comments on it for the superior:
    staff, the superior's standing committee, and the reviewers named for the congress and the
    document's kind (the personnel plan only those named for it); only where the superior uses
    the product."""
    if not superior_in_product(document):
        return False
    return user.is_staff or roles_of(user).reviews_for_superior(document.congress_id, document.kind)


def superior_reviewer_ids(document) -> set[int]:
    """reviews_for_superior as a query (staff left out): the members of the standing
    committees above the congress, and the reviewers named for it and the document's kind."""
    if not superior_in_product(document):
        return set()
    members = Membership.objects.filter(_superior_q(document.congress_id))
    if document.kind == PERSONNEL_PLAN:
        kinds = Q(document_kind=PERSONNEL_PLAN)
    else:
        kinds = Q(document_kind__in=[ALL_KINDS, document.kind])
    named = SuperiorReviewer.objects.filter(kinds, congress_id=document.congress_id)
    return set(members.values_list("user_id", flat=True)) | set(
        named.values_list("user_id", flat=True)
    )


def documents_reviewed_for_superior(user, documents: QuerySet) -> QuerySet:
    """reviews_for_superior as a query: of `documents`, those the user reads and comments on
    for the superior, in any state (the caller picks `superior_review`)."""
    documents = documents.filter(superior_uses_product_q())
    if user.is_staff:
        return documents
    roles = roles_of(user)
    followed = [c for c, held in roles.superior.items() if held]
    everything_but_personnel: list[int] = []
    personnel: list[int] = []
    by_kind: dict[str, list[int]] = {}
    for congress_id, kinds in roles.reviews.items():
        if ALL_KINDS in kinds:
            everything_but_personnel.append(congress_id)
        for kind in kinds - {ALL_KINDS}:
            (personnel if kind == PERSONNEL_PLAN else by_kind.setdefault(kind, [])).append(
                congress_id
            )
    reviewed = Q(congress_id__in=followed)
    reviewed |= Q(congress_id__in=everything_but_personnel) & ~Q(kind=PERSONNEL_PLAN)
    reviewed |= Q(congress_id__in=personnel, kind=PERSONNEL_PLAN)
    for kind, congress_ids in by_kind.items():
        reviewed |= Q(congress_id__in=congress_ids, kind=kind)
    return documents.filter(reviewed)


# Oversight: who follows the congresses under an organization (issue 22, flow 3) --------------
#
# The superior level follows its subordinates' preparation: the organization's office (or an
# office above it) and the members of its standing committee. What each of them then sees of a
# subordinate congress is the visibility rule's (ARCHITECTURE §5): none of them is in a body of
# it, so the personnel subcommittee's work stays out of every figure.


@described(
    _(
        "Only staff, the office of this organization (or of one above it) and the members of "
        "its standing committee follow the congresses under it."
    ),
)
def may_oversee(user, organization: Organization) -> bool:
    """Staff; the office of the organization or of one above it (congress.roles.office_covers);
    a member of the standing committee of one of the organization's congresses (the superior
    level of the congresses under it: congress.roles, SUPERIOR). organizations_overseen_by is
    the query form."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff or office_covers(user, organization):
        return True
    return Membership.objects.filter(
        user=user, body__kind=STANDING_COMMITTEE, body__congress__organization=organization
    ).exists()


def organizations_overseen_by(user) -> QuerySet[Organization]:
    """may_oversee as a query: the organizations the user may follow the congresses under."""
    if user is None or not user.is_authenticated:
        return Organization.objects.none()
    if user.is_staff:
        return Organization.objects.all()
    seats = Membership.objects.filter(user=user, body__kind=STANDING_COMMITTEE)
    return Organization.objects.filter(
        Q(pk__in=organizations_run_by(user).values("pk"))
        | Q(pk__in=seats.values("body__congress__organization_id"))
    )


def oversees_something(user) -> bool:
    """Whether the navigation offers the oversight page, from the roles already read (no
    query): staff, someone who follows a congress from above (a seat in a standing committee
    above it), or an office that covers a congress."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    roles = roles_of(user)
    if any(roles.superior.values()):
        return True
    return any(OFFICE in kinds for kinds in roles.kind_roles.values())
