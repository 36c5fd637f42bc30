"""The plan as a timeline: a Gantt of the schedule grouped by body, the critical path and the
milestones; a list by week at phone width. The schedule is computed over the whole plan the
user may see (the passes need every task); only one page of its rows is laid out and drawn."""

from django.core.paginator import Paginator
from django.utils.http import urlencode

from workflows.schedule import congress_schedule
from workflows.selectors.bodies import visible_bodies
from workflows.web import gantt as layout
from workflows.web.forecast import MILESTONE_LABELS, driving_tasks, forecasts
from workflows.web.forms import TimelineFilterForm
from workflows.web.views.base import current_congress, render_page, web_view

FRAGMENTS = {"timeline": "web/_timeline.html"}


@web_view
def timeline_page(request, pk):
    congress = current_congress(request, pk)
    schedule = congress_schedule(request.user, congress)
    bodies = visible_bodies(request.user, congress)
    form = TimelineFilterForm(request.GET, bodies=bodies)
    filters = form.values()
    page, sort = _rows_page(schedule, filters, request.GET.get("page"))
    milestones = [(m, MILESTONE_LABELS[m.key]) for m in schedule.milestones]
    names = {body.pk: body.name for body in bodies}
    gantt = layout.gantt_layout(schedule, page.object_list, names, filters["zoom"], milestones)
    late, critical = layout.late_and_critical_counts(schedule)
    context = {
        "congress": congress,
        "schedule": schedule,
        "gantt": gantt,
        "weeks": layout.weeks_list(gantt),
        "forecasts": forecasts(schedule),
        "driving": driving_tasks(schedule),
        "unscheduled_count": len(schedule.unscheduled),
        "zoom": filters["zoom"],
        "form": form,
        "filters": {**filters, "sort": sort},
        "page": page,
        "late_count": late,
        "critical_count": critical,
        "links": _links(filters, page),
        "nav": "timeline",
    }
    return render_page(request, "web/timeline.html", context, FRAGMENTS)


def _rows_page(schedule, filters: dict, number):
    """The page of rows to draw, and their order. A plan that fits in one page reads best in
    schedule order (as the Gantt always drew it); a larger one opens on what needs attention:
    the critical path and the late tasks."""
    rows = layout.timeline_rows(schedule, body_id=filters["body_id"], only=filters["only"])
    sort = filters["sort"] or (
        layout.SORT_START if len(rows) <= layout.PAGE_SIZE else layout.SORT_SLACK
    )
    paginator = Paginator(layout.rows_sorted(rows, sort), layout.PAGE_SIZE)
    return paginator.get_page(_page_number(number)), sort


def _page_number(value) -> int:
    """A page number; anything but a positive number is the first page (one past the last is
    the last, as Django's paginator does)."""
    if not (value and value.isdecimal() and len(value) <= 9):
        return 1
    return max(int(value), 1)


def _links(filters: dict, page) -> dict[str, str]:
    """The zoom and page links, keeping the other (valid) filters; built from what was
    understood, so a malformed parameter does not follow the reader from page to page."""
    kept = {
        "body": filters["body_id"],
        "only": filters["only"],
        "sort": filters["sort"],
        "zoom": filters["zoom"] if filters["zoom"] != layout.DEFAULT_ZOOM else None,
    }

    def link(**changes) -> str:
        params = {k: v for k, v in {**kept, **changes}.items() if v not in (None, "")}
        return "?" + urlencode(params)

    here = page.number if page.number > 1 else None
    links = {"week": link(zoom="week", page=here), "month": link(zoom=None, page=here)}
    if page.has_previous():
        links["previous"] = link(page=page.previous_page_number())
    if page.has_next():
        links["next"] = link(page=page.next_page_number())
    return links
