"""Push events and notifications to websocket clients through the channel layer.

`group_send` is at-most-once: every message carries its sequence number and clients catch
up from /api/v1/events/ or by subscribing again with `after`.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from notifications import wire

logger = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def congress_group(congress_id: int) -> str:
    return f"congress.{congress_id}"


async def _send_all(messages) -> None:
    layer = get_channel_layer()
    try:
        for group, message in messages:
            await layer.group_send(group, message)
    finally:
        # channels-redis keeps connection pools per event loop; async_to_sync makes a new loop
        # in a Celery worker each time, so close them here ("Event loop is closed" otherwise).
        close = getattr(layer, "close_pools", None)
        if close is not None:
            await close()


def _send(messages) -> None:
    if not messages:
        return
    try:
        async_to_sync(_send_all)(messages)
    except Exception:  # live delivery is best effort: clients catch up by sequence number
        logger.warning("live push failed", exc_info=True)


def event_push(event) -> dict:
    """The message for a congress group: what the client gets (notifications.wire), plus what
    the consumer needs to decide who may see it (never sent to the client): the body's
    confidentiality when it is pushed, not the flag copied when the event was made."""
    confidential = event.body.confidential if event.body_id else event.confidential
    return {
        "type": "event.push",
        "event": wire.event_message(event),
        "body": event.body_id,
        "confidential": confidential,
    }


def push_event(event) -> None:
    _send([(congress_group(event.congress_id), event_push(event))])


def notification_push(notification) -> dict:
    """The message for the recipient's group; the consumer wraps it (wire.notification_message)."""
    return {"type": "notification.push", "notification": wire.notification_data(notification)}


def push_notifications(notifications) -> None:
    _send([(user_group(n.recipient_id), notification_push(n)) for n in notifications])


def rights_message(reason: str) -> dict:
    return {"type": "rights.changed", "reason": reason}


def on_rights_changed(sender, *, user_ids, reason: str = "", **kwargs) -> None:
    """congress.signals.rights_changed: tell every open socket of these users, which
    authenticates again and re-reads its roles (notifications.consumers)."""
    _send([(user_group(user_id), rights_message(reason)) for user_id in sorted(set(user_ids))])
