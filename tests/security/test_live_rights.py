"""The live websocket follows the rule of now (ARCHITECTURE §5): a change of who may see what
reaches the open sockets at once, the fan-out costs no query per client, what a client sends
never crashes its socket, and replay is bounded per connection."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.models import Session
from django.db.backends import utils as db_utils
from django.test import Client
from knox.models import AuthToken

from config.asgi import application
from congress.models import Membership
from congress.services import body_apply, membership_delete, membership_put
from congress.signals import rights_changed
from notifications import consumers, live
from notifications.models import Event
from tests.factories import MembershipFactory, UserFactory
from workflows.services.tasks import task_transition

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

ORIGIN = (b"origin", b"http://127.0.0.1:8000")
SECRET = "Danh sách nhân sự dự kiến tái cử (mật)"


def _session_key(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


async def _open(path: str, headers) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, path, headers=[ORIGIN, *headers])
    connected, _code = await communicator.connect()
    assert connected
    return communicator


async def open_with_session(user) -> WebsocketCommunicator:
    key = await sync_to_async(_session_key)(user)
    return await _open("/ws/live/", [(b"cookie", f"sessionid={key}".encode())])


async def open_with_token(user) -> tuple[WebsocketCommunicator, AuthToken]:
    token, key = await sync_to_async(AuthToken.objects.create)(user=user)
    return await _open(f"/ws/live/?token={key}", []), token


async def subscribe(communicator, congress_id: int, after: int = 0) -> list[dict]:
    """Subscribe; the messages up to the acknowledgement."""
    await communicator.send_json_to(
        {"action": "subscribe", "congress": congress_id, "after": after}
    )
    messages = [await communicator.receive_json_from()]
    while "subscribed" not in messages[-1]:
        messages.append(await communicator.receive_json_from())
    return messages


async def drain(communicator) -> list[dict]:
    """Every message waiting now, and the close if the server closed."""
    messages = []
    while not await communicator.receive_nothing(timeout=0.3):
        output = await communicator.receive_output()
        if output["type"] == "websocket.close":
            messages.append({"closed": output.get("code")})
            break
        messages.append(json.loads(output["text"]))
    return messages


def events_of(messages) -> list[tuple[str, int]]:
    return [(m["type"], m["data"]["id"]) for m in messages if "event" in m]


@pytest.fixture
def personnel(world, make_task):
    """A second personnel member who holds a personnel task in review, and the first one also
    in the organization subcommittee (so that leaving personnel keeps them in the congress)."""
    colleague = UserFactory(username="personnel_member2")
    MembershipFactory(body=world.personnel, user=colleague, role=Membership.Role.MEMBER)
    MembershipFactory(body=world.orgbody, user=world.personnel_member, role=Membership.Role.MEMBER)
    secret = make_task(body=world.personnel, assignee=colleague, status="in_review", title=SECRET)
    visible = make_task(status="in_review")
    return colleague, secret, visible


async def test_a_member_removed_from_the_personnel_body_stops_receiving_its_events_at_once(
    world, personnel
):
    _colleague, secret, visible = personnel
    communicator = await open_with_session(world.personnel_member)
    assert await subscribe(communicator, world.congress.pk) == [
        {"subscribed": world.congress.pk, "after": 0}
    ]

    await sync_to_async(membership_delete)(
        actor=world.sc_head, body=world.personnel, user_id=world.personnel_member.pk
    )
    await sync_to_async(task_transition)(
        actor=world.steering_head, task_id=secret.pk, name="approve"
    )
    await sync_to_async(task_transition)(actor=world.docs_head, task_id=visible.pk, name="approve")

    messages = await drain(communicator)
    assert events_of(messages) == [
        ("body.member_removed", world.personnel.pk),
        ("task.transitioned", visible.pk),
    ]
    assert SECRET not in str(messages)
    assert {"type": "rights.changed"} in messages
    await communicator.disconnect()


async def test_a_member_added_to_the_personnel_body_receives_its_events_at_once(world, personnel):
    _colleague, secret, _visible = personnel
    communicator = await open_with_session(world.docs_member)
    await subscribe(communicator, world.congress.pk)

    await sync_to_async(membership_put)(
        actor=world.sc_head, body=world.personnel, user=world.docs_member, role="member"
    )
    await sync_to_async(task_transition)(
        actor=world.steering_head, task_id=secret.pk, name="approve"
    )

    messages = await drain(communicator)
    assert events_of(messages) == [
        ("body.member_added", world.personnel.pk),
        ("task.transitioned", secret.pk),
    ]
    assert {"type": "rights.changed"} in messages
    await communicator.disconnect()


async def test_a_member_who_leaves_the_congress_is_unsubscribed_from_it(world):
    communicator = await open_with_session(world.docs_member2)
    await subscribe(communicator, world.congress.pk)

    await sync_to_async(membership_delete)(
        actor=world.sc_head, body=world.docs, user_id=world.docs_member2.pk
    )

    assert await drain(communicator) == [
        {"unsubscribed": world.congress.pk},
        {"type": "rights.changed"},
    ]
    event = await sync_to_async(Event.objects.create)(
        congress=world.congress,
        type="task.updated",
        object_kind="task",
        object_id=1,
        payload={"kind": "task", "id": 1},
    )
    await sync_to_async(live.push_event)(event)
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_an_event_of_a_body_made_confidential_is_neither_replayed_nor_pushed(
    world, make_task
):
    task = await sync_to_async(make_task)(
        body=world.orgbody, assignee=world.docs_member2, status="in_review"
    )
    await sync_to_async(task_transition)(actor=world.steering_head, task_id=task.pk, name="approve")
    before = await sync_to_async(Event.objects.get)(type="task.transitioned")
    assert before.confidential is False
    await sync_to_async(body_apply)(actor=world.staff, body=world.orgbody, confidential=True)

    communicator = await open_with_session(world.docs_member)
    # The change itself is news for the whole congress (bodies are not secret).
    assert events_of(await subscribe(communicator, world.congress.pk)) == [
        ("body.updated", world.orgbody.pk)
    ]
    # A dispatch that comes late (a retry, the redispatch sweep) judges by the flag of now.
    await sync_to_async(live.push_event)(before)
    assert await communicator.receive_nothing(timeout=0.3)

    head = await open_with_session(world.sc_head)
    assert events_of(await subscribe(head, world.congress.pk)) == [
        ("task.transitioned", task.pk),
        ("body.updated", world.orgbody.pk),
    ]
    await communicator.disconnect()
    await head.disconnect()


async def test_open_sockets_learn_that_a_body_was_made_confidential(world):
    communicator = await open_with_session(world.docs_member)
    await subscribe(communicator, world.congress.pk)

    await sync_to_async(body_apply)(actor=world.staff, body=world.orgbody, confidential=True)
    drained = await drain(communicator)
    assert [m["type"] for m in drained] == ["body.updated", "rights.changed"]

    # Even a message that still carries the old flag is judged by the refreshed one.
    message = {
        "type": "event.push",
        "event": {
            "event": 10**6,
            "type": "task.updated",
            "congress": world.congress.pk,
            "data": {"kind": "task", "id": 1},
            "at": "2025-01-01T00:00:00Z",
        },
        "body": world.orgbody.pk,
        "confidential": False,
    }
    await get_channel_layer().group_send(live.congress_group(world.congress.pk), message)
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_a_deactivated_user_is_disconnected_to_sign_in_again(world):
    communicator = await open_with_session(world.docs_member)
    await subscribe(communicator, world.congress.pk)
    world.docs_member.is_active = False
    await sync_to_async(world.docs_member.save)()

    await sync_to_async(rights_changed.send)(
        sender=None, user_ids=[world.docs_member.pk], reason="deactivated"
    )

    assert await drain(communicator) == [{"closed": consumers.CLOSE_UNAUTHENTICATED}]


async def test_an_ended_session_closes_its_socket(world):
    communicator = await open_with_session(world.docs_member)
    await sync_to_async(Session.objects.all().delete)()

    await sync_to_async(rights_changed.send)(
        sender=None, user_ids=[world.docs_member.pk], reason="session_ended"
    )

    assert await drain(communicator) == [{"closed": 4401}]


async def test_a_password_change_closes_the_sockets_of_other_sessions(world):
    communicator = await open_with_session(world.docs_member)
    world.docs_member.set_password("Mật khẩu mới 2025!")
    await sync_to_async(world.docs_member.save)()

    await sync_to_async(rights_changed.send)(
        sender=None, user_ids=[world.docs_member.pk], reason="password_changed"
    )

    assert await drain(communicator) == [{"closed": 4401}]


async def test_a_revoked_token_closes_its_socket_and_only_its_own(world):
    revoked, token = await open_with_token(world.docs_member)
    kept, _other = await open_with_token(world.docs_member)
    session = await open_with_session(world.docs_member)
    await sync_to_async(token.delete)()

    await sync_to_async(rights_changed.send)(
        sender=None, user_ids=[world.docs_member.pk], reason="token_revoked"
    )

    assert await drain(revoked) == [{"closed": 4401}]
    assert await drain(kept) == [{"type": "rights.changed"}]
    assert await drain(session) == [{"type": "rights.changed"}]
    await kept.disconnect()
    await session.disconnect()


async def test_fan_out_costs_no_query_per_client_or_event(world, monkeypatch):
    users = [world.docs_member, world.docs_member2, world.docs_head, world.sc_head, world.staff]
    sockets = [await open_with_session(user) for user in users]
    for communicator in sockets:
        await subscribe(communicator, world.congress.pk)
    queries = []
    execute = db_utils.CursorWrapper.execute

    def counting(self, sql, params=None):
        queries.append(sql)
        return execute(self, sql, params)

    monkeypatch.setattr(db_utils.CursorWrapper, "execute", counting)
    layer = get_channel_layer()
    for number in range(1, 11):
        await layer.group_send(
            live.congress_group(world.congress.pk),
            {
                "type": "event.push",
                "event": {
                    "event": number,
                    "type": "task.updated",
                    "congress": world.congress.pk,
                    "data": {"kind": "task", "id": number},
                    "at": "2025-01-01T00:00:00Z",
                },
                "body": world.personnel.pk if number % 2 else world.docs.pk,
                "confidential": bool(number % 2),
            },
        )
    received = [len(events_of(await drain(communicator))) for communicator in sockets]
    assert received == [5, 5, 5, 10, 10]
    assert queries == []
    for communicator in sockets:
        await communicator.disconnect()


async def test_an_outsiders_socket_receives_nothing_of_a_congress_it_is_not_in(world, make_task):
    task = await sync_to_async(make_task)(status="in_review")
    communicator = await open_with_session(world.outsider)
    await communicator.send_json_to({"action": "subscribe", "congress": world.congress.pk})
    assert await communicator.receive_json_from() == {
        "error": "not_found",
        "congress": world.congress.pk,
    }
    await sync_to_async(task_transition)(actor=world.docs_head, task_id=task.pk, name="approve")
    await sync_to_async(body_apply)(actor=world.staff, body=world.orgbody, confidential=True)
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_malformed_messages_get_an_error_and_the_socket_stays_open(world, settings):
    settings.LIVE_MAX_MESSAGE_BYTES = 4096
    communicator = await open_with_session(world.docs_member)
    answers = []
    for text in (
        "{not json",
        "[" * 2000 + "]" * 2000,
        "[1, 2]",
        '"subscribe"',
        '{"action": "subscribe", "congress": true}',
        '{"action": "subscribe", "congress": 1000000000000000000000}',
        '{"action": "dance"}',
        " " * 5000,
    ):
        await communicator.send_to(text_data=text)
        answers.append((await communicator.receive_json_from())["error"])
    await communicator.send_to(bytes_data=b'{"action": "subscribe"}')
    answers.append((await communicator.receive_json_from())["error"])

    assert answers == [
        "invalid_json",
        "invalid_json",
        "invalid_message",
        "invalid_message",
        "invalid",
        "invalid",
        "unknown_action",
        "message_too_large",
        "invalid_message",
    ]
    assert await subscribe(communicator, world.congress.pk) == [
        {"subscribed": world.congress.pk, "after": 0}
    ]
    await communicator.disconnect()


@pytest.fixture
def thirty_events(world):
    Event.objects.bulk_create(
        Event(
            congress=world.congress,
            body=world.docs,
            type="task.updated",
            object_kind="task",
            object_id=n,
            payload={"kind": "task", "id": n},
        )
        for n in range(1, 31)
    )
    return list(Event.objects.order_by("id").values_list("id", flat=True))


async def test_replay_is_limited_per_connection_and_tells_the_client_to_page_the_api(
    world, thirty_events, settings, monkeypatch
):
    settings.LIVE_SUBSCRIBES_PER_MINUTE = 10
    settings.LIVE_REPLAY_PER_MINUTE = 50
    now = [1000.0]
    monkeypatch.setattr(consumers, "_clock", lambda: now[0])
    communicator = await open_with_session(world.docs_member)
    congress = world.congress.pk
    messages = []
    for _ in range(100):
        await communicator.send_json_to({"action": "subscribe", "congress": congress, "after": 0})
        messages.append(await communicator.receive_json_from())
        while "event" in messages[-1] or messages[-1].get("error") == "replay_limit":
            messages.append(await communicator.receive_json_from())

    assert len([m for m in messages if "event" in m]) == 50
    answers = [m for m in messages if "event" not in m]
    assert answers[:4] == [
        {"subscribed": congress, "after": thirty_events[-1]},
        {
            "error": "replay_limit",
            "congress": congress,
            "fetch": f"/api/v1/events/?congress={congress}&after={thirty_events[19]}",
        },
        {"subscribed": congress, "after": thirty_events[19]},
        {
            "error": "replay_limit",
            "congress": congress,
            "fetch": f"/api/v1/events/?congress={congress}&after=0",
        },
    ]
    assert answers.count({"subscribed": congress, "after": 0}) == 8
    assert (
        answers[-90:] == [{"error": "rate_limited", "congress": congress, "retry_after": 61}] * 90
    )

    now[0] += 61  # a minute later the connection may replay again
    replayed = await subscribe(communicator, congress)
    assert len(replayed) == 31
    await communicator.disconnect()
