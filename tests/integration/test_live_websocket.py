"""Live updates end to end: uvicorn serving config.asgi with channels-redis, a real websocket
client, transitions made through the HTTP API, and the worker pushing the events through the
channel layer."""

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from notifications.models import Category, Event
from tests.conftest import api_token
from tests.integration.services import BASE_DIR, AsgiServer, wait_for, websocket_options
from workflows.models import Task

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _token(user) -> str:
    return api_token(user)


def open_live(server: AsgiServer, user=None, *, origin: str | None = None) -> ClientConnection:
    query = f"?token={_token(user)}" if user is not None else ""
    return connect(
        f"{server.ws_url}/ws/live/{query}",
        origin=origin or server.url,
        open_timeout=10,
        close_timeout=2,
    )


def post_transition(server: AsgiServer, user, task: Task, name: str, **body) -> dict:
    request = urllib.request.Request(
        f"{server.url}/api/v1/tasks/{task.pk}/transitions/{name}/",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Token {_token(user)}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        raise AssertionError(f"{name} refused: {error.code} {error.read()[:500]!r}") from error


def receive_until(
    ws: ClientConnection, done: Callable[[dict], bool], timeout: float = 15.0
) -> list[dict]:
    """The messages received up to and including the first one that `done` accepts."""
    deadline = time.monotonic() + timeout
    messages = []
    while not messages or not done(messages[-1]):
        try:
            messages.append(json.loads(ws.recv(timeout=max(deadline - time.monotonic(), 0))))
        except TimeoutError:
            raise AssertionError(f"not received within {timeout:.0f} s; got {messages}") from None
    return messages


def subscribe(ws: ClientConnection, congress_id: int, after: int = 0) -> list[dict]:
    """Subscribe, and return the events replayed before the server's acknowledgement."""
    ws.send(json.dumps({"action": "subscribe", "congress": congress_id, "after": after}))
    messages = receive_until(ws, lambda m: m.get("subscribed") == congress_id)
    return [m for m in messages if "event" in m]


def transitioned(task: Task, name: str) -> Callable[[dict], bool]:
    def match(message: dict) -> bool:
        data = message.get("data", {})
        return (
            message.get("type") == "task.transitioned"
            and data.get("id") == task.pk
            and data.get("transition") == name
        )

    return match


def events_in(messages: list[dict]) -> list[tuple[int, str]]:
    return [(m["data"]["id"], m["data"]["transition"]) for m in messages if "event" in m]


def test_a_transition_through_the_api_arrives_live_and_a_missed_one_is_replayed(
    world, make_task, asgi_server, worker
):
    task = make_task()
    other = make_task(status=Task.Status.IN_PROGRESS)

    with open_live(asgi_server, world.docs_head) as ws:
        assert subscribe(ws, world.congress.pk) == []
        assert post_transition(asgi_server, world.docs_member, task, "start")["status"] == (
            "in_progress"
        )
        started = receive_until(ws, transitioned(task, "start"))[-1]
    start_event = Event.objects.get(object_id=task.pk, payload__transition="start")
    assert started["event"] == start_event.pk
    assert started["congress"] == world.congress.pk
    assert started["data"]["status"] == "in_progress"
    assert started["data"]["from_status"] == "todo"

    # While nobody listens, the next change is made and pushed to an empty group.
    post_transition(asgi_server, world.docs_member, task, "submit", note="Dự thảo lần 1 xong")
    missed = Event.objects.get(object_id=task.pk, payload__transition="submit")
    wait_for(
        lambda: Event.objects.filter(pk=missed.pk, dispatched_at__isnull=False),
        what="the worker to dispatch the missed event",
    )

    with open_live(asgi_server, world.docs_head) as ws:
        replayed = subscribe(ws, world.congress.pk, after=started["event"])
        assert [(e["event"], e["type"]) for e in replayed] == [(missed.pk, "task.transitioned")]
        assert replayed[0]["data"]["note"] == "Dự thảo lần 1 xong"

        post_transition(asgi_server, world.docs_member, other, "submit", note="Đã xong")
        live = Event.objects.get(object_id=other.pk, payload__transition="submit")
        messages = receive_until(
            ws,
            lambda m: m.get("type") == "notification.created" and m["data"]["event"] == live.pk,
        )
    # The new event once, and the replayed one not again.
    assert events_in(messages) == [(other.pk, "submit")]
    notification = messages[-1]["data"]
    assert notification["category"] == Category.REVIEW
    assert notification["link"] == f"/tasks/{other.pk}/"
    assert other.title in notification["title"]


def test_the_websocket_refuses_a_foreign_origin_and_a_client_without_a_valid_token(
    world, asgi_server
):
    with pytest.raises(InvalidStatus) as foreign:
        open_live(asgi_server, world.docs_head, origin="http://evil.example.com")
    assert foreign.value.response.status_code == 403

    with pytest.raises(InvalidStatus) as anonymous:
        open_live(asgi_server)
    assert anonymous.value.response.status_code == 403

    world.docs_head.is_active = False
    world.docs_head.save(update_fields=["is_active"])
    with pytest.raises(InvalidStatus) as inactive:
        open_live(asgi_server, world.docs_head)
    assert inactive.value.response.status_code == 403

    with open_live(asgi_server, world.docs_member) as ws:  # the same origin is let in
        assert subscribe(ws, world.congress.pk) == []


def test_a_confidential_event_never_reaches_a_documents_member_socket(
    world, make_task, asgi_server, worker
):
    secret = make_task(
        body=world.personnel, assignee=world.personnel_member, created_by=world.sc_head
    )
    public = make_task()

    with (
        open_live(asgi_server, world.docs_member) as member,
        open_live(asgi_server, world.sc_head) as insider,
    ):
        subscribe(member, world.congress.pk)
        subscribe(insider, world.congress.pk)
        post_transition(asgi_server, world.personnel_member, secret, "start")
        post_transition(asgi_server, world.docs_member, public, "start")

        # The worker pushes both, in order: the member's socket skipped the first.
        insider_got = receive_until(insider, transitioned(public, "start"))
        member_got = receive_until(member, transitioned(public, "start"))
        assert events_in(insider_got) == [(secret.pk, "start"), (public.pk, "start")]
        assert events_in(member_got) == [(public.pk, "start")]

        # Nor is it in the member's replay.
        assert events_in(subscribe(member, world.congress.pk, after=0)) == [(public.pk, "start")]


def test_an_idle_websocket_stays_open_and_still_receives_events(
    world, make_task, asgi_server, worker
):
    """The channel layer waits for messages with blocking Redis reads of 5 s: a client socket
    timeout as short as that (redis-py 8's default) would close every idle websocket."""
    task = make_task()
    log_start = len(asgi_server.log_text())

    with open_live(asgi_server, world.docs_head) as ws:
        subscribe(ws, world.congress.pk)
        time.sleep(6)
        post_transition(asgi_server, world.docs_member, task, "start")
        assert receive_until(ws, transitioned(task, "start"))
    time.sleep(0.5)  # the server logs what went wrong when the consumer stops
    server_log = asgi_server.log_text()[log_start:]
    assert "Traceback" not in server_log, f"the server failed:\n{server_log[-600:]}"


def test_the_server_of_make_run_closes_a_websocket_that_sends_a_frame_over_64_kib(
    world, asgi_server
):
    # asgi_server runs uvicorn with the --ws options of `make run` (services.websocket_options).
    with open_live(asgi_server, world.docs_head) as ws:
        assert subscribe(ws, world.congress.pk) == []
        ws.send(
            json.dumps({"action": "subscribe", "congress": world.congress.pk, "x": "a" * 70_000})
        )
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009  # message too big


def test_make_run_and_the_production_procfile_limit_websocket_frames_alike():
    makefile = websocket_options(BASE_DIR / "Makefile")
    assert "--ws-max-size=65536" in makefile
    assert makefile == websocket_options(BASE_DIR / "Procfile")
