"""5. Outbox recovery: the benchmark's redis-server (port 6390, in memory only) is stopped for
60 s while transitions go on; then it comes back empty (what was queued is lost, the worst
case) and the Celery worker reconnects.

Transitions run through `task_transition` in this process, as a web process would, one every
0.5 s, before, during and after the outage. Celery beat is simulated: `redispatch_events` is
sent to the worker as often as CELERY_BEAT_SCHEDULE says (every 10 s) (while Redis is down the send
fails, as beat's would). The figure is the time from Redis's return until every event of the
run committed before Redis's return is dispatched (watched while the transitions go on), and
until the last event of the run is; then each event is checked: dispatched once, one
notification per recipient, none lost.
"""

import statistics
import threading
import time

from benchmarks.processes import CeleryWorker, Gunicorn, RedisServer, free_port, started
from benchmarks.report import Section
from benchmarks.seed import Facts

OUTAGE = 60.0
BEFORE, AFTER = 10.0, 10.0
PACE = 0.5  # seconds between transitions
RECOVERY_GOAL = 10.0
GIVE_UP = 240.0


def _tasks(facts: Facts, count: int) -> list[tuple[int, int]]:
    """(task id, assignee id) of tasks in progress that need review."""
    from workflows.models import Task

    body = facts.bodies["Tổ giúp việc Tiểu ban Tổ chức"]
    members = facts.members[str(body)]
    tasks = Task.objects.bulk_create(
        Task(
            congress_id=facts.large_congress,
            body_id=body,
            title=f"Chuẩn bị hậu cần (outbox {n})",
            assignee_id=members[10 + n % 20],
            created_by_id=facts.leaders[str(body)][0],
            status="in_progress",
            requires_review=True,
        )
        for n in range(count)
    )
    return [(t.pk, t.assignee_id) for t in tasks]


class Transitions(threading.Thread):
    """Submits one task every PACE seconds until stopped; records when each committed and how
    long the call took (a broker outage makes queueing the dispatch wait)."""

    def __init__(self, tasks):
        super().__init__(name="transitions", daemon=True)
        self.tasks = list(tasks)
        self.done: list[tuple[int, float, float]] = []  # (task id, wall clock, call seconds)
        self.errors: list[str] = []
        self.stop = threading.Event()

    def run(self):
        from django.contrib.auth import get_user_model
        from django.db import connection

        from workflows.services.tasks import task_transition

        users = get_user_model().objects.in_bulk({a for _t, a in self.tasks})
        try:
            for task_id, assignee in self.tasks:
                if self.stop.is_set():
                    break
                started = time.perf_counter()
                try:
                    task_transition(
                        actor=users[assignee], task_id=task_id, name="submit", note="Đã xong"
                    )
                    self.done.append((task_id, time.monotonic(), time.perf_counter() - started))
                except Exception as error:  # a failed request would be a finding
                    self.errors.append(f"{type(error).__name__}: {error}")
                self.stop.wait(max(0.0, PACE - (time.perf_counter() - started)))
        finally:
            connection.close()


class Supervisor(threading.Thread):
    """Restarts the worker when it exits, as the process manager of a production deployment
    does (systemd `Restart=always`, a Procfile platform): Celery's worker can die of a
    broker connection lost at the wrong moment (see the notes)."""

    def __init__(self, worker: CeleryWorker, origin: float):
        super().__init__(name="supervisor", daemon=True)
        self.worker, self.origin = worker, origin
        self.restarts: list[str] = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.wait(0.5):
            if not self.worker.running and not self.worker.stopping:
                code = self.worker.popen.returncode if self.worker.popen else None
                self.restarts.append(f"{time.monotonic() - self.origin:5.1f} s (exit {code})")
                self.worker.spawn()


def _beat_tick() -> str:
    from notifications.tasks import redispatch_events

    try:
        redispatch_events.delay()
        return "sent"
    except Exception as error:
        return f"failed ({type(error).__name__})"


def _pending(task_ids) -> int:
    from notifications.models import Event

    return Event.objects.filter(
        object_kind="task", object_id__in=task_ids, dispatched_at__isnull=True
    ).count()


def _api_probe(port: int, token: str) -> str:
    """What a client of the API gets while Redis is down."""
    from benchmarks import httpload

    try:
        status, _body = httpload.get_json(
            port, "/api/v1/tasks/?page_size=1", {"Authorization": f"Token {token}"}
        )
        return str(status)
    except Exception as error:
        return f"{type(error).__name__}"


def _check(task_ids) -> dict:
    from benchmarks.bench_concurrency import _check_events

    return _check_events(task_ids)


def run(facts: Facts, redis: RedisServer | None = None) -> Section:
    from django.db import connection

    section = Section("5. Outbox recovery")
    count = int((BEFORE + OUTAGE + AFTER) / PACE) + 20
    tasks = _tasks(facts, count)
    task_ids = [t for t, _a in tasks]
    redis = redis or RedisServer.current
    port = free_port()
    timeline: list[list[str]] = []
    from django.conf import settings

    beat = float(settings.CELERY_BEAT_SCHEDULE["redispatch-events"]["schedule"])
    beats: list[str] = []
    connection.close()
    worker = CeleryWorker()
    web = Gunicorn("config.asgi:application", port, workers=1, name="gunicorn-outbox")
    with started(worker, web):
        origin = time.monotonic()
        stamp = lambda: f"{time.monotonic() - origin:5.1f} s"  # noqa: E731
        transitions = Transitions(tasks)
        supervisor = Supervisor(worker, origin)
        next_beat = origin + 5.0
        transitions.start()
        supervisor.start()
        time.sleep(BEFORE)
        redis.stop()
        down_at = time.monotonic()
        timeline.append([stamp(), "redis-server stopped", f"{len(transitions.done)} transitions"])
        probe = _api_probe(port, facts.tokens[str(facts.bench_user)])
        timeline.append([stamp(), "API probe during the outage", f"HTTP {probe}"])
        while time.monotonic() - down_at < OUTAGE:
            if time.monotonic() >= next_beat:
                beats.append(f"{stamp()}: {_beat_tick()}")
                next_beat += beat
            time.sleep(0.2)
        during = len(transitions.done)
        redis.start()
        up_at = time.monotonic()
        timeline.append(
            [
                stamp(),
                "redis-server back (empty)",
                f"{during} transitions, {_pending(task_ids)} events pending",
            ]
        )
        # The events committed before the return (the outage's backlog): watched while the
        # transitions go on, the beat ticking as before.
        backlog = [t for t, _w, _d in transitions.done]
        backlog_at = None
        while time.monotonic() - up_at < AFTER:
            if time.monotonic() >= next_beat:
                beats.append(f"{stamp()}: {_beat_tick()}")
                next_beat += beat
            if backlog_at is None and _pending(backlog) == 0:
                backlog_at = time.monotonic()
                timeline.append(
                    [stamp(), "every event of the outage dispatched", f"{len(backlog)} events"]
                )
            time.sleep(0.1)
        transitions.stop.set()
        transitions.join(30)
        timeline.append(
            [
                stamp(),
                "transitions stopped",
                f"{len(transitions.done)} transitions, {_pending(task_ids)} pending",
            ]
        )
        recovered_at = None
        while time.monotonic() - up_at < GIVE_UP:
            if time.monotonic() >= next_beat:
                beats.append(f"{stamp()}: {_beat_tick()}")
                next_beat += beat
            if backlog_at is None and _pending(backlog) == 0:
                backlog_at = time.monotonic()
            if _pending(task_ids) == 0:
                recovered_at = time.monotonic()
                break
            time.sleep(0.2)
        timeline.append(
            [
                stamp(),
                "every event dispatched" if recovered_at else "gave up",
                f"{_pending(task_ids)} pending",
            ]
        )
        supervisor.stop.set()  # before the worker is stopped: it must not be started again
        supervisor.join(5)
        connection.close()
    for restart in supervisor.restarts:
        when, code = restart.split(" (")
        timeline.append([when, "the Celery worker had exited: started again", code.rstrip(")")])
    timeline.sort(key=lambda row: float(row[0].split()[0]))
    check = _check([t for t, _w, _d in transitions.done])
    recovery = (backlog_at - up_at) if backlog_at else None
    stopped_at = up_at + AFTER
    last = max(recovered_at - stopped_at, 0.0) if recovered_at else None
    in_outage = [d for _t, w, d in transitions.done if down_at <= w - d and w <= up_at]
    section.table(["time", "what", "state"], timeline)
    section.table(["simulated beat: redispatch_events sent at"], [[b] for b in beats])
    section.table(
        [
            "transitions",
            "during the outage",
            "errors",
            "slowest call during the outage (s)",
            "median call during the outage (s)",
            "events",
            "undispatched",
            "notifications",
            "expected",
            "events with wrong notifications",
        ],
        [
            [
                len(transitions.done),
                len(in_outage),
                len(transitions.errors),
                max(in_outage, default=0.0),
                statistics.median(in_outage) if in_outage else 0.0,
                check["events"],
                check["undispatched"],
                check["notifications"],
                check["expected notifications"],
                check["events with wrong notifications"],
            ]
        ],
    )
    section.goal(
        "every pending event dispatched within 10 s of Redis's return",
        recovery is not None and recovery <= RECOVERY_GOAL,
        (
            f"{recovery:.1f} s for the {len(backlog)} events committed before the return; "
            f"the last of all {last:.1f} s after the transitions stopped"
            if recovery is not None and last is not None
            else f"not within {GIVE_UP:.0f} s"
        ),
    )
    section.goal(
        "none lost or doubled",
        check["events"] == len(transitions.done) == check["distinct tasks"]
        and check["undispatched"] == 0
        and check["events with wrong notifications"] == 0
        and check["notifications"] == check["expected notifications"],
        f"{check['events']} events for {len(transitions.done)} transitions, "
        f"{check['notifications']} notifications ({check['expected notifications']} expected)",
    )
    if supervisor.restarts:
        section.notes.append(
            f"The Celery worker exited {len(supervisor.restarts)} time(s) when the broker went "
            "away and was restarted by the benchmark standing in for a process manager: kombu's "
            "Redis transport fails while restoring unacknowledged messages on a lost connection "
            "(`AttributeError: 'NoneType' object has no attribute 'hostname'`, "
            "var/bench/logs/celery-worker.log; the same failure as celery/kombu#582). In "
            "production the worker must run under a supervisor that restarts it."
        )
    section.notes += [
        "Events committed while Redis is down are in the outbox, undispatched: queueing their "
        "dispatch failed. The process that committed them (here the benchmark process, as a "
        "web process) keeps their dispatch jobs (notifications/jobs.py, at most 10,000): the "
        "first call waits ~0.6 s for kombu's publish retries, the next ones are kept at once "
        "while the broker is known to be down. A thread checks the broker every 0.5 s and "
        "queues the kept jobs as soon as it answers, then one `redispatch_events` for what the "
        "broker lost besides (it comes back empty). The beat's redispatch sweep (every 10 s, "
        "events older than `REDISPATCH_AFTER`, 10 s) remains the safety net.",
        "The worker reconnects to the broker every second (notifications/worker.py, named by "
        "CELERY_WORKER_CONSUMER) instead of Celery's 2, 4, 6... s, which after a 60 s outage "
        "put the next try 10-16 s after Redis's return.",
        "While Redis is down the API keeps answering (the rate limits fail open; see the probe "
        "row). The transitions above run in-process through the service (as a web page's "
        "would), not through the API.",
    ]
    return section
