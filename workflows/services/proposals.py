"""Rights proposals (workflows.models.RightsProposal): a change of who sees confidential work
or leads the congress, entered by someone who may set the congress up but not decide it,
waits for the standing committee's head or deputy. Each proposal and decision is audited in
the body's history and told to the deciders (or, once decided, to who proposed it)."""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from congress.errors import Conflict
from congress.models import Body, Congress, User
from congress.roles import roles_of
from notifications.services import event_record
from workflows import events, rules
from workflows.models.proposals import RightsProposal
from workflows.services.transitions import audit_record

Action = RightsProposal.Action


def proposal_make(
    *,
    actor: User,
    congress: Congress,
    action: str,
    summary: str,
    body: Body | None = None,
    user: User | None = None,
    role: str = "",
    changes: dict[str, object] | None = None,
) -> RightsProposal:
    """Record the proposal (one pending proposal per change: the same one twice is a 409),
    audit it on the body and tell the deciders."""
    same = RightsProposal.objects.filter(
        congress=congress, action=action, body=body, user=user, status="pending"
    )
    if action == Action.BODY_CREATE:
        same = same.filter(changes__kind=(changes or {}).get("kind"))
    existing = same.first()
    if existing is not None:
        raise Conflict(
            _("The same change already waits for the standing committee's confirmation."),
            code="proposal_pending",
            proposal=existing.pk,
        )
    proposal = RightsProposal.objects.create(
        congress=congress,
        action=action,
        body=body,
        user=user,
        role=role,
        changes=changes or {},
        summary=summary[:500],
        proposed_by=actor,
    )
    audit_record(proposal, transition="propose", actor=actor, to_state="pending", note=summary)
    proposal_tell(proposal, actor, events.PROPOSAL_MADE, sorted(rules.rights_decider_ids(congress)))
    return proposal


def proposals_seen_by(user: User | AnonymousUser) -> QuerySet[RightsProposal]:
    """The proposals a user may read: those of the congresses they are in (bodies and members
    are not secret), those they may decide and those they made."""
    everything = RightsProposal.objects.all()
    if not user.is_authenticated:
        return everything.none()
    if user.is_staff:
        return everything
    mine = everything.filter(proposed_by=user).values("pk")
    decided = rules.proposals_decided_by(user, everything).values("pk")
    in_congress = everything.filter(congress_id__in=list(roles_of(user).kind_roles)).values("pk")
    return everything.filter(Q(pk__in=mine) | Q(pk__in=decided) | Q(pk__in=in_congress))


def proposal_tell(
    proposal: RightsProposal, actor: User, event_type: str, audience: Iterable[int | None]
) -> None:
    """The event of a proposal, recorded in the congress of those it is for: a superior
    standing committee deciding for a congress it is not in hears of it in its own."""
    congress_id = proposal.congress_id
    if event_type == events.PROPOSAL_MADE:
        deciding = rules.rights_deciding_congress_id(proposal.congress)
        congress_id = deciding or congress_id
    event_record(
        congress_id=congress_id,
        type=event_type,
        object_kind="proposal",
        object_id=proposal.pk,
        actor=actor,
        audience=audience,
        data={
            "status": proposal.status,
            "version": proposal.version,
            "title": proposal.summary,
            "congress": proposal.congress_id,
            "body": proposal.body_id,
            "reason": proposal.reason,
        },
    )
