"""The plan as a timeline: a Gantt of the schedule grouped by body, the critical path and the
milestones; a list by week at phone width."""

from congress.selectors import bodies_visible_to
from workflows.schedule import congress_schedule
from workflows.web.forecast import MILESTONE_LABELS, driving_tasks, forecasts
from workflows.web.gantt import ZOOMS, gantt_layout, weeks_list
from workflows.web.views.base import current_congress, render_page, web_view

FRAGMENTS = {"timeline": "web/_timeline.html"}


@web_view
def timeline_page(request, pk):
    congress = current_congress(request, pk)
    zoom = request.GET.get("zoom")
    zoom = zoom if zoom in ZOOMS else "month"
    schedule = congress_schedule(request.user, congress)
    bodies = bodies_visible_to(request.user).filter(congress=congress).order_by("id")
    names = {body.pk: body.name for body in bodies}
    milestones = [(m, MILESTONE_LABELS[m.key]) for m in schedule.milestones]
    gantt = gantt_layout(schedule, names, zoom, milestones)
    context = {
        "congress": congress,
        "schedule": schedule,
        "gantt": gantt,
        "weeks": weeks_list(gantt),
        "forecasts": forecasts(schedule),
        "driving": driving_tasks(schedule),
        "unscheduled_count": len(schedule.unscheduled),
        "zoom": zoom,
        "nav": "timeline",
    }
    return render_page(request, "web/timeline.html", context, FRAGMENTS)
