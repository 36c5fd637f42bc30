"""Celery jobs of workflows (not its Task model): thin wrappers of the periodic sweeps (celery
beat in production, the in-process timer when embedded). Both are safe to run twice or at the
same time."""

from celery import shared_task
from django.core.cache import cache

from congress.models import Congress
from workflows.digest import digests_send
from workflows.forecast_warnings import forecast_warnings, forecast_warnings_sweep
from workflows.reminders import reminders_sweep
from workflows.upward_warnings import upward_warnings_sweep

DEBOUNCE_SECONDS = 60


@shared_task
def send_reminders() -> dict[str, int]:
    """Every 5 minutes: the reminder sweep (workflows.reminders.reminders_sweep), the forecast
    warnings and the warnings upward to the superior level."""
    counts = reminders_sweep()
    counts["forecast_late"] = forecast_warnings_sweep()
    counts.update(upward_warnings_sweep())
    return counts


@shared_task
def send_digests() -> dict[str, int]:
    """Every 5 minutes: the daily digests of the users whose digest hour it is."""
    return digests_send()


@shared_task
def send_forecast_warnings(congress_id: int) -> int:
    """The warnings of one congress whose plan changed (see forecast_warnings_soon)."""
    cache.delete(_debounce_key(congress_id))
    congress = Congress.objects.filter(pk=congress_id).first()
    return forecast_warnings(congress) if congress is not None else 0


def forecast_warnings_soon(congress_id: int) -> None:
    """After a change of dates, durations or dependencies: recompute this congress's warnings
    once within the next minute, however many changes come meanwhile."""
    if cache.add(_debounce_key(congress_id), 1, timeout=DEBOUNCE_SECONDS * 2):
        send_forecast_warnings.apply_async((congress_id,), countdown=DEBOUNCE_SECONDS)


def _debounce_key(congress_id: int) -> str:
    return f"forecast-warnings:{congress_id}"
