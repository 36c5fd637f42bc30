"""`/congresses/{id}/superior-reviewers/`: the superior organization's office names who reviews
the congress's documents for it (workflows.services.superior_reviewers), and removes them."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.errors import DomainError, Forbidden
from workflows.models import Document
from workflows.services import superior_reviewers as service
from workflows.services.pilot import pilot_mark
from workflows.web.setup_forms import show_error
from workflows.web.views.base import render_page, web_view


class NameForm(forms.Form):
    user = forms.CharField(
        label=gettext_lazy("Username or email"),
        max_length=254,
        help_text=gettext_lazy("The account of a person of the superior organization."),
    )
    document_kind = forms.ChoiceField(
        label=gettext_lazy("Documents to review"),
        required=False,
        choices=[
            ("", gettext_lazy("Every kind but the personnel plan")),
            *Document.Kind.choices,
        ],
    )


@web_view
def superior_reviewers_page(request, pk):
    try:
        congress = service.congress_for_naming(request.user, pk)
    except Forbidden as error:
        return render(request, "web/forbidden.html", {"text": error.message}, status=403)
    form = NameForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("remove", "").isdecimal():
            return _remove(request, congress, int(request.POST["remove"][:18]))
        if request.POST.get("pilot") in ("on", "off"):
            pilot_mark(
                actor=request.user, congress_id=congress.pk, pilot=request.POST["pilot"] == "on"
            )
            messages.success(request, _("Saved."))
            return redirect("web-superior-reviewers", congress.pk)
        if form.is_valid():
            try:
                service.superior_reviewer_name(
                    actor=request.user, congress_id=congress.pk, **form.cleaned_data
                )
            except DomainError as error:
                show_error(form, error)
            else:
                messages.success(request, _("The reviewer is named."))
                return redirect("web-superior-reviewers", congress.pk)
    kinds = dict(Document.Kind.choices)
    rows = [
        (r, kinds.get(r.document_kind, _("Every kind but the personnel plan")))
        for r in service.reviewers_of(congress)
    ]
    context = {"congress": congress, "form": form, "rows": rows, "nav": "oversight"}
    return render_page(request, "web/superior/reviewers.html", context)


def _remove(request, congress, reviewer_id: int):
    try:
        service.superior_reviewer_remove(
            actor=request.user, congress_id=congress.pk, reviewer_id=reviewer_id
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The reviewer is removed."))
    return redirect("web-superior-reviewers", congress.pk)
