"""Email: queue a delivery per notification, send in batches, retry, never drop.

Assignments and mentions go at once; other categories wait a short batching window so that a
leader gets one email for several changes. Quiet hours delay a message, never drop it. Every
attempt is recorded on the EmailDelivery row (status, attempts, last error).
"""

import logging
import smtplib
from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from notifications import jobs
from notifications.messages import email_content
from notifications.models import IMMEDIATE_CATEGORIES, EmailDelivery, Preference

logger = logging.getLogger(__name__)

BATCH_WINDOW = timedelta(minutes=5)
MAX_ATTEMPTS = 6
# Errors worth another try: the connection, or a 4xx "try again later" from the server.
TRANSIENT_ERRORS = (
    ConnectionError,
    TimeoutError,
    OSError,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
)


def is_transient(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _msg in error.recipients.values())
    return isinstance(error, TRANSIENT_ERRORS)


def backoff(attempt: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min... capped at 30 minutes."""
    return timedelta(seconds=min(30 * 2 ** max(attempt - 1, 0), 1800))


def _after_quiet_hours(moment: datetime, preference: Preference | None) -> datetime:
    if preference is None or preference.quiet_start is None or preference.quiet_end is None:
        return moment
    local = timezone.localtime(moment)
    start, end, now = preference.quiet_start, preference.quiet_end, local.time()
    quiet = (start <= now < end) if start < end else (now >= start or now < end)
    if not quiet:
        return moment
    day = local.date() if now < end else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, end), timezone.get_current_timezone())


def send_after_for(category: str, preference: Preference | None, now: datetime) -> datetime:
    moment = now if category in IMMEDIATE_CATEGORIES else now + BATCH_WINDOW
    return _after_quiet_hours(moment, preference)


def queue_for(notifications) -> list[EmailDelivery]:
    """Queue an email for each notification whose recipient wants email for its category."""
    recipients = {n.recipient_id for n in notifications}
    preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=recipients)}
    now = timezone.now()
    deliveries = []
    for n in notifications:
        preference = preferences.get(n.recipient_id)
        if not n.recipient.email or (preference and n.category in preference.email_off):
            continue
        deliveries.append(
            EmailDelivery(
                notification=n,
                to=n.recipient.email,
                send_after=send_after_for(n.category, preference, now),
            )
        )
    EmailDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    due = [d.notification_id for d in deliveries if d.send_after <= now]
    if due:
        transaction.on_commit(lambda: _enqueue_due(due))
    return deliveries


def _enqueue_due(notification_ids) -> None:
    ids = list(
        EmailDelivery.objects.filter(notification_id__in=notification_ids).values_list(
            "pk", flat=True
        )
    )
    for batch in _batches_by_recipient(ids):
        jobs.enqueue("send_emails", batch)


def _batches_by_recipient(delivery_ids) -> list[list[int]]:
    groups = defaultdict(list)
    for pk, to in EmailDelivery.objects.filter(pk__in=delivery_ids).values_list("pk", "to"):
        groups[to].append(pk)
    return list(groups.values())


def due_batches(now: datetime | None = None) -> list[list[int]]:
    """Queued deliveries whose time has come, grouped by recipient: one email each."""
    now = now or timezone.now()
    due = EmailDelivery.objects.filter(
        status=EmailDelivery.Status.QUEUED, send_after__lte=now
    ).values_list("pk", flat=True)[:5000]
    return _batches_by_recipient(list(due))


class TransientEmailError(Exception):
    """The send failed in a way worth retrying; the failure is already recorded."""


def deliveries_send(delivery_ids) -> int:
    """Send one email for the still-queued deliveries among `delivery_ids` (one recipient).

    The rows are locked so that two workers never send the same batch. A failure is recorded
    on the rows (attempts, last error); a transient one leaves them queued with a later
    `send_after` and raises TransientEmailError after the record is committed, for the caller
    to retry; a permanent one, or the last attempt, marks them failed. Returns how many
    notifications the email carried.
    """
    failure = None
    with transaction.atomic():
        deliveries = list(
            EmailDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=delivery_ids, status=EmailDelivery.Status.QUEUED)
            .select_related("notification", "notification__recipient")
            .order_by("id")
        )
        if not deliveries:
            return 0
        notifications = [d.notification for d in deliveries]
        recipient = notifications[0].recipient
        subject, text, html = email_content(notifications, recipient.language, settings.SITE_URL)
        message = EmailMultiAlternatives(
            subject, text, settings.DEFAULT_FROM_EMAIL, [deliveries[0].to]
        )
        message.attach_alternative(html, "text/html")
        now = timezone.now()
        try:
            message.send()
        except Exception as error:  # recorded on the rows, never dropped
            failure = error
            _record_failure(deliveries, error, now)
        else:
            for d in deliveries:
                d.status, d.sent_at, d.attempts, d.last_error = "sent", now, d.attempts + 1, ""
            EmailDelivery.objects.bulk_update(
                deliveries, ["status", "sent_at", "attempts", "last_error"]
            )
    if failure is not None:
        if deliveries[0].status == EmailDelivery.Status.QUEUED:
            raise TransientEmailError(str(failure)) from failure
        return 0
    return len(deliveries)


def _record_failure(deliveries, error: Exception, now: datetime) -> None:
    final = not is_transient(error) or deliveries[0].attempts + 1 >= MAX_ATTEMPTS
    for d in deliveries:
        d.attempts += 1
        d.last_error = f"{type(error).__name__}: {error}"[:2000]
        d.status = EmailDelivery.Status.FAILED if final else EmailDelivery.Status.QUEUED
        # A minute after Celery's own retry, so the sweep only catches retries that were lost.
        d.send_after = now + backoff(d.attempts) + timedelta(minutes=1)
    EmailDelivery.objects.bulk_update(
        deliveries, ["attempts", "last_error", "status", "send_after"]
    )
    log = logger.error if final else logger.warning
    log("email to %s failed (attempt %s): %s", deliveries[0].to, deliveries[0].attempts, error)


def deliveries_retry(delivery_ids) -> int:
    """Put failed deliveries back in the queue (the admin's "retry" action)."""
    return EmailDelivery.objects.filter(pk__in=delivery_ids, status="failed").update(
        status=EmailDelivery.Status.QUEUED, send_after=timezone.now()
    )
