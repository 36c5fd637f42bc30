"""The notifications app's public services: record an event (the outbox), dispatch it into
notifications, emails and live messages, and the inbox and preference writes."""

import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from congress.errors import NotFound
from notifications import jobs, live
from notifications.delivery import About, notification_build, notifications_deliver
from notifications.messages import render
from notifications.models import Event, Notification, Preference
from notifications.recipients import link_for, told_by_user
from notifications.registry import Told, kind_of
from notifications.selectors import notifications_of

# Dispatch locks the event row and skips dispatched ones, so an early second try is harmless.
REDISPATCH_AFTER = timedelta(seconds=10)
EVENT_LOCK_CLASS = 7301  # advisory lock namespace of the event outbox


def event_record(
    *,
    congress_id: int,
    type: str,
    object_kind: str,
    object_id: int,
    data: dict,
    body=None,
    actor=None,
    audience: Iterable[int | None] = (),  # None (an unset assignee, say) is left out
) -> Event:
    """Write an outbox event. Call it inside the transaction of the change it describes, so
    that the change and its event are committed together or not at all; dispatch starts only
    after the commit (and never for a rolled-back change). The kind must be declared
    (notifications.registry): an undeclared one raises UndeclaredEventKind."""
    kind_of(type)
    _serialize_congress_events(congress_id)
    event = Event.objects.create(
        congress_id=congress_id,
        type=type,
        object_kind=object_kind,
        object_id=object_id,
        body=body,
        confidential=bool(body and body.confidential),
        actor=actor if actor is not None and actor.is_authenticated else None,
        audience=sorted({u for u in audience if u}),
        payload={"kind": object_kind, "id": object_id, **data},
    )
    transaction.on_commit(lambda: _enqueue_dispatch(event.pk))
    return event


def _serialize_congress_events(congress_id: int) -> None:
    """Make a congress's events commit in id order.

    Ids come from a sequence at insert time, but transactions commit in their own order: a
    client that has read event N could later miss an event N-1 committed after it, since it
    catches up with `after=N`. A transaction-scoped advisory lock per congress, held until
    commit, makes the next writer wait, so ids and commits agree. (SQLite has one writer.)
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [EVENT_LOCK_CLASS, congress_id % 2**31]
            )


def _enqueue_dispatch(event_id: int) -> None:
    """Queue the event's dispatch. A broker outage must not fail the request: the job is kept
    in this process and queued as soon as the broker answers again, followed by one
    redispatch sweep for what the outage lost besides (a message queued on a broker that came
    back empty); the beat's redispatch sweep remains the safety net."""
    jobs.enqueue_or_keep("dispatch_event", event_id, after_outage="redispatch_events")


def preference_for(user) -> Preference:
    preference = Preference.objects.filter(user=user).first()
    if preference is None:
        preference, _created = Preference.objects.get_or_create(
            user=user, defaults={"calendar_token": secrets.token_urlsafe(32)}
        )
    return preference


def event_dispatch(event_id: int) -> list[Notification]:
    """Turn one event into notifications and queued emails, exactly once.

    The event row is locked and marked dispatched in the same transaction as the notifications
    it creates, so running this twice (a retry, the redispatch sweep) creates nothing twice.
    Live messages (the event, then the notifications) and immediate emails leave after the
    commit.
    """
    with transaction.atomic():
        event = (
            Event.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("body")
            .filter(pk=event_id, dispatched_at__isnull=True)
            .first()
        )
        if event is None:
            return []
        event.dispatched_at = timezone.now()
        event.save(update_fields=["dispatched_at"])
        transaction.on_commit(lambda: live.push_event(event))
        created = notifications_deliver(_notifications(event, told_by_user(event)), event=event)
    return created


def _notifications(event: Event, recipients: dict[int, Told]) -> list[Notification]:
    users = get_user_model().objects.in_bulk(list(recipients))
    about = About(
        congress_id=event.congress_id,
        body_id=event.body_id,
        confidential=event.confidential,
        link=link_for(event),
        event=event,
    )
    notifications = []
    for user_id, told in recipients.items():
        user = users[user_id]
        title, text = render(event, told, user.language)
        notifications.append(
            notification_build(
                recipient=user, category=told.category, title=title, text=text, about=about
            )
        )
    return notifications


def events_redispatch() -> int:
    """Dispatch every event left undispatched for over 10 seconds (a crash, a lost message)."""
    cutoff = timezone.now() - REDISPATCH_AFTER
    pending = list(
        Event.objects.filter(dispatched_at__isnull=True, created_at__lt=cutoff)
        .order_by("id")
        .values_list("pk", flat=True)[:1000]
    )
    for event_id in pending:
        event_dispatch(event_id)
    return len(pending)


def notification_mark_read(*, user, notification_id: int) -> Notification:
    # What the reader may no longer see is a 404, as in the inbox.
    notification = notifications_of(user).filter(pk=notification_id).first()
    if notification is None:
        raise NotFound("Not found.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    return notifications_of(user).filter(read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def preference_update(*, user, email: dict[str, bool] | None = None, **changes) -> Preference:
    """Change what the user set; `email` switches email on or off per category and leaves the
    categories it does not name as they were."""
    preference = preference_for(user)
    if email is not None:
        off = set(preference.email_off) - {c for c, on in email.items() if on}
        preference.email_off = sorted(off | {c for c, on in email.items() if not on})
    for name in ("digest_hour", "quiet_start", "quiet_end"):
        if name in changes:
            setattr(preference, name, changes[name])
    preference.save()
    return preference


def calendar_token_rotate(*, user) -> Preference:
    """Issue a new calendar feed token; the old feed URL stops working at once."""
    preference = preference_for(user)
    preference.calendar_token = secrets.token_urlsafe(32)
    preference.save(update_fields=["calendar_token"])
    return preference
