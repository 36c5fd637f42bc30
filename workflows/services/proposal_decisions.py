"""Deciding a rights proposal (workflows.services.proposals): confirmed, the change is made
as the decider's own act, audited in the body's history; rejected, with a reason; withdrawn by
who made it. Who hears of it: who made it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import services as core
from congress.errors import DomainError, NotFound
from congress.models import Body
from workflows import events
from workflows.models.proposals import RightsProposal
from workflows.services.bodies import body_changes_apply
from workflows.services.proposals import proposal_tell, proposals_seen_by
from workflows.services.transitions import audit_record, perform_transition

Action = RightsProposal.Action


def proposal_transition(
    *, actor, proposal_id: int, name: str, reason: str = "", note: str = "", version=None
) -> RightsProposal:
    """Confirm (the change is made, as the decider's act), reject (with a reason) or
    withdraw (its author) a pending proposal."""
    with transaction.atomic():
        proposal = (
            proposals_seen_by(actor)
            .select_for_update(of=("self",))
            .select_related("congress__organization", "body")
            .filter(pk=proposal_id)
            .first()
        )
        if proposal is None:
            raise NotFound(_("Not found."))
        perform_transition(
            proposal, name=name, actor=actor, note=note, reason=reason, version=version
        )
        if name != "withdraw":
            proposal.decided_by, proposal.decided_at = actor, timezone.now()
            proposal.save(update_fields=["decided_by", "decided_at"])
        if name == "confirm":
            _apply(proposal, actor)
        audience = [proposal.proposed_by_id] if name != "withdraw" else []
        proposal_tell(proposal, actor, events.PROPOSAL_DECIDED, audience)
    return proposal


def proposals_confirm(*, actor, proposal_ids: list[int]) -> tuple[int, list[str]]:
    """Confirm several proposals (the rows of an import, say), each on its own: one that can
    no longer be made is left pending and said why. Returns (confirmed, refusals)."""
    confirmed, refusals = 0, []
    for proposal_id in proposal_ids:
        try:
            proposal_transition(actor=actor, proposal_id=proposal_id, name="confirm")
        except DomainError as error:
            refusals.append(f"#{proposal_id}: {error.message}")
        else:
            confirmed += 1
    return confirmed, refusals


def _apply(proposal: RightsProposal, actor) -> None:
    """Make the change the proposal describes, as done by the decider (the proposal's
    `confirm` entry in the body's history says so)."""
    body = proposal.body
    # Every proposal but BODY_CREATE names its body; a membership proposal names its user.
    if proposal.action == Action.MEMBERSHIP_SET:
        assert body is not None
        core.membership_put(actor=actor, body=body, user=proposal.user, role=proposal.role)
    elif proposal.action == Action.MEMBERSHIP_REMOVE:
        assert body is not None and proposal.user_id is not None
        core.membership_delete(actor=actor, body=body, user_id=proposal.user_id)
    elif proposal.action == Action.BODY_CREATE:
        data = proposal.changes
        parent = Body.objects.filter(pk=data.get("parent"), congress=proposal.congress).first()
        body = core.body_insert(
            actor=actor,
            congress=proposal.congress,
            kind=data["kind"],
            name=data["name"],
            parent=parent,
            confidential=data.get("confidential"),
        )
        proposal.body = body
        proposal.save(update_fields=["body"])
        # The proposal's own entries name no body yet: the new body's history starts here.
        audit_record(body, transition="create", actor=actor, note=proposal.summary)
    elif proposal.action == Action.BODY_UPDATE:
        assert body is not None
        body_changes_apply(actor=actor, body=body, changes=_body_changes(proposal))


def _body_changes(proposal: RightsProposal) -> dict:
    changes = dict(proposal.changes)
    if "parent" in changes:
        changes["parent"] = Body.objects.filter(
            pk=changes["parent"], congress=proposal.congress
        ).first()
    return changes
