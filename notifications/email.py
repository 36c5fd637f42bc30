"""Email, the one way the project sends it: rendered from the templates of `emails/`, queued
as EmailDelivery rows, sent, retried, never dropped.

Each email has three templates (as Zulip's `templates/zerver/emails/`), found in any app's
`templates/emails/`: `<name>.subject.txt`, `<name>.txt` and `<name>.html`, rendered in the
reader's language.

- A notification's email: assignments and mentions go at once, other categories wait a short
  batching window so that a leader gets one email for several changes (`queue_for`).
- Any other email (`send_templated`: an invitation to comment, an account's password link)
  is sent alone, in this process just after the commit that queued it.

Quiet hours delay a message, never drop it. Every attempt is recorded on the delivery
(status, attempts, last error), listed in the admin, where failed ones can be sent again; a
transient failure is tried again with a backoff (the Celery task, and the periodic sweep).
"""

import logging
import smtplib
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from congress.validation import fold_line
from notifications import jobs
from notifications.models import (
    IMMEDIATE_CATEGORIES,
    NOTIFICATIONS_TEMPLATE,
    EmailDelivery,
    Preference,
)

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
    """One email each: a recipient's notifications together, every other email alone."""
    groups = defaultdict(list)
    deliveries = EmailDelivery.objects.filter(pk__in=delivery_ids).values_list(
        "pk", "to", "template"
    )
    for pk, to, template in deliveries:
        groups[(to,) if template == NOTIFICATIONS_TEMPLATE else (to, pk)].append(pk)
    return list(groups.values())


def due_batches(now: datetime | None = None) -> list[list[int]]:
    """Queued deliveries whose time has come, grouped by recipient: one email each."""
    now = now or timezone.now()
    due = EmailDelivery.objects.filter(
        status=EmailDelivery.Status.QUEUED, send_after__lte=now
    ).values_list("pk", flat=True)[:5000]
    return _batches_by_recipient(list(due))


class Outgoing(NamedTuple):
    """One email of a template: to whom, what it says (JSON: strings and numbers, dates
    already written in its language) and in which language. `user`, for an email about the
    reader's work, delays it past their quiet hours; an email the reader waits for (a
    password link, an invitation to comment) has none."""

    to: str
    context: dict
    language: str
    reply_to: str = ""
    user: object | None = None


def send_templated(template: str, emails: Sequence[Outgoing]) -> list[EmailDelivery]:
    """Queue the emails of `emails/<template>.*` and send them just after the commit, in this
    process, over one connection; one that fails is recorded and tried again as every email
    is. The deliveries are written in the caller's transaction: an email is never lost with
    the process that was to send it (the sweep sends what is due)."""
    now = timezone.now()
    users = [e.user.pk for e in emails if e.user is not None]
    preferences = (
        {p.user_id: p for p in Preference.objects.filter(user_id__in=users)} if users else {}
    )
    deliveries = EmailDelivery.objects.bulk_create(
        EmailDelivery(
            template=template,
            to=e.to,
            reply_to=e.reply_to,
            language=e.language,
            context=e.context,
            send_after=_after_quiet_hours(now, e.user and preferences.get(e.user.pk)),
        )
        for e in emails
    )
    due = [d.pk for d in deliveries if d.send_after <= now]
    if due:
        transaction.on_commit(lambda: _send_at_once(due))
    return deliveries


def render(template: str, context: dict, language: str) -> tuple[str, str, str]:
    """(subject, text, html) of the email `emails/<template>.*` in `language`."""
    with translation.override(language):
        subject = fold_line(render_to_string(f"emails/{template}.subject.txt", context))[:200]
        context = {**context, "subject": subject}
        text = render_to_string(f"emails/{template}.txt", context).strip("\n") + "\n"
        html = render_to_string(f"emails/{template}.html", context)
    return subject, text, html


def _message(deliveries: list[EmailDelivery], connection) -> EmailMultiAlternatives:
    first = deliveries[0]
    if first.template == NOTIFICATIONS_TEMPLATE:
        notifications = [d.notification for d in deliveries]
        context = {"notifications": notifications, "site_url": settings.SITE_URL}
        language = notifications[0].recipient.language or "vi"
    else:
        context, language = first.context, first.language or settings.LANGUAGE_CODE
    subject, text, html = render(first.template, context, language)
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [first.to],
        reply_to=[first.reply_to] if first.reply_to else None,
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message


class TransientEmailError(Exception):
    """The send failed in a way worth retrying; the failure is already recorded."""


def _locked(delivery_ids) -> list[EmailDelivery]:
    """The still-queued deliveries among these, locked so that two workers never send the
    same one."""
    return list(
        EmailDelivery.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk__in=delivery_ids, status=EmailDelivery.Status.QUEUED)
        .select_related("notification", "notification__recipient")
        .order_by("id")
    )


def deliveries_send(delivery_ids) -> int:
    """Send one email for the still-queued deliveries among `delivery_ids` (one recipient's
    notifications, or one email of a template).

    A failure is recorded on the rows (attempts, last error); a transient one leaves them
    queued with a later `send_after` and raises TransientEmailError after the record is
    committed, for the caller to retry; a permanent one, or the last attempt, marks them
    failed. Returns how many deliveries the email carried.
    """
    with transaction.atomic():
        deliveries = _locked(delivery_ids)
        if not deliveries:
            return 0
        (failure,) = _attempt([deliveries])
    if failure is not None:
        if deliveries[0].status == EmailDelivery.Status.QUEUED:
            raise TransientEmailError(str(failure)) from failure
        return 0
    return len(deliveries)


def _send_at_once(delivery_ids) -> None:
    with transaction.atomic():
        _attempt([[d] for d in _locked(delivery_ids)])


CHANGED_BY_AN_ATTEMPT = ["status", "sent_at", "attempts", "last_error", "send_after", "context"]


def _attempt(emails: list[list[EmailDelivery]]) -> list[Exception | None]:
    """Send each email (the deliveries it carries) over one connection and record how each
    went, in one update. After a transient failure the others are left queued, untried: the
    server is away, and the sweep sends them when they are due."""
    now, outcomes = timezone.now(), []
    connection = get_connection()
    try:
        for deliveries in emails:
            try:
                connection.open()  # once: an open connection stays open
                _message(deliveries, connection).send()
            except Exception as error:  # recorded on the rows, never dropped
                outcomes.append(error)
                _record_failure(deliveries, error, now)
                if is_transient(error):
                    break
            else:
                outcomes.append(None)
                _record_sent(deliveries, now)
    finally:
        connection.close()
    tried = [d for deliveries in emails[: len(outcomes)] for d in deliveries]
    EmailDelivery.objects.bulk_update(tried, CHANGED_BY_AN_ATTEMPT)
    return outcomes


def _record_sent(deliveries, now: datetime) -> None:
    for d in deliveries:
        d.status, d.sent_at, d.attempts, d.last_error = "sent", now, d.attempts + 1, ""
        d.context = {}  # the links it carried are the reader's only


def _record_failure(deliveries, error: Exception, now: datetime) -> None:
    final = not is_transient(error) or deliveries[0].attempts + 1 >= MAX_ATTEMPTS
    for d in deliveries:
        d.attempts += 1
        d.last_error = f"{type(error).__name__}: {error}"[:2000]
        d.status = EmailDelivery.Status.FAILED if final else EmailDelivery.Status.QUEUED
        # A minute after Celery's own retry, so the sweep only catches retries that were lost.
        d.send_after = now + backoff(d.attempts) + timedelta(minutes=1)
    log = logger.error if final else logger.warning
    log("email to %s failed (attempt %s): %s", deliveries[0].to, deliveries[0].attempts, error)


def deliveries_retry(delivery_ids) -> int:
    """Put failed deliveries back in the queue (the admin's "retry" action)."""
    return EmailDelivery.objects.filter(pk__in=delivery_ids, status="failed").update(
        status=EmailDelivery.Status.QUEUED, send_after=timezone.now()
    )


def deliveries_cancel(delivery_ids) -> int:
    """Never send these if they are not sent yet (an email replaced by a newer one, or about
    something withdrawn); what they said is not kept."""
    return EmailDelivery.objects.filter(
        pk__in=delivery_ids, status=EmailDelivery.Status.QUEUED
    ).update(status=EmailDelivery.Status.CANCELED, context={})
