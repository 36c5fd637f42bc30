"""Push events and notifications to websocket clients through the channel layer.

`group_send` is at-most-once: every message carries its sequence number and clients catch
up from /api/v1/events/ or by subscribing again with `after`.
"""

import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from notifications.api.serializers import EventSerializer, NotificationSerializer

logger = logging.getLogger(__name__)
SEND_CONCURRENCY = 32


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def congress_group(congress_id: int) -> str:
    return f"congress.{congress_id}"


async def _send_all(messages) -> None:
    """Send the messages, in order within a group; groups go out SEND_CONCURRENCY at a time.

    A `group_send` is a few Redis round trips: a reminder sweep's thousands of notifications
    sent one after the other took most of the sweep's time (benchmarks/RESULTS.md)."""
    layer = get_channel_layer()
    by_group: dict[str, list[dict]] = {}
    for group, message in messages:
        by_group.setdefault(group, []).append(message)
    groups = iter(by_group.items())  # shared by the senders: each group is taken once

    async def sender():
        for group, group_messages in groups:
            for message in group_messages:
                await layer.group_send(group, message)

    try:
        senders = min(SEND_CONCURRENCY, len(by_group))
        results = await asyncio.gather(*(sender() for _ in range(senders)), return_exceptions=True)
        errors = [result for result in results if isinstance(result, BaseException)]
        if errors:
            raise errors[0]
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


def event_message(event) -> dict:
    """The message for a congress group: the client's payload, plus what the consumer needs to
    decide who may see it (never sent to the client)."""
    return {
        "type": "event.push",
        "event": dict(EventSerializer(event).data),
        "body": event.body_id,
        "confidential": event.confidential,
    }


def push_event(event) -> None:
    _send([(congress_group(event.congress_id), event_message(event))])


def push_notifications(notifications) -> None:
    notifications = list(notifications)
    data = NotificationSerializer(notifications, many=True).data
    _send(
        [
            (user_group(n.recipient_id), {"type": "notification.push", "notification": dict(d)})
            for n, d in zip(notifications, data, strict=True)
        ]
    )
