"""The transition pages of tasks and documents: one flow for both."""

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from congress.errors import DomainError, NotFound
from workflows.web.actions import action_named
from workflows.web.forms import TransitionForm
from workflows.web.views.base import redirect_back, refuse, web_view


def transition_page(request, obj, name, *, labels, service, id_field, page, nav, extra=()):
    """POST: do transition `name` of `obj` through `service` (its id keyword `id_field`, plus
    the form fields named in `extra`) and go back. GET, or a POST without the note, reason or
    date the transition needs: the prompt page (what the dialog shows when JavaScript runs).
    `page` is the URL name of the object's page."""
    action = action_named(obj, name, labels)
    if action is None:
        raise NotFound("Not found.")
    form = TransitionForm(request.POST or None, initial={"version": obj.version})
    field = action.needs or action.requires
    written = request.POST.get(field, "").strip() if field else "ok"
    back = reverse(page, args=[obj.pk])
    if request.method != "POST" or not written or not form.is_valid():
        if request.method == "POST" and not written:
            messages.error(request, _("Please fill in: %(what)s.") % {"what": action.prompt_label})
        return _prompt(request, obj, action, form, back=back, nav=nav)
    data = form.cleaned_data
    try:
        service(
            actor=request.user,
            **{id_field: obj.pk},
            name=name,
            note=data.get("note") or "",
            reason=data.get("reason") or "",
            version=data.get("version"),
            **{key: data.get(key) for key in extra},
        )
    except DomainError as error:
        refuse(request, error, action=action, obj=obj)
    else:
        messages.success(
            request, _("%(action)s: %(title)s") % {"action": action.label, "title": obj.title}
        )
    return redirect_back(request, back)


def _prompt(request, obj, action, form, *, back: str, nav: str):
    context = {
        "object": obj,
        "action": action,
        "form": form,
        "post_url": request.path,
        "back_url": request.POST.get("next") or back,
        "congress": obj.congress,
        "nav": nav,
    }
    return render(request, "web/transition_prompt.html", context)


def transition_view(get, **options):
    """The page view of one kind's transitions: `get(user, pk)` finds the object (404 for who
    may not see it), `options` are transition_page's."""

    @web_view
    def view(request, pk, name):
        return transition_page(request, get(request.user, pk), name, **options)

    return view
