"""`/superior/plans/`: the superior organization's office pushes a plan template to the
congresses under it (all, or those ticked) with a date to apply it by, and sees who applied it
and when (workflows.services.plan_directives)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.errors import DomainError, Forbidden
from congress.plans import plan_templates
from workflows import rules
from workflows.selectors.bodies import organizations_for_congresses
from workflows.services import plan_directives as service
from workflows.web.plan_forms import DATE_INPUT, DATE_WIDGET
from workflows.web.setup_forms import show_error
from workflows.web.views.base import render_page, web_view


class PushForm(forms.Form):
    template = forms.TypedChoiceField(label=gettext_lazy("Plan template"), coerce=int)
    deadline = forms.DateField(
        label=gettext_lazy("Apply by"), input_formats=DATE_INPUT, widget=DATE_WIDGET
    )
    congresses = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Congresses"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: every open congress under the organization."),
    )

    def __init__(self, *args, templates=(), congresses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(t.pk, t.name) for t in templates]
        self.fields["congresses"].choices = [(c.pk, c.title) for c in congresses]


@web_view
def superior_plans_page(request):
    organizations = list(organizations_for_congresses(request.user))
    wanted = request.GET.get("organization", "")
    own = request.user.office_organization_ids()  # the office's own organization first
    default = next((o for o in organizations if o.pk in own), None) or (
        organizations[0] if organizations else None
    )
    organization = next(
        (o for o in organizations if wanted.isdecimal() and o.pk == int(wanted[:18])), default
    )
    if organization is None:
        text = str(rules.may_push_plan.description)
        return render(request, "web/forbidden.html", {"text": text}, status=403)
    try:
        organization = service.organization_for_pushing(request.user, organization.pk)
    except Forbidden as error:
        return render(request, "web/forbidden.html", {"text": error.message}, status=403)
    congresses = list(service.pushable_congresses(organization))
    form = PushForm(request.POST or None, templates=plan_templates(), congresses=congresses)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pushed = service.plan_push(
                actor=request.user,
                organization_id=organization.pk,
                template_id=data["template"],
                deadline=data["deadline"],
                congress_ids=data["congresses"] or None,
            )
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("The plan is pushed to %(count)s congresses.") % {"count": len(pushed)},
            )
            return redirect(f"{request.path}?organization={organization.pk}")
    context = {
        "organization": organization,
        "organizations": organizations,
        "form": form,
        "directives": service.directives_of(organization),
        "nav": "oversight",
    }
    return render_page(request, "web/superior/plans.html", context)
