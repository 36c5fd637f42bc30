"""A congress's own form (number, term, dates, venue; a moved opening shows the plan's
re-dating first and applies both in one step) and its lifecycle steps from the dashboard,
each with what it will do and a confirmation."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import roles
from congress.errors import DomainError
from congress.fsm import available_transitions
from congress.models import Congress
from congress.selectors import congresses_visible_to
from congress.services import congress_update
from workflows.selectors.congresses import open_documents, open_tasks
from workflows.services.congresses import congress_transition
from workflows.services.plans import congress_update_redating, plan_redate_preview
from workflows.services.transfers import congress_transfer, transfer_mapping
from workflows.web.plan_forms import CongressEditForm, LifecycleForm
from workflows.web.setup_forms import show_error
from workflows.web.views.base import current_congress, render_page, web_view

EDITED = ("number", "term_start", "term_end", "opens_on", "closes_on", "venue")
LIFECYCLE = {
    "start_preparation": gettext_lazy("Start the preparation"),
    "open_session": gettext_lazy("Open the session"),
    "close": gettext_lazy("Close the congress"),
    "cancel": gettext_lazy("Cancel the congress"),
    "transfer": gettext_lazy("Hand over to the successor's congress"),
}


def _forbidden(request, text):
    return render(request, "web/forbidden.html", {"text": text}, status=403)


@web_view
def congress_edit_page(request, pk):
    congress = current_congress(request, pk)
    if not roles.sets_up_congress(request.user, congress.pk):
        return _forbidden(request, roles.sets_up_congress.description)
    initial = {name: getattr(congress, name) for name in EDITED}
    form = CongressEditForm(request.POST or None, initial=initial)
    context = {"congress": congress, "form": form, "nav": "setup"}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        moves = data["opens_on"] != congress.opens_on and congress.plan_opens_on is not None
        leads = roles.leads_congress(request.user, congress.pk)
        try:
            # Confirmed only for the date its preview showed: a date changed after the
            # preview is previewed again.
            confirmed = request.POST.get("previewed") == data["opens_on"].isoformat()
            if moves and leads and not (request.POST.get("confirm") == "redate" and confirmed):
                context["redate"] = plan_redate_preview(
                    actor=request.user, congress_id=congress.pk, opens_on=data["opens_on"]
                )
                return render_page(request, "web/plan/congress_edit.html", context)
            if moves and leads:
                congress_update_redating(actor=request.user, congress_id=congress.pk, **data)
            else:
                congress_update(actor=request.user, congress_id=congress.pk, **data)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Congress saved."))
            return redirect("web-dashboard", pk=congress.pk)
    context["plan_stays"] = congress.plan_opens_on is not None and not roles.leads_congress(
        request.user, congress.pk
    )
    return render_page(request, "web/plan/congress_edit.html", context)


def lifecycle_actions(user, congress) -> list[tuple[str, str]]:
    """The lifecycle steps the user may take now, with their words."""
    names = available_transitions(congress, user)
    return [(name, str(LIFECYCLE[name])) for name in LIFECYCLE if name in names]


@web_view
def congress_transition_page(request, pk, name):
    congress = current_congress(request, pk)
    if name not in LIFECYCLE:
        return render(request, "web/404.html", status=404)
    if not roles.leads_congress(request.user, congress.pk):
        return _forbidden(request, roles.may_lead_congress.description)
    successors = _successors(request.user, congress) if name == "transfer" else []
    posting = request.method == "POST"
    form = LifecycleForm(
        request.POST if posting else request.GET or None,
        successors=successors,
        name=name,
        confirming=posting,
    )
    context = {
        "congress": congress,
        "name": name,
        "label": LIFECYCLE[name],
        "form": form,
        "nav": "dashboard",
        "target": _target(name),
    }
    if posting and form.is_valid():
        try:
            _perform(request.user, congress, name, form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": LIFECYCLE[name]})
            return redirect("web-dashboard", pk=congress.pk)
    context.update(_preview(congress, name, form))
    return render_page(request, "web/plan/congress_transition.html", context)


def _target(name) -> str:
    targets = {
        "start_preparation": Congress.Status.PREPARING,
        "open_session": Congress.Status.IN_SESSION,
        "close": Congress.Status.CLOSED,
        "cancel": Congress.Status.CANCELLED,
        "transfer": Congress.Status.TRANSFERRED,
    }
    return Congress.Status(targets[name]).label


def _perform(actor, congress, name, data) -> None:
    if name == "transfer":
        congress_transfer(
            actor=actor,
            congress_id=congress.pk,
            successor_congress_id=data["successor_congress"],
            note=data["note"],
            version=data["version"],
        )
        return
    congress_transition(
        actor=actor,
        congress_id=congress.pk,
        name=name,
        note=data["note"],
        reason=data["reason"],
        version=data["version"],
    )


def _successors(user, congress) -> list[Congress]:
    """The open congresses of the organization's successor that the user may see."""
    successor_id = congress.organization.successor_id
    if successor_id is None:
        return []
    return list(
        congresses_visible_to(user)
        .filter(organization_id=successor_id, status__in=Congress.OPEN_STATES)
        .order_by("-opens_on", "id")
    )


def _preview(congress, name, form) -> dict:
    """What the step will do: the open work a cancellation ends, or where a hand-over puts
    each body's open work (the mapping `congress_transfer` uses)."""
    tasks, documents = open_tasks(congress), open_documents(congress)
    preview = {"open_tasks": tasks.count(), "open_documents": documents.count()}
    chosen = getattr(form, "cleaned_data", {}) if form.is_bound and form.is_valid() else {}
    successor_id = chosen.get("successor_congress")
    if name == "transfer" and successor_id:
        successor = next(
            (c for c in form.fields["successor_congress"].valid_choices if c.pk == successor_id),
            None,
        )
        needed = set(tasks.values_list("body_id", flat=True)) | set(
            documents.values_list("body_id", flat=True)
        )
        try:
            mapping = transfer_mapping(congress, successor, {}, needed)
        except DomainError as error:
            show_error(form, error)
        else:
            bodies = {b.pk: b for b in congress.bodies.all()}
            preview["mapping"] = [(bodies[old], new) for old, new in sorted(mapping.items())]
            preview["successor"] = successor
    return preview
