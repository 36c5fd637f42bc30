"""3. Websocket fan-out: 500 real websocket clients (the `websockets` library, token auth,
Origin http://127.0.0.1) subscribed to the large congress on two uvicorn processes (250 each)
over channels-redis, and a real Celery worker that dispatches the events.

For each transition: t0 is taken in an on-commit callback registered before the transition
service's own (so before the dispatch is even queued); each client stamps the arrival of the
event with the same system-wide monotonic clock; the figure is the time until the last client
has it. The clients run in this process, so the figure includes their own cost of reading 500
messages on the same 2 cores.
"""

import asyncio
import json
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

from benchmarks.httpload import percentile
from benchmarks.processes import CeleryWorker, Uvicorn, free_port, started
from benchmarks.report import Section
from benchmarks.seed import Facts

CLIENTS = 500
TRANSITIONS = 30
WAIT_FOR_ALL = 10.0  # seconds to wait for every client to have an event before going on


class Client:
    def __init__(self, user_id: int, token: str, port: int):
        self.user_id, self.token, self.port = user_id, token, port
        self.arrivals: dict[int, float] = {}
        self.duplicates = 0
        self.socket = None
        self.reader: asyncio.Task | None = None

    async def connect(self, congress: int, after: int) -> None:
        from websockets.asyncio.client import connect

        self.socket = await connect(
            f"ws://127.0.0.1:{self.port}/ws/live/?token={self.token}",
            origin="http://127.0.0.1",
            proxy=None,
            open_timeout=30,
        )
        await self.socket.send(
            json.dumps({"action": "subscribe", "congress": congress, "after": after})
        )
        while True:
            message = json.loads(await asyncio.wait_for(self.socket.recv(), 30))
            if message.get("subscribed") == congress:
                break
            if "error" in message:
                raise RuntimeError(f"user {self.user_id}: {message}")
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        try:
            async for raw in self.socket:
                now = time.monotonic()
                message = json.loads(raw)
                event = message.get("event")
                if isinstance(event, int):
                    if event in self.arrivals:
                        self.duplicates += 1
                    else:
                        self.arrivals[event] = now
        except Exception:  # closed at the end
            pass

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
        if self.reader is not None:
            await self.reader


def _transition(actor_id: int, task_id: int, name: str) -> tuple[int, float]:
    """Run one transition through the service; (event id, monotonic time of the commit)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from notifications.models import Event
    from workflows.services.tasks import task_transition

    actor = get_user_model().objects.get(pk=actor_id)
    stamp: dict[str, float] = {}
    with transaction.atomic():
        transaction.on_commit(lambda: stamp.setdefault("t0", time.monotonic()))
        task_transition(actor=actor, task_id=task_id, name=name, reason="Chờ ý kiến")
        event = Event.objects.filter(object_kind="task", object_id=task_id).order_by("-id")[0]
    return event.pk, stamp["t0"]


def _prepare(facts: Facts) -> tuple[int, int, int]:
    """A fresh task of the editorial team (not confidential: every subscriber sees it) and
    the last event id (the clients subscribe after it)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from congress.models import Body
    from notifications.models import Event
    from workflows.services.tasks import task_create

    try:
        body = Body.objects.get(pk=facts.bodies["Tổ biên tập"])
        leader = get_user_model().objects.get(pk=facts.leaders[str(body.pk)][0])
        assignee = get_user_model().objects.get(pk=facts.members[str(body.pk)][1])
        task = task_create(actor=leader, body=body, title="Fan-out benchmark", assignee=assignee)
        last = Event.objects.order_by("-id").values_list("pk", flat=True).first()
        return task.pk, assignee.pk, last
    finally:
        connection.close()


async def _run(facts: Facts, ports: list[int]) -> tuple[list[Client], list[tuple[int, float]]]:
    from django.db import close_old_connections

    task_id, assignee, last_event = await asyncio.to_thread(_prepare, facts)
    users = facts.large_members[:CLIENTS]
    clients = [Client(u, facts.tokens[str(u)], ports[i % 2]) for i, u in enumerate(users)]
    for start in range(0, len(clients), 50):  # connect 50 at a time
        await asyncio.gather(
            *(c.connect(facts.large_congress, last_event) for c in clients[start : start + 50])
        )
    executor = ThreadPoolExecutor(1)  # one thread, one database connection
    loop = asyncio.get_running_loop()
    sent: list[tuple[int, float]] = []
    names = ["start"] + ["block", "unblock"] * TRANSITIONS
    try:
        for name in names[:TRANSITIONS]:
            event_id, t0 = await loop.run_in_executor(
                executor, _transition, assignee, task_id, name
            )
            sent.append((event_id, t0))
            deadline = time.monotonic() + WAIT_FOR_ALL
            while time.monotonic() < deadline and not all(event_id in c.arrivals for c in clients):
                await asyncio.sleep(0.005)
            await asyncio.sleep(0.2)
        await asyncio.sleep(1.0)  # late or duplicate messages
    finally:
        await loop.run_in_executor(executor, close_old_connections)
        executor.shutdown()
        await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)
    return clients, sent


def _measure(facts: Facts, **extra_env: str) -> dict:
    from django.db import connection

    ports = [free_port(), free_port()]
    worker = CeleryWorker(**extra_env)
    servers = [Uvicorn(port, **extra_env) for port in ports]
    connection.close()
    with started(worker, *servers):
        clients, sent = asyncio.run(_run(facts, ports))
    last, median_client, first, missing = [], [], [], 0
    for event_id, t0 in sent:
        arrivals = [c.arrivals[event_id] - t0 for c in clients if event_id in c.arrivals]
        missing += len(clients) - len(arrivals)
        if arrivals:
            last.append(max(arrivals) * 1000)
            median_client.append(statistics.median(arrivals) * 1000)
            first.append(min(arrivals) * 1000)
    return {
        "first": first,
        "median": median_client,
        "last": last,
        "clients": len(clients),
        "transitions": len(sent),
        "received": sum(len(c.arrivals) for c in clients),
        "duplicates": sum(c.duplicates for c in clients),
        "missing": missing,
    }


def _rows(label: str, m: dict) -> list[list]:
    return [
        [label, f"{who} client", statistics.median(m[key]), percentile(m[key], 95), max(m[key])]
        for who, key in (("first", "first"), ("median", "median"), ("last", "last"))
        if m[key]
    ]


def run(facts: Facts) -> Section:
    section = Section("3. Websocket fan-out")
    layer = "RedisPubSubChannelLayer (the application's setting)"
    measured = _measure(facts)
    rows = _rows(layer, measured)
    counts = [
        [
            layer,
            measured["clients"],
            measured["transitions"],
            measured["clients"] * measured["transitions"],
            measured["received"],
            measured["missing"],
            measured["duplicates"],
        ]
    ]
    other_layer = "what if: RedisChannelLayer (CHANNEL_LAYER=core)"
    other = _measure(facts, CHANNEL_LAYER="core")
    rows += _rows(other_layer, other)
    counts.append(
        [
            other_layer,
            other["clients"],
            other["transitions"],
            other["clients"] * other["transitions"],
            other["received"],
            other["missing"],
            other["duplicates"],
        ]
    )
    section.table(["channel layer", "commit → event at the", "median ms", "p95 ms", "max ms"], rows)
    section.table(
        [
            "channel layer",
            "clients",
            "transitions",
            "events expected",
            "received",
            "missing",
            "duplicates",
        ],
        counts,
    )
    last = measured["last"]
    med, p95 = statistics.median(last), percentile(last, 95)
    expected = measured["clients"] * measured["transitions"]
    section.goal("median (last client) ≤ 100 ms", med <= 100, f"{med:.0f} ms")
    section.goal("p95 (last client) ≤ 250 ms", p95 <= 250, f"{p95:.0f} ms")
    section.goal(
        "every client receives every event",
        measured["missing"] == 0 and measured["duplicates"] == 0,
        f"{measured['received']:,} of {expected:,}, {measured['duplicates']} duplicates",
    )
    section.notes += [
        f"{measured['clients']} distinct members of the large congress, each with its own "
        "token, 250 on each of two uvicorn processes; transitions `start`, then "
        "`block`/`unblock` of one editorial-team task by its assignee through "
        "`task_transition`, one at a time (the next once every client has the previous "
        "event, or after 10 s).",
        "Path: commit → `dispatch_event` queued on Redis → Celery worker (prefork, 2 "
        "processes) writes the notifications and `group_send`s to the congress group → "
        "channels-redis → each uvicorn process → its consumers → websocket frames.",
        "The 500 clients run in the benchmark process, on the same 2 cores as the servers, the "
        "worker, Redis and PostgreSQL: the time they take to read (inflate and parse) 500 "
        "messages is in the figures.",
    ]
    return section
