"""Warnings before anything is late: when the schedule (workflows/schedule.py) says an open
task will finish after its own due date, a milestone or the latest start of what depends on
it (negative slack), its assignee and its body's head get one notification naming the chain
behind it.

Once per task and forecast finish: the Reminder machinery records (task, "forecast_late",
forecast) under its unique constraint, so two sweeps at once send it once. A later forecast
(it worsens) warns again; the same or an earlier one does not. Computed in the reminder
sweep, and per congress shortly after a change of dates, durations or dependencies
(workflows.jobs.forecast_warnings_soon, debounced), never per request.
"""

from datetime import datetime, time

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.models import Body, Congress
from congress.selectors import heads_of_bodies
from notifications.models import Category, Reminder
from notifications.reminders import ReminderSpec, reminders_send
from workflows.events import page_link
from workflows.models import Task
from workflows.schedule import Schedule, congress_schedule, driving_chain

KIND = "forecast_late"
HIDDEN = _("a task of a confidential body")
WARNED_CONGRESS = (Congress.Status.PLANNING, Congress.Status.PREPARING)


def forecast_warnings_sweep(now: datetime | None = None) -> int:
    """Every congress in planning or preparation: warn about the tasks forecast late."""
    sent = 0
    for congress in Congress.objects.filter(status__in=WARNED_CONGRESS):
        sent += forecast_warnings(congress, now=now)
    return sent


def forecast_warnings(congress: Congress, *, now: datetime | None = None) -> int:
    """Send the warnings of one congress; returns how many notifications went out."""
    now = now or timezone.now()
    schedule = congress_schedule(None, congress, today=timezone.localtime(now).date())
    late = [n for n in schedule.nodes.values() if n.slack is not None and n.slack < 0]
    if not late:
        return 0
    warned = _last_warned([n.id for n in late])
    bodies = {b.pk: b for b in Body.objects.filter(congress=congress)}
    heads = heads_of_bodies(bodies)
    assignees = dict(
        Task.objects.filter(pk__in=[n.id for n in late]).values_list("pk", "assignee_id")
    )
    specs = []
    for node in late:
        forecast = _at(schedule.date(node.ef))
        if node.id in warned and forecast <= warned[node.id]:
            continue  # the same forecast, or a better one: said already
        body = bodies[node.body_id]
        recipients = {u: Category.REMINDER for u in heads.get(body.pk, set())}
        if assignees.get(node.id):
            recipients[assignees[node.id]] = Category.REMINDER
        specs.append(_spec(congress, schedule, node, body, bodies, forecast, recipients))
    return len(reminders_send(specs).notifications)


def _last_warned(task_ids: list[int]) -> dict[int, datetime]:
    rows = (
        Reminder.objects.filter(object_kind="task", object_id__in=task_ids, kind=KIND)
        .values("object_id")
        .annotate(last=Max("deadline"))
        .values_list("object_id", "last")
    )
    return dict(rows)


def _at(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(17, 0)))


def _spec(congress, schedule: Schedule, node, body, bodies, forecast, recipients):
    chain = [schedule.nodes[i] for i in driving_chain(schedule, node.id)]
    # The chain may pass through a confidential body's work: named only inside that body.
    names = [
        n.title if n.body_id == body.pk or not bodies[n.body_id].confidential else str(HIDDEN)
        for n in chain
    ]
    return ReminderSpec(
        congress_id=congress.pk,
        object_kind="task",
        object_id=node.id,
        kind=KIND,
        deadline=forecast,
        recipients=recipients,
        subject=node.title,
        days=-node.slack,
        body_id=body.pk,
        confidential=body.confidential,
        link=page_link("task", node.id),
        facts={"chain": names, "finish": schedule.date(node.ef)},
    )
