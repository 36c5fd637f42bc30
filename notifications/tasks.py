"""Celery tasks: thin wrappers that take ids and call the services; safe to run twice."""

import logging

from celery import shared_task

from notifications import email, services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def dispatch_event(event_id: int) -> int:
    return len(services.event_dispatch(event_id))


@shared_task
def redispatch_events() -> int:
    """Every 10 seconds: events not dispatched within 10 seconds are dispatched now."""
    return services.events_redispatch()


@shared_task(bind=True, acks_late=True, max_retries=email.MAX_ATTEMPTS)
def send_emails(self, delivery_ids: list[int]) -> int:
    """Send one email for a recipient's deliveries, retrying transient errors with
    exponential backoff. The failure is recorded on each attempt; after the last one the
    deliveries are marked failed (visible in the admin, where they can be retried)."""
    try:
        return email.deliveries_send(delivery_ids)
    except email.TransientEmailError as error:
        if self.request.is_eager:
            return 0  # embedded: the periodic sweep retries after send_after
        countdown = email.backoff(self.request.retries + 1).total_seconds()
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task
def send_due_emails() -> int:
    """Every minute: batched, delayed (quiet hours) and retried emails whose time has come."""
    batches = email.due_batches()
    for batch in batches:
        send_emails.delay(batch)
    return len(batches)
