"""notifications.wire writes what clients receive once: the live websocket and the events and
inbox APIs give the same JSON, key for key and in the same order."""

import json
from datetime import UTC, datetime

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from config.asgi import application
from notifications import wire
from notifications.models import Event, Notification
from tests.conftest import api_token
from workflows.services.tasks import task_transition

ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]
AT = datetime(2025, 3, 4, 5, 6, 7, 123456, tzinfo=UTC)


def _same(a, b) -> bool:
    """Equal values with the keys in the same order (what a client reading the text sees)."""
    return json.dumps(a) == json.dumps(b)


async def _receive_until(communicator, done) -> list[dict]:
    messages = [await communicator.receive_json_from()]
    while not done(messages[-1]):
        messages.append(await communicator.receive_json_from())
    return messages


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_socket_sends_events_and_notifications_as_the_apis_list_them(world, make_task, api):
    task = await sync_to_async(make_task)(status="in_review")
    await sync_to_async(task_transition)(actor=world.docs_head, task_id=task.pk, name="approve")
    token = await sync_to_async(api_token)(world.docs_member)
    communicator = WebsocketCommunicator(application, f"/ws/live/?token={token}", headers=ORIGIN)
    assert (await communicator.connect())[0]
    await communicator.send_json_to(
        {"action": "subscribe", "congress": world.congress.pk, "after": 0}
    )
    replayed = await _receive_until(communicator, lambda m: "subscribed" in m)
    await sync_to_async(task_transition)(actor=world.docs_head, task_id=task.pk, name="reopen")
    pushed = [await communicator.receive_json_from() for _ in range(2)]  # event, notification
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()

    client = await sync_to_async(api)(world.docs_member)
    events = await sync_to_async(client.get)(f"/api/v1/events/?congress={world.congress.pk}")
    inbox = await sync_to_async(client.get)("/api/v1/notifications/")
    socket_events = [m for m in replayed + pushed if "event" in m]
    socket_notifications = [m["data"] for m in pushed if m.get("type") == "notification.created"]
    assert [(m["type"], m["data"]["transition"]) for m in socket_events] == [
        ("task.transitioned", "approve"),
        ("task.transitioned", "reopen"),
    ]
    assert _same(socket_events, events.json()["results"])
    assert len(socket_notifications) == 1
    assert _same(socket_notifications[0], inbox.json()["results"][0])


@pytest.mark.django_db
def test_event_message_is_the_sequence_number_type_congress_data_and_time(world):
    event = Event.objects.create(
        congress=world.congress,
        type="task.transitioned",
        object_kind="task",
        object_id=5,
        body=world.docs,
        # Keys in PostgreSQL's jsonb order (shortest first), so both databases give this order.
        payload={"id": 5, "kind": "task", "status": "done", "version": 3},
    )
    Event.objects.filter(pk=event.pk).update(created_at=AT)
    event.refresh_from_db()

    message = wire.event_message(event)

    assert _same(
        message,
        {
            "event": event.pk,
            "id": event.pk,
            "type": "task.transitioned",
            "congress": world.congress.pk,
            "data": {"id": 5, "kind": "task", "status": "done", "version": 3},
            "at": "2025-03-04T12:06:07.123456+07:00",
        },
    )
    with timezone.override("UTC"):
        assert wire.event_message(event)["at"] == "2025-03-04T05:06:07.123456Z"


@pytest.mark.django_db
def test_notification_data_and_its_live_message(world):
    notification = Notification.objects.create(
        recipient=world.docs_member,
        congress=world.congress,
        category="assignment",
        title="Nhiệm vụ mới",
        text="Hạn 10/03/2025",
        link="/tasks/5/",
        read_at=AT.replace(microsecond=0),
    )
    Notification.objects.filter(pk=notification.pk).update(created_at=AT)
    notification.refresh_from_db()

    data = wire.notification_data(notification)

    assert _same(
        data,
        {
            "id": notification.pk,
            "category": "assignment",
            "title": "Nhiệm vụ mới",
            "text": "Hạn 10/03/2025",
            "link": "/tasks/5/",
            "congress": world.congress.pk,
            "event": None,
            "created_at": "2025-03-04T12:06:07.123456+07:00",
            "read_at": "2025-03-04T12:06:07+07:00",
            "unread": False,
        },
    )
    assert _same(wire.notification_message(data), {"type": "notification.created", "data": data})


def test_replay_limit_points_to_the_events_api_page_to_continue_from():
    assert _same(
        wire.replay_limit(7, 120),
        {"error": "replay_limit", "congress": 7, "fetch": "/api/v1/events/?congress=7&after=120"},
    )
