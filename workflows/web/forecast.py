"""What the schedule forecasts for the two milestones, in words, with the tasks that drive it:
the dashboard's forecast card and the timeline page's header."""

import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from congress.workdays import WorkingCalendar
from workflows.schedule import (
    OPENING,
    SUPERIOR_REVIEW,
    Schedule,
    congress_schedule,
    driving_chain,
    schedule_inputs_key,
    slack_text,
)

logger = logging.getLogger(__name__)
CACHE_SECONDS = 24 * 3600  # the key holds the day: an entry is never read the day after

MILESTONE_LABELS = {
    SUPERIOR_REVIEW: _("the superior level's review deadline"),
    OPENING: _("the opening"),
}


@dataclass
class Forecast:
    key: str
    label: str
    text: str
    late: bool
    slack: int | None
    on: object
    forecast: object
    chain: list[dict]


def forecasts(schedule: Schedule) -> list[Forecast]:
    found = []
    for milestone in schedule.milestones:
        label = MILESTONE_LABELS[milestone.key]
        slack = milestone.slack
        if slack is None:
            text = _("Forecast: no task of the plan is tied to %(milestone)s.") % {
                "milestone": label
            }
        elif slack < 0:
            text = ngettext(
                "Forecast: %(n)s working day late for %(milestone)s.",
                "Forecast: %(n)s working days late for %(milestone)s.",
                -slack,
            ) % {"n": -slack, "milestone": label}
        elif slack == 0:
            text = _("Forecast: done on the day of %(milestone)s, with no day to spare.") % {
                "milestone": label
            }
        else:
            text = ngettext(
                "Forecast: done %(n)s working day before %(milestone)s.",
                "Forecast: done %(n)s working days before %(milestone)s.",
                slack,
            ) % {"n": slack, "milestone": label}
        found.append(
            Forecast(
                key=milestone.key,
                label=str(label),
                text=text,
                late=slack is not None and slack < 0,
                slack=slack,
                on=milestone.on,
                forecast=schedule.date(milestone.forecast)
                if milestone.forecast is not None
                else None,
                chain=_described(schedule, driving_chain(schedule, milestone.driver))
                if milestone.driver is not None
                else [],
            )
        )
    return found


def driving_tasks(schedule: Schedule, limit: int = 5) -> list[dict]:
    """The critical path's open tasks, first ones first (what to act on)."""
    return _described(schedule, schedule.critical_path[:limit])


def _described(schedule: Schedule, task_ids: list[int]) -> list[dict]:
    nodes = [schedule.nodes[i] for i in task_ids if not schedule.nodes[i].done]
    return [{"id": n.id, "title": n.title, "slack_text": slack_text(n.slack)} for n in nodes]


def forecast_card(user, congress, *, calendar: WorkingCalendar | None = None) -> dict:
    """The dashboard's forecast card (`forecasts`, `driving`), cached under the key of what the
    schedule depends on (`schedule_inputs_key`: the tasks the user may see, their fields and
    links, the opening, the calendar, the day) and the language of its words. Every change of
    a task, a dependency, a body's confidentiality or the user's roles gives another key, so a
    view after it computes the schedule afresh; users who see the same tasks share an entry."""
    today = timezone.localdate()
    calendar = calendar or WorkingCalendar()
    inputs = schedule_inputs_key(user, congress, today=today, calendar=calendar)
    key = f"forecast-card:1:{inputs}:{get_language()}"
    try:
        card = cache.get(key)
    except Exception:  # the cache is down: the card is computed, the page still answers
        logger.warning("forecast cache: get failed", exc_info=True)
        card = None
    if card is None:
        schedule = congress_schedule(user, congress, today=today, calendar=calendar)
        card = {"forecasts": forecasts(schedule), "driving": driving_tasks(schedule)}
        try:
            cache.set(key, card, CACHE_SECONDS)
        except Exception:
            logger.warning("forecast cache: set failed", exc_info=True)
    return card
