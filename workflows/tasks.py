"""Celery tasks of workflows: thin wrappers of the periodic sweeps (celery beat in production,
the in-process timer when embedded). Both are safe to run twice or at the same time."""

from celery import shared_task

from workflows.digest import digests_send
from workflows.reminders import reminders_sweep


@shared_task
def send_reminders() -> dict[str, int]:
    """Every 5 minutes: the deadline reminders and escalations that are due."""
    return reminders_sweep()


@shared_task
def send_digests() -> dict[str, int]:
    """Every 5 minutes: the daily digests of the users whose digest hour it is."""
    return digests_send()
