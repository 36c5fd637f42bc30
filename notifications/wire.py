"""What clients receive, written once: the JSON of an event and of a notification, the same on
the live websocket (/ws/live/) and in the API (/api/v1/events/, /api/v1/notifications/), and
the socket's other answers.

Plain functions over the models, with no REST framework in between: the websocket consumer,
the live push and the REST serializers (which keep their fields only for the OpenAPI schema)
all call these. Datetimes are ISO 8601 in the current time zone, "Z" for UTC, as DRF writes
them, so both ways out stay byte-for-byte what clients already parse.
"""

from datetime import datetime

from django.utils import timezone


def event_message(event) -> dict:
    """An event as a client gets it: pushed or replayed on the socket, or as an item of
    /api/v1/events/. `event` is the sequence number clients resume from (`after`); `id` is the
    same number, kept for the API's clients."""
    return {
        "event": event.pk,
        "id": event.pk,
        "type": event.type,
        "congress": event.congress_id,
        "data": event.payload,
        "at": _datetime(event.created_at),
    }


def notification_data(notification) -> dict:
    """A notification as the inbox lists it, and the `data` of its live message."""
    return {
        "id": notification.pk,
        "category": _text(notification.category),
        "title": _text(notification.title),
        "text": _text(notification.text),
        "link": _text(notification.link),
        "congress": notification.congress_id,
        "event": notification.event_id,
        "created_at": _datetime(notification.created_at),
        "read_at": _datetime(notification.read_at),
        "unread": notification.read_at is None,
    }


def notification_message(data: dict) -> dict:
    """The live message of a new notification, from its `notification_data` (the channel
    layer carries that, the socket wraps it)."""
    return {"type": "notification.created", "data": data}


def subscribed(congress_id: int, after: int) -> dict:
    """The answer to a subscribe, once the replay is sent: live events follow."""
    return {"subscribed": congress_id, "after": after}


def unsubscribed(congress_id: int) -> dict:
    """The user may no longer see this congress: no more of its events on this socket."""
    return {"unsubscribed": congress_id}


def rights_changed() -> dict:
    """The user's rights changed and the socket has re-read them: reload what is shown."""
    return {"type": "rights.changed"}


def error(code: str, **details) -> dict:
    """A refused client message; the socket stays open."""
    return {"error": code, **details}


def replay_limit(congress_id: int, after: int) -> dict:
    """The replay stopped at its limit: the rest is in the events API from `after` on."""
    return error(
        "replay_limit",
        congress=congress_id,
        fetch=f"/api/v1/events/?congress={congress_id}&after={after}",
    )


def _datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _text(value) -> str | None:
    return None if value is None else str(value)
