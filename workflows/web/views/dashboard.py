"""The home page and a congress's dashboard."""

from django.shortcuts import redirect, render

from congress import roles
from congress.selectors import congresses_visible_to
from congress.workdays import WorkingCalendar
from workflows.models import Document
from workflows.selectors.deadlines import next_deadlines
from workflows.selectors.documents import documents_waiting_for
from workflows.selectors.tasks import congress_dashboard, my_open_tasks, tasks_waiting_for_review
from workflows.web.chart import open_tasks_chart
from workflows.web.forecast import forecast_card
from workflows.web.views.base import SESSION_CONGRESS, current_congress, render_page, web_view
from workflows.web.views.congress_pages import lifecycle_actions

FRAGMENTS = {"dashboard": "web/_dashboard.html"}


@web_view
def home(request):
    """Straight to the dashboard of the user's congress; a chooser when there are several."""
    congresses = list(congresses_visible_to(request.user)[:2])
    if not congresses:
        return render(request, "web/no_congress.html")
    remembered = request.session.get(SESSION_CONGRESS)
    if len(congresses) == 1 or remembered:
        congress = current_congress(request)
        return redirect("web-dashboard", pk=congress.pk)
    # Following congresses from above (an office, the superior's standing committee or its
    # reviewers) does not move the landing page off the one congress the user works in.
    own = roles.own_congress_ids(request.user)
    if len(own) == 1:
        congress = current_congress(request, own[0])
        return redirect("web-dashboard", pk=congress.pk)
    return redirect("web-congresses")


@web_view
def congress_choose(request):
    congresses = congresses_visible_to(request.user).order_by("-opens_on", "id")
    return render(request, "web/congresses.html", {"congresses": congresses})


@web_view
def congress_dashboard_page(request, pk):
    congress = current_congress(request, pk)
    user = request.user
    calendar = WorkingCalendar()
    figures = congress_dashboard(user, congress, calendar=calendar)
    bodies = [b for b in figures["bodies"] if b["total"]]
    for body in bodies:
        body["percent"] = round(100 * body["done"] / body["total"]) if body["total"] else 0
    states = figures["documents_by_state"]
    deadlines, deadlines_total = next_deadlines(user, congress)
    context = {
        "congress": congress,
        "figures": figures,
        "bodies": bodies,
        "documents_by_state": [
            (value, label, states.get(value, 0))
            for value, label in Document.Status.choices
            if states.get(value)
        ],
        "deadlines": deadlines,
        "deadlines_total": deadlines_total,
        "my_tasks": my_open_tasks(user, congress),
        "review_tasks": tasks_waiting_for_review(user, congress),
        "review_documents": documents_waiting_for(user, congress),
        "chart": open_tasks_chart(user, congress, figures["superior_review_due"]),
        **forecast_card(user, congress, calendar=calendar),
        "lifecycle": lifecycle_actions(user, congress),
        "may_edit": roles.sets_up_congress(user, congress.pk),
        "nav": "dashboard",
    }
    return render_page(request, "web/dashboard.html", context, FRAGMENTS)
