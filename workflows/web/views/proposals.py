"""Rights proposals in the web: what waits for the user's confirmation (the standing
committee's head or deputy, of this congress or of one below it that has none yet), what the
user proposed, and what was decided in their congresses."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.errors import NotFound
from workflows import rules
from workflows.models import RightsProposal
from workflows.services.proposal_decisions import proposal_transition, proposals_confirm
from workflows.services.proposals import proposals_seen_by
from workflows.web.actions import PROPOSAL_LABELS, proposal_actions
from workflows.web.views.base import render_page, web_view
from workflows.web.views.transitions import transition_view

RECENT = 50
MOST_AT_ONCE = 500


def _rows(user, proposals) -> list[dict]:
    return [{"proposal": p, "actions": proposal_actions(p, user)} for p in proposals]


@web_view
def proposals_page(request):
    user = request.user
    seen = proposals_seen_by(user).select_related(
        "congress__organization", "body", "user", "proposed_by", "decided_by"
    )
    pending = seen.filter(status=RightsProposal.Status.PENDING)
    to_decide = rules.proposals_decided_by(user, pending).order_by("proposed_at", "id")
    decide_ids = {p.pk for p in to_decide}
    context = {
        "to_decide": _rows(user, to_decide),
        "waiting": _rows(user, pending.exclude(pk__in=decide_ids).order_by("proposed_at", "id")),
        "decided": _rows(user, seen.exclude(status=RightsProposal.Status.PENDING)[:RECENT]),
        "nav": "setup",
    }
    return render_page(request, "web/proposals/list.html", context)


@require_POST
@web_view
def proposals_confirm_page(request):
    """ "Confirm all": the proposals the page listed as waiting for the user, by id."""
    ids = [int(v) for v in request.POST.getlist("proposal") if v.isdecimal() and len(v) <= 18]
    confirmed, refusals = proposals_confirm(actor=request.user, proposal_ids=ids[:MOST_AT_ONCE])
    if confirmed:
        messages.success(request, _("%(count)s changes confirmed.") % {"count": confirmed})
    for refusal in refusals:
        messages.error(request, refusal)
    return redirect("web-proposals")


def proposal_get(user, pk) -> RightsProposal:
    found = proposals_seen_by(user).select_related("congress__organization").filter(pk=pk).first()
    if found is None:
        raise NotFound("Not found.")
    return found


@web_view
def proposal_page(request, pk):
    proposal_get(request.user, pk)  # 404 for who may not see it
    return redirect(f"/proposals/#proposal-{pk}")


proposal_transition_page = transition_view(
    proposal_get,
    labels=PROPOSAL_LABELS,
    service=proposal_transition,
    id_field="proposal_id",
    page="web-proposal",
    nav="setup",
)
