"""The oversight page (`/oversight/`, issue 22, flow 3): the congresses under an organization
the user follows from above, one row each (a table on a desk, cards on a phone), sortable
and filterable by the address's parameters, with the same list as Excel."""

from django import forms
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from congress.errors import NotFound
from congress.models import Congress, Organization
from workflows import rules
from workflows.models import Document
from workflows.selectors.oversight import (
    OversightRow,
    organization_for_oversight,
    organizations_to_oversee,
    oversight_rows,
)
from workflows.web.views.base import page_of, web_view

PAGE_SIZE = 50
ORDERING_LABELS = {
    "opening": _("Opening, soonest first"),
    "-opening": _("Opening, latest first"),
    "days_to_deadline": _("Days to the superior review deadline, fewest first"),
    "-days_to_deadline": _("Days to the superior review deadline, most first"),
    "-late_by": _("Forecast, most late first"),
    "late_by": _("Forecast, most days to spare first"),
    "done_share": _("Share of tasks done, lowest first"),
    "-done_share": _("Share of tasks done, highest first"),
}
# The columns whose heading sorts the table, and the order a first click asks for.
SORTABLE = {
    "opening": "opening",
    "days_to_deadline": "days_to_deadline",
    "late_by": "-late_by",
    "done_share": "done_share",
}


class OversightFilterForm(forms.Form):
    organization = forms.TypedChoiceField(label=_("Organization"), coerce=int, required=False)
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("All levels")), *Organization.Level.choices],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All states")), *Congress.Status.choices]
    )
    late = forms.ChoiceField(
        label=_("Forecast"),
        required=False,
        choices=[("", _("All")), ("true", _("Late")), ("false", _("Not late"))],
    )
    ordering = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=list(ORDERING_LABELS.items())
    )

    def __init__(self, data: QueryDict, organizations: list[Organization]):
        super().__init__(data)
        self.fields["organization"].choices = [(o.pk, o.name) for o in organizations]

    def chosen(self) -> dict:
        """What the address asks for, each parameter that is not one of the choices left at
        its default (a page never refuses its own links)."""
        self.is_valid()
        found = self.cleaned_data
        late = found.get("late")
        return {
            "levels": [found["level"]] if found.get("level") else [],
            "statuses": [found["status"]] if found.get("status") else [],
            "late": {"true": True, "false": False}.get(late or ""),
            "ordering": found.get("ordering") or "opening",
        }


@web_view
def oversight_page(request):
    organizations = organizations_to_oversee(request.user)
    organization = _organization(request, organizations)
    if organization is None:
        return render(request, "web/oversight/none.html", {"nav": "oversight"})
    if organization not in organizations:  # one they may oversee, with nobody under it
        organizations = [organization, *organizations]
    form = OversightFilterForm(request.GET, organizations)
    chosen = form.chosen()
    rows = oversight_rows(request.user, organization, **chosen)
    page = page_of(request, rows, PAGE_SIZE, count=len(rows))
    query = request.GET.copy()
    query.pop("page", None)
    query["organization"] = str(organization.pk)
    context = {
        "form": form,
        "organization": organization,
        "page": page,
        "entries": [_entry(row) for row in page.object_list],
        "late_count": sum(row.forecast.late for row in rows),
        "waiting_count": sum(len(row.waiting) for row in rows),
        "ordering": chosen["ordering"],
        "sort_links": _sort_links(query, chosen["ordering"]),
        "export_url": reverse("organization-oversight-xlsx", args=[organization.pk])
        + _api_query(chosen),
        # The superior's office also directs: push plans, name reviewers, mark the pilot.
        "directs": rules.may_push_plan(organization, request.user),
        "nav": "oversight",
    }
    return render(request, "web/oversight/page.html", context)


def _entry(row: OversightRow) -> dict:
    """A row with what its cells show in words: the documents' states in their order, with
    their labels, and how many working days ago a passed deadline was."""
    states = row.documents_by_state
    return {
        "row": row,
        "states": [
            (value, label, states[value])
            for value, label in Document.Status.choices
            if value in states
        ],
        "days_past": max(0, -row.days_to_deadline),
    }


def _organization(request, organizations: list[Organization]) -> Organization | None:
    """The organization asked for (404 if the user may not oversee it), else the first to
    choose from (None when there is none)."""
    raw = request.GET.get("organization")
    if not raw:
        return organizations[0] if organizations else None
    if not (raw.isdecimal() and len(raw) <= 18):
        raise NotFound("Not found.")
    return organization_for_oversight(request.user, int(raw))


def _sort_links(query: QueryDict, ordering: str) -> dict[str, str]:
    """Each sortable column's link: its first order, or the reverse when the table is sorted
    by it already; the other filters kept."""
    links = {}
    for column, first in SORTABLE.items():
        asked = query.copy()
        reverse_of_first = first[1:] if first.startswith("-") else f"-{first}"
        asked["ordering"] = reverse_of_first if ordering == first else first
        links[column] = f"?{asked.urlencode()}"
    return links


def _api_query(chosen: dict) -> str:
    """The page's filters, as checked, in the export's query string (the API's names)."""
    asked = QueryDict(mutable=True)
    for level in chosen["levels"]:
        asked.appendlist("level", level)
    for status in chosen["statuses"]:
        asked.appendlist("status", status)
    if chosen["late"] is not None:
        asked["late"] = "true" if chosen["late"] else "false"
    if chosen["ordering"] != "opening":
        asked["ordering"] = chosen["ordering"]
    return f"?{asked.urlencode()}" if asked else ""
