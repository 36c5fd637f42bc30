"""Delivering notifications, whatever told them (an event's dispatch, a reminder, a summary,
the digest): the inbox rows, their queued emails and the live messages, written here once.

Callers decide who is told and render what each person reads; `notifications_deliver`
saves it, in the caller's transaction, so that a rolled-back change tells nobody.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.db import transaction

from notifications import email, live
from notifications.models import Event, Notification, Reminder


@dataclass(frozen=True)
class About:
    """What a notification is about, the same for every recipient: the congress and body whose
    work it is (the inbox judges visibility by them), where it links, and what told it."""

    congress_id: int | None = None
    body_id: int | None = None
    confidential: bool = False
    link: str = ""
    event: Event | None = None
    reminder: Reminder | None = None


def notification_build(*, recipient, category: str, title: str, text: str, about: About):
    """One person's notification, not saved yet (notifications_deliver saves it)."""
    return Notification(
        recipient=recipient,
        category=category,
        title=title[:300],
        text=text,
        link=about.link,
        congress_id=about.congress_id,
        body_id=about.body_id,
        confidential=about.confidential,
        event=about.event,
        reminder=about.reminder,
    )


def notifications_deliver(
    notifications: Iterable[Notification], *, event: Event | None = None
) -> list[Notification]:
    """Save the notifications in one insert, queue an email for each recipient who wants one
    (their preferences, the batching window and quiet hours apply), and push them to the
    recipients' open sockets once the transaction commits.

    With `event`, the notifications of that event: a recipient it already told (a dispatch
    whose mark was lost) is not told twice, and every notification of the event is returned.
    """
    notifications = list(notifications)
    if event is not None:
        Notification.objects.bulk_create(notifications, ignore_conflicts=True)
        notifications = list(Notification.objects.filter(event=event).select_related("recipient"))
    elif notifications:
        Notification.objects.bulk_create(notifications)
    if not notifications:
        return []
    email.queue_for(notifications)
    transaction.on_commit(partial(live.push_notifications, notifications))
    return notifications
