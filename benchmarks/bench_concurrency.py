"""4. Concurrency.

a) 50 simultaneous approvals of one document, 100 times: 50 threads (each with its own
   database connection and its own user object) released together by a barrier call
   `document_transition(approve)` on a document in subcommittee review; exactly one may
   succeed. The approvers are the leaders of the owning team and of its subcommittee (4
   people: a double click, or two leaders at once), half the rounds without `version` (the
   service then uses the version it read before the lock), half with the version the client
   saw.
b) 1,000 tasks submitted for review through the API by 16 concurrent clients (16 assignees,
   each with its own token and keep-alive connection) on gunicorn with 2 uvicorn workers,
   with a real Celery worker dispatching the events: transitions per second, then every
   event checked: dispatched, one notification per recipient the rules name, no more.
"""

import asyncio
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from benchmarks.httpload import Connection, percentile
from benchmarks.processes import CeleryWorker, Gunicorn, free_port, started, wait_for
from benchmarks.report import Section
from benchmarks.seed import Facts

APPROVERS = 50
ROUNDS = 100
TASKS = 1_000
CLIENTS = 16


# --- a) approvals ------------------------------------------------------------------------


def _documents(facts: Facts) -> tuple[list[int], list[int]]:
    """100 outlines of the editorial team in subcommittee review, each with a draft; and the
    ids of the people who may approve that step."""
    from django.utils import timezone

    from workflows.models import Document, DocumentVersion

    team = facts.bodies["Tổ biên tập"]
    subcommittee = facts.bodies["Tiểu ban Văn kiện"]
    approvers = facts.leaders[str(team)] + facts.leaders[str(subcommittee)]
    rapporteur = facts.members[str(team)][2]
    documents = Document.objects.bulk_create(
        Document(
            congress_id=facts.large_congress,
            body_id=team,
            kind="outline",
            title=f"Đề cương (benchmark {n})",
            rapporteur_id=rapporteur,
            status="subcommittee_review",
        )
        for n in range(ROUNDS)
    )
    DocumentVersion.objects.bulk_create(
        DocumentVersion(
            document=d,
            number=1,
            round=1,
            file=f"documents/bench-approve-{d.pk}.md",
            original_name="de-cuong.md",
            file_type="md",
            size=10,
            sha256="0" * 64,
            text="Đề cương",
            author_id=rapporteur,
            created_at=timezone.now(),
        )
        for d in documents
    )
    return [d.pk for d in documents], approvers


def _approve(user_id: int, document_id: int, version: int | None, barrier) -> str:
    from django.contrib.auth import get_user_model

    from congress.errors import DomainError
    from workflows.services.documents import document_transition

    user = get_user_model().objects.get(pk=user_id)  # read before the barrier
    barrier.wait()
    try:
        document_transition(actor=user, document_id=document_id, name="approve", version=version)
        return "ok"
    except DomainError as error:
        return f"{type(error).__name__} {getattr(error, 'code', '')}".strip()
    except Exception as error:  # counted: anything but ok or a 409 is a failure
        return f"error {type(error).__name__}: {error}"


def _approvals(facts: Facts) -> tuple[list[list], dict]:
    from django.db import connection

    from notifications.models import Event
    from workflows.models import AuditEntry, Document

    document_ids, approvers = _documents(facts)
    outcomes: dict[tuple[str, str], int] = {}
    bad_rounds = 0
    started_at = time.perf_counter()
    with ThreadPoolExecutor(APPROVERS) as pool:
        for n, document_id in enumerate(document_ids):
            version = None if n % 2 == 0 else 1
            barrier = threading.Barrier(APPROVERS)
            futures = [
                pool.submit(_approve, approvers[i % len(approvers)], document_id, version, barrier)
                for i in range(APPROVERS)
            ]
            results = [f.result() for f in futures]
            mode = "without version" if version is None else "with version"
            for result in results:
                outcomes[(mode, result)] = outcomes.get((mode, result), 0) + 1
            if results.count("ok") != 1:
                bad_rounds += 1
        barrier = threading.Barrier(APPROVERS)  # one close in each thread

        def close():
            connection.close()
            barrier.wait()

        for future in [pool.submit(close) for _ in range(APPROVERS)]:
            future.result()
    wall = time.perf_counter() - started_at
    documents = Document.objects.filter(pk__in=document_ids)
    moved = documents.filter(status="steering_review", version=2).count()
    audits = AuditEntry.objects.filter(
        object_id__in=document_ids, transition="approve", content_type__model="document"
    ).count()
    events = Event.objects.filter(
        object_kind="document", object_id__in=document_ids, type="document.transitioned"
    ).count()
    rows = [[mode, outcome, count] for (mode, outcome), count in sorted(outcomes.items())]
    return rows, {
        "bad_rounds": bad_rounds,
        "moved": moved,
        "audits": audits,
        "events": events,
        "wall": wall,
        "approvers": len(approvers),
    }


# --- b) 1,000 tasks by 16 clients -----------------------------------------------------------


def _tasks(facts: Facts) -> dict[int, list[int]]:
    """1,000 tasks in progress, requiring review, for 16 assignees of non-confidential bodies;
    by assignee."""
    from workflows.models import Task

    bodies = [
        facts.bodies[name]
        for name in (
            "Tổ biên tập",
            "Tổ giúp việc Tiểu ban Tổ chức",
            "Tổ tuyên truyền cơ sở",
            "Tiểu ban Tuyên truyền",
        )
    ]
    assignees = []
    for n in range(CLIENTS):
        body = bodies[n % len(bodies)]
        assignees.append((body, facts.members[str(body)][3 + n // len(bodies)]))
    tasks = Task.objects.bulk_create(
        Task(
            congress_id=facts.large_congress,
            body_id=assignees[n % CLIENTS][0],
            title=f"Báo cáo tiến độ (benchmark {n})",
            assignee_id=assignees[n % CLIENTS][1],
            created_by_id=facts.leaders[str(assignees[n % CLIENTS][0])][0],
            status="in_progress",
            requires_review=True,
        )
        for n in range(TASKS)
    )
    mine: dict[int, list[int]] = {}
    for task in tasks:
        mine.setdefault(task.assignee_id, []).append(task.pk)
    return mine


async def _submit_all(port: int, facts: Facts, mine: dict[int, list[int]]):
    latencies, statuses = [], {}

    async def client(user_id: int, task_ids: list[int]):
        connection = Connection(port)
        headers = {
            "Authorization": f"Token {facts.tokens[str(user_id)]}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        body = json.dumps({"note": "Đã hoàn thành, đề nghị xem xét."}).encode()
        for task_id in task_ids:
            started = time.perf_counter()
            status, _data = await connection.request(
                "POST", f"/api/v1/tasks/{task_id}/transitions/submit/", headers, body
            )
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
        await connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(u, ids) for u, ids in mine.items()))
    return time.perf_counter() - started, latencies, statuses


def _check_events(task_ids: list[int]) -> dict:
    """Every event dispatched, with exactly the notifications its recipients call for."""
    from django.db.models import Count

    from notifications.models import Event, Notification
    from notifications.recipients import recipients_for

    events = list(
        Event.objects.filter(
            object_kind="task", object_id__in=task_ids, type="task.transitioned"
        ).select_related("body")
    )
    per_event = dict(
        Notification.objects.filter(event__in=events).values_list("event").annotate(n=Count("id"))
    )
    wrong, expected_total = 0, 0
    for event in events:
        expected = set(recipients_for(event))
        expected_total += len(expected)
        got = set(Notification.objects.filter(event=event).values_list("recipient_id", flat=True))
        if got != expected or per_event.get(event.pk, 0) != len(expected):
            wrong += 1
    return {
        "events": len(events),
        "distinct tasks": len({e.object_id for e in events}),
        "undispatched": sum(1 for e in events if e.dispatched_at is None),
        "notifications": sum(per_event.values()),
        "expected notifications": expected_total,
        "events with wrong notifications": wrong,
    }


def _all_dispatched(task_ids: list[int]) -> bool:
    from notifications.models import Event

    return not Event.objects.filter(
        object_kind="task", object_id__in=task_ids, dispatched_at__isnull=True
    ).exists()


def run(facts: Facts) -> Section:
    from django.db import connection

    section = Section("4. Concurrency")
    rows, approvals = _approvals(facts)
    section.table(["50 simultaneous approvals x 100", "outcome", "count"], rows)
    section.table(
        [
            "rounds",
            "rounds with ≠ 1 success",
            "documents moved one step (version 2)",
            "audit entries",
            "events",
            "wall s",
        ],
        [
            [
                ROUNDS,
                approvals["bad_rounds"],
                approvals["moved"],
                approvals["audits"],
                approvals["events"],
                approvals["wall"],
            ]
        ],
    )
    section.goal(
        "exactly one of 50 simultaneous approvals succeeds (100 rounds)",
        approvals["bad_rounds"] == 0
        and approvals["moved"] == approvals["audits"] == approvals["events"] == ROUNDS,
        f"{ROUNDS - approvals['bad_rounds']}/{ROUNDS} rounds",
    )

    mine = _tasks(facts)
    task_ids = [t for ids in mine.values() for t in ids]
    port = free_port()
    connection.close()
    with started(CeleryWorker(), Gunicorn("config.asgi:application", port, name="gunicorn-app")):
        wall, latencies, statuses = asyncio.run(_submit_all(port, facts, mine))
        drained_at = time.perf_counter()
        wait_for(lambda: _all_dispatched(task_ids), what="every event dispatched", timeout=300)
        drain = time.perf_counter() - drained_at
        connection.close()
    check = _check_events(task_ids)
    rate = len(latencies) / wall
    section.table(
        [
            "clients",
            "transitions",
            "answers",
            "wall s",
            "transitions/s",
            "median ms",
            "p95 ms",
            "all dispatched after the last answer (s)",
        ],
        [
            [
                CLIENTS,
                len(latencies),
                ", ".join(f"{k}x{v}" for k, v in sorted(statuses.items())),
                wall,
                rate,
                percentile(latencies, 50) * 1000,
                percentile(latencies, 95) * 1000,
                drain,
            ]
        ],
    )
    section.table(
        ["check of the 1,000 transitions", "value"], [[k, f"{v:,}"] for k, v in check.items()]
    )
    section.goal(
        "every event delivered exactly once",
        check["events"] == check["distinct tasks"] == TASKS
        and check["undispatched"] == 0
        and check["events with wrong notifications"] == 0
        and check["notifications"] == check["expected notifications"],
        f"{check['events']:,} events, {check['notifications']:,} notifications "
        f"({check['expected notifications']:,} expected)",
    )
    section.notes += [
        f"Approvals: {approvals['approvers']} distinct approvers (leaders of the owning team and "
        "of the documents subcommittee), cycled over the 50 threads. With the client's "
        "`version` every loser gets 409 `stale_version`. Without it, the service compares "
        "with the version it read before taking the lock: a request whose read came after "
        "the winner's commit sees the document already in the next step and gets 403 (these "
        "approvers may not approve the steering board's step); a leader of both steps would "
        "approve the next step instead, which is why clients should send `version`.",
        "Tasks: `POST /api/v1/tasks/{id}/transitions/submit/` with a note; each event goes to "
        "the reviewers (heads and deputies of the body, its parent body and the steering "
        "board), who get one notification each.",
    ]
    return section
