"""Who is in which body: the entry points the API, the pages, the member import and the admin
use (never congress.services directly). Nobody changes their own membership (staff aside);
a change that grants rights (workflows.rules.membership_grants_rights) made by someone who
does not decide rights waits for the standing committee as a proposal. Every change is
audited in the body's history."""

from django.db import transaction
from django.utils.translation import gettext as _

from congress import services as core
from congress.errors import Forbidden, NotFound
from congress.models import Body, Membership
from workflows import rules
from workflows.models.proposals import RightsProposal
from workflows.services.proposals import proposal_make
from workflows.services.transitions import audit_record


def _person(user) -> str:
    return user.get_full_name() or user.username


def _role_label(role: str | None) -> str:
    if role is None:
        return "—"
    return str(dict(Membership.Role.choices).get(role, "—"))


def membership_check(*, actor, body: Body, user_id: int | None) -> None:
    """The checks every membership change passes first (the import asks them per row)."""
    if not rules.may_manage_members(body, actor):
        raise Forbidden(rules.may_manage_members.description, code="membership_forbidden")
    if rules.changes_own_membership(actor, user_id):
        raise Forbidden(rules.changes_own_membership.description, code="membership_self")


def membership_waits(*, actor, body: Body, old_role: str | None, new_role: str | None) -> bool:
    """Whether the change becomes a proposal for the standing committee."""
    return rules.membership_grants_rights(body, old_role, new_role) and not rules.decides_rights(
        body.congress, actor
    )


@transaction.atomic
def membership_set(*, actor, body: Body, user, role: str) -> Membership | RightsProposal:
    """Add a member or change their role: done, or proposed when it grants rights."""
    membership_check(actor=actor, body=body, user_id=user.pk)
    old = Membership.objects.filter(body=body, user=user).values_list("role", flat=True).first()
    facts = {"person": _person(user), "body": body.name, "role": _role_label(role)}
    if old is None:
        summary = _("Add %(person)s to %(body)s as %(role)s") % facts
    else:
        summary = _("%(person)s in %(body)s: %(old)s → %(role)s") % {
            **facts,
            "old": _role_label(old),
        }
    if membership_waits(actor=actor, body=body, old_role=old, new_role=role):
        return proposal_make(
            actor=actor,
            congress=body.congress,
            action=RightsProposal.Action.MEMBERSHIP_SET,
            body=body,
            user=user,
            role=role,
            summary=summary,
        )
    membership = core.membership_put(actor=actor, body=body, user=user, role=role)
    if old != role:
        audit_record(body, transition="member_set", actor=actor, note=summary)
    return membership


@transaction.atomic
def membership_remove(*, actor, body: Body, user_id: int) -> RightsProposal | None:
    """Remove a member: done (None), or proposed when it takes rights away."""
    membership_check(actor=actor, body=body, user_id=user_id)
    membership = (
        Membership.objects.filter(body=body, user_id=user_id).select_related("user").first()
    )
    if membership is None:
        raise NotFound(_("This user is not a member of this body."))
    summary = _("Remove %(person)s from %(body)s") % {
        "person": _person(membership.user),
        "body": body.name,
    }
    if membership_waits(actor=actor, body=body, old_role=membership.role, new_role=None):
        core.membership_remove_check(body=body, user_id=user_id)
        return proposal_make(
            actor=actor,
            congress=body.congress,
            action=RightsProposal.Action.MEMBERSHIP_REMOVE,
            body=body,
            user=membership.user,
            summary=summary,
        )
    core.membership_delete(actor=actor, body=body, user_id=user_id)
    audit_record(body, transition="member_remove", actor=actor, note=summary)
    return None
