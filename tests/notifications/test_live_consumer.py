"""The /ws/live/ consumer with the in-memory channel layer (the integration tests run it under
a real ASGI server with channels-redis)."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from notifications import live
from notifications.models import Event
from tests.conftest import api_token
from workflows.services.tasks import task_transition

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

ORIGIN = [(b"origin", b"http://127.0.0.1:8000")]


async def _connect(user, origin=ORIGIN):
    token = await sync_to_async(api_token)(user)
    communicator = WebsocketCommunicator(application, f"/ws/live/?token={token}", headers=origin)
    connected, _code = await communicator.connect()
    return communicator, connected


async def test_subscriber_gets_replay_then_live_events_it_may_see(world, make_task):
    task = await sync_to_async(make_task)(status="in_review")
    secret = await sync_to_async(make_task)(
        body=world.personnel, assignee=world.personnel_member, status="in_review"
    )
    await sync_to_async(task_transition)(actor=world.docs_head, task_id=task.pk, name="approve")
    communicator, connected = await _connect(world.docs_member)
    assert connected
    await communicator.send_json_to(
        {"action": "subscribe", "congress": world.congress.pk, "after": 0}
    )
    replayed = await communicator.receive_json_from()
    assert (replayed["type"], replayed["data"]["id"], replayed["data"]["status"]) == (
        "task.transitioned",
        task.pk,
        "done",
    )
    assert (await communicator.receive_json_from())["subscribed"] == world.congress.pk

    # Committed changes are dispatched after commit, which pushes them to the channel layer.
    await sync_to_async(task_transition)(
        actor=world.steering_head, task_id=secret.pk, name="approve"
    )
    await sync_to_async(task_transition)(actor=world.docs_head, task_id=task.pk, name="reopen")
    received = [await communicator.receive_json_from() for _ in range(2)]
    assert await communicator.receive_nothing(timeout=0.3)  # the personnel event never came
    by_type = {message["type"]: message for message in received}
    assert set(by_type) == {"task.transitioned", "notification.created"}
    pushed = by_type["task.transitioned"]
    assert (pushed["data"]["id"], pushed["data"]["status"]) == (task.pk, "todo")
    assert task.title in by_type["notification.created"]["data"]["title"]
    # A push the client already has (same sequence number) is not sent twice.
    last = await sync_to_async(Event.objects.filter(type="task.transitioned").last)()
    await sync_to_async(live.push_event)(last)
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()


async def test_anonymous_and_foreign_origin_are_refused(world):
    anonymous = WebsocketCommunicator(application, "/ws/live/", headers=ORIGIN)
    connected, code = await anonymous.connect()
    assert not connected and code == 4401
    _communicator, connected = await _connect(
        world.docs_member, origin=[(b"origin", b"https://evil.example")]
    )
    assert not connected


async def test_subscribing_to_a_congress_one_does_not_belong_to_is_refused(world):
    communicator, _connected = await _connect(world.outsider)
    await communicator.send_json_to({"action": "subscribe", "congress": world.congress.pk})
    assert await communicator.receive_json_from() == {
        "error": "not_found",
        "congress": world.congress.pk,
    }
    await communicator.send_json_to({"action": "subscribe", "congress": "x"})
    assert (await communicator.receive_json_from())["error"] == "invalid"
    await communicator.disconnect()
