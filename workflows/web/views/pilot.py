"""`/congresses/{id}/pilot/`: the pilot congress's plan and approved documents, read-only, for
the people of the congresses under the same superior (workflows.selectors.pilot)."""

from django.shortcuts import render

from workflows.selectors.pilot import pilot_documents, pilot_plan, pilot_readable_by
from workflows.web.views.base import render_page, web_view


@web_view
def pilot_page(request, pk):
    pilot = pilot_readable_by(request.user, pk)
    if pilot is None:
        return render(request, "web/404.html", status=404)
    context = {
        "pilot": pilot,
        "tasks": pilot_plan(pilot)[:500],
        "documents": pilot_documents(pilot),
        "nav": "plan",
    }
    return render_page(request, "web/superior/pilot.html", context)
