"""Writes on bodies that leave a trail in the audit log, which lives above the core: the API,
the pages, the import and the admin change bodies through here, never through
congress.services directly. A change that grants rights (workflows.rules) made by someone who
does not decide them becomes a proposal (workflows.services.proposals)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from congress import roles
from congress import services as core
from congress.errors import Forbidden, NotFound
from congress.models import Body, Congress
from congress.selectors import bodies_visible_to
from workflows import rules
from workflows.models.proposals import RightsProposal
from workflows.services.proposals import proposal_make
from workflows.services.transitions import audit_record


@dataclass
class BodyChange:
    """What a body change did: the body as it is now, and the proposal of the part that waits
    for the standing committee (None when everything took effect)."""

    body: Body
    proposal: RightsProposal | None = None


def _shown(name: str, value) -> str:
    if name == "parent":
        return value.name if value is not None else "—"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _note(body: Body, changes: dict) -> str:
    return ", ".join(
        f"{name}: {_shown(name, getattr(body, name))} → {_shown(name, value)}"
        for name, value in changes.items()
    )


@transaction.atomic
def body_create(
    *,
    actor,
    congress: Congress,
    kind: str,
    name: str,
    parent: Body | None = None,
    confidential: bool | None = None,
) -> Body | RightsProposal:
    """Create a body; a standing committee or steering board created by someone who does not
    decide rights is a proposal until the standing committee confirms it."""
    if not roles.sets_up_congress(actor, congress.pk):
        raise Forbidden(roles.sets_up_congress.description, code="body_create_forbidden")
    grants = rules.body_creation_grants_rights(kind, confidential, parent)
    if grants and not rules.decides_rights(congress, actor):
        core.body_create_check(congress=congress, kind=kind, parent=parent)
        label = dict(Body.Kind.choices)[kind]
        return proposal_make(
            actor=actor,
            congress=congress,
            action=RightsProposal.Action.BODY_CREATE,
            summary=_("Create the body “%(name)s” (%(kind)s)") % {"name": name, "kind": label},
            changes={
                "kind": kind,
                "name": name,
                "parent": parent.pk if parent else None,
                "confidential": confidential,
            },
        )
    body = core.body_insert(
        actor=actor,
        congress=congress,
        kind=kind,
        name=name,
        parent=parent,
        confidential=confidential,
    )
    if grants:
        audit_record(body, transition="create", actor=actor, note=body.name)
    return body


@transaction.atomic
def body_update(*, actor, body_id: int, **changes) -> BodyChange:
    """Change a body (congress.services.body_apply: the `body.updated` event, the rights of
    everyone in the congress) and write the audit entry of what changed, old and new values,
    in the same transaction. Its confidentiality is the standing committee's to decide: the
    office's change of it is a proposal, anyone else's refused; a change of kind that grants
    rights waits for the standing committee too."""
    body = bodies_visible_to(actor).select_for_update(of=("self",)).filter(pk=body_id).first()
    if body is None:
        raise NotFound(_("Not found."))
    if not roles.sets_up_congress(actor, body.congress_id):
        raise Forbidden(roles.sets_up_congress.description, code="body_edit_forbidden")
    changed = {n: changes[n] for n in core.BODY_EDITABLE if n in changes}
    changed = {n: v for n, v in changed.items() if v != getattr(body, n)}
    decides = rules.decides_rights(body.congress, actor) or roles.may_set_confidential(body, actor)
    waiting = {}
    if "confidential" in changed and not decides:
        if not roles.roles_of(actor).runs_office(body.congress_id):
            raise Forbidden(
                roles.may_set_confidential.description, code="body_confidential_forbidden"
            )
        waiting["confidential"] = changed.pop("confidential")
    if "kind" in changed and not decides and rules.body_change_grants_rights(body, changed):
        waiting["kind"] = changed.pop("kind")
    if changed:
        body = body_changes_apply(actor=actor, body=body, changes=changed)
    proposal = None
    if waiting:
        if "kind" in waiting:
            core.body_create_check(congress=body.congress, kind=waiting["kind"], other_than=body.pk)
        proposal = proposal_make(
            actor=actor,
            congress=body.congress,
            action=RightsProposal.Action.BODY_UPDATE,
            body=body,
            summary=_("Change %(body)s: %(changes)s")
            % {"body": body.name, "changes": _note(body, waiting)},
            changes=waiting,
        )
    return BodyChange(body=body, proposal=proposal)


def body_changes_apply(*, actor, body: Body, changes: dict) -> Body:
    """Make the changes (the caller decided they may be made) and audit them."""
    before = {name: getattr(body, name) for name in core.BODY_EDITABLE}
    body = core.body_apply(actor=actor, body=body, **changes)
    changed = [name for name in core.BODY_EDITABLE if getattr(body, name) != before[name]]
    if changed:
        note = ", ".join(
            f"{name}: {_shown(name, before[name])} → {_shown(name, getattr(body, name))}"
            for name in changed
        )
        audit_record(body, transition="update", actor=actor, note=note)
    return body
