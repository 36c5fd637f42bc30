"""Setting a congress up from the web: a new congress, its set-up checklist, and its bodies
with their members. Every change goes through congress.services and workflows.services; a
refusal is shown next to the form that failed, with what was typed kept."""

from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from congress import roles
from congress.collation import person_sort_key
from congress.errors import DomainError
from congress.models import Body
from congress.services import congress_create
from workflows.models import Document, RightsProposal
from workflows.selectors.bodies import (
    bodies_with_member_counts,
    memberships_by_body,
    open_task_counts,
    organizations_for_congresses,
)
from workflows.selectors.documents import documents_visible_to
from workflows.selectors.tasks import tasks_visible_to
from workflows.services.bodies import body_create, body_update
from workflows.services.memberships import membership_remove, membership_set
from workflows.services.proposals import proposals_seen_by
from workflows.services.tasks import task_update
from workflows.web.actions import proposal_actions
from workflows.web.setup_forms import (
    BodyCreateForm,
    BodyUpdateForm,
    CongressCreateForm,
    MemberAddForm,
    MemberChangeForm,
    show_error,
)
from workflows.web.views.base import current_congress, render_page, web_view

CLOSED = ("done", "cancelled")
SUBCOMMITTEES = (
    Body.Kind.DOCUMENTS,
    Body.Kind.PERSONNEL,
    Body.Kind.ORGANIZATION,
    Body.Kind.PROPAGANDA,
    Body.Kind.SOCIOECONOMIC,
)


@web_view
def congress_new_page(request):
    organizations = list(organizations_for_congresses(request.user))
    if not organizations:
        messages.error(request, str(roles.may_create_congress.description))
        return redirect("web-home")
    form = CongressCreateForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["organization"] = form.organizations[data["organization"]]
        try:
            congress = congress_create(actor=request.user, **data)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Congress created: %(title)s") % {"title": congress.title})
            return redirect("web-setup", pk=congress.pk)
    return render(request, "web/setup/new.html", {"form": form, "nav": "setup"})


@dataclass
class Step:
    key: str
    title: str
    done: bool
    detail: str
    link: str
    link_label: str
    more_link: str = ""
    more_label: str = ""


@web_view
def congress_setup_page(request, pk):
    congress = current_congress(request, pk)
    steps = setup_steps(request.user, congress)
    context = {
        "congress": congress,
        "steps": steps,
        "done_count": sum(step.done for step in steps),
        "may_set_up": roles.sets_up_congress(request.user, congress.pk),
        "nav": "setup",
    }
    return render_page(request, "web/setup/checklist.html", context)


def setup_steps(user, congress) -> list[Step]:
    """Each step of setting a congress up and whether it is done, counted over what the user
    may see (a confidential body's tasks are not counted for someone outside it)."""
    bodies = bodies_with_member_counts(congress)
    kinds = {b.kind for b in bodies}
    subcommittees = [b for b in bodies if b.kind in SUBCOMMITTEES]
    empty = [b.name for b in bodies if not b.member_count]
    tasks = tasks_visible_to(user).filter(congress=congress)
    planned = tasks.filter(plan_item__isnull=False).count()
    dated = tasks.filter(due_at__isnull=False).count()
    documents = documents_visible_to(user).filter(congress=congress)
    report = documents.filter(kind=Document.Kind.POLITICAL_REPORT).exists()
    bodies_page = reverse("web-bodies", args=[congress.pk])
    documents_link = f"{reverse('web-document-new')}?congress={congress.pk}"
    has_bodies = {Body.Kind.STANDING_COMMITTEE, Body.Kind.STEERING_BOARD} <= kinds
    return [
        Step(
            "bodies",
            _("Bodies"),
            has_bodies and bool(subcommittees),
            _("Standing committee: %(sc)s · steering board: %(sb)s · subcommittees: %(n)s")
            % {
                "sc": _yes_no(Body.Kind.STANDING_COMMITTEE in kinds),
                "sb": _yes_no(Body.Kind.STEERING_BOARD in kinds),
                "n": len(subcommittees),
            },
            bodies_page,
            _("Set up the bodies"),
        ),
        Step(
            "members",
            _("Members"),
            bool(bodies) and not empty,
            _members_detail(bodies, empty),
            bodies_page,
            _("Add members"),
            reverse("web-members-import", args=[congress.pk]),
            _("Import members from a spreadsheet"),
        ),
        Step(
            "plan",
            _("Plan applied"),
            congress.plan_opens_on is not None or planned > 0,
            _("%(count)s tasks from the plan template") % {"count": planned},
            reverse("web-plan", args=[congress.pk]),
            _("Apply a plan template"),
        ),
        Step(
            "documents",
            _("Documents"),
            report,
            _("The political report exists.") if report else _("No political report yet."),
            documents_link,
            _("Create the documents"),
        ),
        Step(
            "deadlines",
            _("First deadlines"),
            dated > 0,
            _("%(count)s tasks with a due date") % {"count": dated},
            f"{reverse('web-task-create')}?congress={congress.pk}",
            _("Plan a task"),
        ),
    ]


def _members_detail(bodies, empty) -> str:
    if not bodies:
        return _("No bodies yet.")
    if empty:
        return _("Bodies without members: %(names)s") % {"names": ", ".join(empty)}
    return _("Every body has members.")


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


# Bodies and members


@web_view
def bodies_page(request, pk):
    congress = current_congress(request, pk)
    bodies = _bodies_in_order(congress)
    failed = None  # the one bound form that failed: shown where it was, with what was typed
    if request.method == "POST":
        result = _post(request, congress, {b.pk: b for b in bodies})
        if not isinstance(result, tuple):
            return result
        failed = result
    context = {
        "congress": congress,
        "proposals": _pending_proposals(request.user, congress),
        "cards": _cards(request.user, congress, bodies, failed),
        "create_form": failed[1] if failed and failed[0] == "create" else _create_form(bodies),
        "may_create": roles.sets_up_congress(request.user, congress.pk),
        "nav": "setup",
    }
    return render_page(request, "web/setup/bodies.html", context)


def _pending_proposals(user, congress) -> list[dict]:
    """The congress's changes of rights waiting for the standing committee, with what the
    user may do about each (confirm, reject, withdraw)."""
    pending = proposals_seen_by(user).filter(
        congress=congress, status=RightsProposal.Status.PENDING
    )
    pending = pending.select_related("congress__organization", "proposed_by")
    return [
        {"proposal": p, "actions": proposal_actions(p, user)}
        for p in pending.order_by("proposed_at", "id")
    ]


def _bodies_in_order(congress) -> list[Body]:
    """Each body followed by the bodies under it, with its depth (for indenting)."""
    bodies = list(congress.bodies.order_by("id"))
    children: dict[int | None, list[Body]] = {}
    for body in bodies:
        children.setdefault(body.parent_id, []).append(body)
    ordered: list[Body] = []

    def walk(parent_id, depth):
        for body in children.get(parent_id, []):
            if body in ordered:
                continue
            body.depth = depth
            ordered.append(body)
            walk(body.pk, depth + 1)

    walk(None, 0)
    return ordered


def _create_form(bodies, data=None):
    return BodyCreateForm(data, bodies=bodies, prefix="create")


def _cards(user, congress, bodies, failed) -> list[dict]:
    memberships = memberships_by_body(congress)
    open_counts = open_task_counts(user, congress)
    may_confidential = roles.may_set_confidential(bodies[0], user) if bodies else False
    cards = []
    for body in bodies:
        manage = roles.may_manage_body(body, user)
        members = memberships.get(body.pk, [])
        card = {"body": body, "manage": manage, "members": []}
        for membership in members:
            key = ("member", body.pk, membership.user_id)
            form = failed[1] if failed and failed[0] == key else None
            if manage and form is None:
                form = _change_form(body, membership, members)
            card["members"].append(
                {
                    "membership": membership,
                    "open_tasks": open_counts.get((body.pk, membership.user_id), 0),
                    "form": form,
                }
            )
        if manage:
            card["add_form"] = _pick(failed, ("add", body.pk)) or MemberAddForm(
                prefix=f"add-{body.pk}"
            )
            card["update_form"] = _pick(failed, ("update", body.pk)) or BodyUpdateForm(
                body=body,
                bodies=bodies,
                may_set_confidential=may_confidential,
                prefix=f"update-{body.pk}",
            )
        cards.append(card)
    return cards


def _pick(failed, key):
    return failed[1] if failed and failed[0] == key else None


def _change_form(body, membership, members, data=None):
    others = [m.user for m in members if m.user_id != membership.user_id]
    return MemberChangeForm(
        data,
        others=others,
        initial={"role": membership.role},
        prefix=f"member-{body.pk}-{membership.user_id}",
    )


def _post(request, congress, bodies: dict[int, Body]):
    """Do what the form asked and go back to the page (a redirect), or return (key, form)
    of the form that failed."""
    action = request.POST.get("action", "")
    body = bodies.get(_int(request.POST.get("body")))
    if action == "create":
        return _create(request, congress, bodies)
    if body is None:
        messages.error(request, _("This body is not in this congress."))
        return redirect("web-bodies", pk=congress.pk)
    handler = {"update": _update, "add": _add, "member": _member}.get(action)
    if handler is None:
        return redirect("web-bodies", pk=congress.pk)
    if not roles.may_manage_body(body, request.user):
        # Before any form is read: whether an account exists is not told to everyone.
        messages.error(
            request,
            _("Only the congress's leaders or the head of this body may change its members."),
        )
        return _back(congress, body)
    return handler(request, congress, body, bodies)


def _int(value) -> int | None:
    return int(value) if value and value.isdecimal() and len(value) <= 18 else None


def _back(congress, body=None):
    url = reverse("web-bodies", args=[congress.pk])
    return redirect(f"{url}#body-{body.pk}" if body else url)


def _create(request, congress, bodies):
    form = _create_form(list(bodies.values()), request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            body = body_create(
                actor=request.user,
                congress=congress,
                kind=data["kind"],
                name=data["name"],
                parent=bodies.get(data["parent"]),
            )
        except DomainError as error:
            show_error(form, error)
        else:
            if isinstance(body, RightsProposal):
                return _proposed(request, congress, body)
            messages.success(request, _("Body created: %(name)s") % {"name": body.name})
            return _back(congress, body)
    return ("create", form)


def _proposed(request, congress, proposal, body=None):
    messages.info(
        request,
        _("Proposed: %(summary)s. It takes effect when the standing committee confirms it.")
        % {"summary": proposal.summary},
    )
    return _back(congress, body)


def _update(request, congress, body, bodies):
    form = BodyUpdateForm(
        request.POST,
        body=body,
        bodies=list(bodies.values()),
        may_set_confidential=roles.may_set_confidential(body, request.user),
        prefix=f"update-{body.pk}",
    )
    if form.is_valid():
        changes = dict(form.cleaned_data)
        changes["parent"] = bodies.get(changes["parent"])
        try:
            change = body_update(actor=request.user, body_id=body.pk, **changes)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Body saved: %(name)s") % {"name": change.body.name})
            if change.proposal is not None:
                return _proposed(request, congress, change.proposal, body)
            return _back(congress, body)
    return (("update", body.pk), form)


def _add(request, congress, body, bodies):
    form = MemberAddForm(request.POST, prefix=f"add-{body.pk}")
    if form.is_valid():
        user = form.cleaned_data["user"]
        try:
            made = membership_set(
                actor=request.user, body=body, user=user, role=form.cleaned_data["role"]
            )
        except DomainError as error:
            show_error(form, error)
        else:
            if isinstance(made, RightsProposal):
                return _proposed(request, congress, made, body)
            messages.success(
                request,
                _("%(name)s added to %(body)s.")
                % {"name": user.get_full_name() or user.username, "body": body.name},
            )
            return _back(congress, body)
    return (("add", body.pk), form)


def _member(request, congress, body, bodies):
    members = sorted(body.memberships.select_related("user"), key=lambda m: person_sort_key(m.user))
    membership = next((m for m in members if m.user_id == _int(request.POST.get("user"))), None)
    if membership is None:
        messages.error(request, _("This user is not a member of this body."))
        return _back(congress, body)
    form = _change_form(body, membership, members, request.POST)
    key = ("member", body.pk, membership.user_id)
    if not form.is_valid():
        return (key, form)
    removing = request.POST.get("remove") is not None
    try:
        if removing:
            made = _remove(
                request.user, body, membership, members, form.cleaned_data["reassign_to"]
            )
        else:
            made = membership_set(
                actor=request.user, body=body, user=membership.user, role=form.cleaned_data["role"]
            )
    except DomainError as error:
        show_error(form, error)
        return (key, form)
    if isinstance(made, RightsProposal):
        return _proposed(request, congress, made, body)
    name = membership.user.get_full_name() or membership.user.username
    text = _("%(name)s removed from %(body)s.") if removing else _("Role of %(name)s saved.")
    messages.success(request, text % {"name": name, "body": body.name})
    return _back(congress, body)


@transaction.atomic
def _remove(actor, body, membership, members, reassign_to) -> RightsProposal | None:
    """Hand the member's open tasks in the body to another member (through the task service:
    its rules, audit and events), then remove them; a refusal undoes both."""
    if reassign_to is not None:
        new = next(m.user for m in members if m.user_id == reassign_to)
        open_tasks = (
            tasks_visible_to(actor)
            .filter(body=body, assignee_id=membership.user_id)
            .exclude(status__in=CLOSED)
            .values_list("pk", flat=True)
        )
        for task_id in list(open_tasks):
            task_update(actor=actor, task_id=task_id, assignee=new)
    return membership_remove(actor=actor, body=body, user_id=membership.user_id)
