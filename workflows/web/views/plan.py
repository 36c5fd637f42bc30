"""The plan page of a congress: its plan's tasks by body for everyone in it, and for its
leaders, a template applied after its preview and the plan re-dated after its preview. The
previews come from the same service functions as the writes (workflows.services.plans)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from congress import roles
from congress.errors import DomainError
from congress.plans import plan_templates
from workflows.selectors.pilot import pilot_for
from workflows.selectors.tasks import tasks_visible_to
from workflows.services.plan_directives import directive_for
from workflows.services.plans import (
    plan_apply,
    plan_apply_preview,
    plan_redate,
    plan_redate_preview,
)
from workflows.web.plan_forms import PlanApplyForm, RedateForm
from workflows.web.setup_forms import show_error
from workflows.web.views.base import current_congress, render_page, web_view


def plan_by_body(user, congress) -> list[tuple]:
    """(body, its plan tasks by due date) for the plan tasks the user may see."""
    tasks = (
        tasks_visible_to(user)
        .filter(congress=congress, plan_item__isnull=False)
        .select_related("body", "assignee")
        .order_by("body_id", "due_at", "id")
    )
    groups: dict[int, tuple] = {}
    for task in tasks:
        groups.setdefault(task.body_id, (task.body, []))[1].append(task)
    return list(groups.values())


@web_view
def plan_page(request, pk):
    congress = current_congress(request, pk)
    leads = roles.leads_congress(request.user, congress.pk)
    context = {
        "congress": congress,
        "groups": plan_by_body(request.user, congress),
        "leads": leads,
        "pilot": pilot_for(request.user, congress),
        "nav": "plan",
    }
    if request.method == "POST" and not leads:
        refusal = {"text": roles.may_lead_congress.description, "congress": congress}
        return render(request, "web/forbidden.html", refusal, status=403)
    if leads:
        result = _leader_forms(request, congress, context)
        if result is not None:
            return result
    return render_page(request, "web/plan/plan.html", context)


def _bound(request, action: str, key: str):
    """The data a form reads: what was posted for its action, or its preview's query."""
    if request.method == "POST":
        return request.POST if request.POST.get("action") == action else None
    return request.GET if key in request.GET else None


def _leader_forms(request, congress, context):
    """The apply and re-date forms with their previews; a redirect after a write."""
    directive = directive_for(congress)
    apply_form = PlanApplyForm(
        _bound(request, "apply", "template"),
        templates=plan_templates(),
        initial={"template": directive.template_id} if directive else None,
    )
    context["directive"] = directive
    redate_form = RedateForm(
        _bound(request, "redate", "opens_on"), initial={"opens_on": congress.opens_on}
    )
    context.update(apply_form=apply_form, redate_form=redate_form)
    posting = request.method == "POST"
    if apply_form.is_bound and apply_form.is_valid():
        done = _apply_step(request, congress, apply_form, context, posting)
        if done:
            return done
    if redate_form.is_bound and redate_form.is_valid():
        done = _redate_step(request, congress, redate_form, context, posting)
        if done:
            return done
    return None


def _apply_step(request, congress, form, context, posting):
    template_id = form.cleaned_data["template"]
    try:
        if not posting:
            context["proposal"] = plan_apply_preview(
                actor=request.user, congress_id=congress.pk, template_id=template_id
            )
            return None
        applied = plan_apply(actor=request.user, congress_id=congress.pk, template_id=template_id)
    except DomainError as error:
        show_error(form, error)
        return None
    messages.success(
        request, _("Plan applied: %(count)s tasks created.") % {"count": len(applied.tasks)}
    )
    return redirect("web-plan", pk=congress.pk)


def _redate_step(request, congress, form, context, posting):
    opens_on = form.cleaned_data["opens_on"]
    try:
        if not posting:
            context["redate"] = plan_redate_preview(
                actor=request.user, congress_id=congress.pk, opens_on=opens_on
            )
            return None
        result = plan_redate(actor=request.user, congress_id=congress.pk, opens_on=opens_on)
    except DomainError as error:
        show_error(form, error)
        return None
    messages.success(
        request, _("Plan re-dated: %(count)s tasks moved.") % {"count": len(result.moves)}
    )
    return redirect("web-plan", pk=congress.pk)
