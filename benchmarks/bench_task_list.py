"""1. The task list `/api/v1/tasks/?assignee=me&ordering=due_at` as a member of the large
congress, served by gunicorn with 2 uvicorn workers, against the same page from the
hand-written baseline (benchmarks/baseline.py) served the same way."""

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks import baseline, env, httpload
from benchmarks.processes import Gunicorn, free_port, started
from benchmarks.report import Section
from benchmarks.seed import Facts

PATH = "/api/v1/tasks/?assignee=me&ordering=due_at"
# `ordering=due_at` alone has no tie-breaker (tasks due at the same hour come in any order), so
# the two pages are compared with a total order.
STABLE_PATH = "/api/v1/tasks/?assignee=me&ordering=due_at,id"
# The same request with no row to show: authentication, roles, filters, the count, the
# rendering; what the framework costs whatever the page.
EMPTY_PATH = "/api/v1/tasks/?assignee=me&ordering=due_at&status=done"
APP = "API (Django, DRF)"
HAND = "hand-written SQL"
REQUESTS = 400


def _query_counts(client: Client) -> dict[int, int]:
    counts = {}
    for size in (10, 50, 200):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{PATH}&page_size={size}")
        assert response.status_code == 200, response.content[:300]
        counts[size] = len(queries)
    return counts


def _in_process(client: Client, key: str, rounds: int = 60) -> tuple[float, float]:
    """Median milliseconds to produce the page in this process: the API (Django's test client:
    middleware, DRF, the selector and serializer) and the baseline's function."""
    dsn = env.database_url().replace("postgres://", "postgresql://")
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as raw:
        raw.execute("SET TIME ZONE 'UTC'")
        query = {"assignee": ["me"], "ordering": ["due_at"]}
        app, hand = [], []
        for _ in range(rounds):
            started = time.perf_counter()
            client.get(PATH)
            app.append(time.perf_counter() - started)
            started = time.perf_counter()
            baseline.page(raw, key, query, "http://testserver/api/v1/tasks/")
            hand.append(time.perf_counter() - started)
    return statistics.median(app) * 1000, statistics.median(hand) * 1000


def _normalized(page: dict) -> dict:
    """The page without the host and port of its links (the two servers differ by port)."""
    page = dict(page)
    for link in ("next", "previous"):
        if page.get(link):
            page[link] = page[link].split("/api/", 1)[1]
    return page


def run(facts: Facts) -> Section:
    section = Section("1. Task list at scale")
    user = facts.bench_user
    key = facts.tokens[str(user)]
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    counts = _query_counts(client)
    app_ms, hand_ms = _in_process(client, key)
    headers = {"Authorization": f"Token {key}", "Accept": "application/json"}
    ports = {name: free_port() for name in ("app", "hand", "pool")}
    servers = [
        Gunicorn("congress.asgi:application", ports["app"], name="gunicorn-app"),
        Gunicorn(
            "benchmarks.baseline:application",
            ports["hand"],
            name="gunicorn-baseline",
            BASELINE_DSN=env.database_url().replace("postgres://", "postgresql://"),
        ),
    ]
    runs = [
        (APP, ports["app"], PATH),
        (HAND, ports["hand"], PATH),
        ("API, empty page (the framework's floor)", ports["app"], EMPTY_PATH),
    ]
    if _has_pool():
        servers.append(
            Gunicorn(
                "congress.asgi:application",
                ports["pool"],
                name="gunicorn-pool",
                DJANGO_SETTINGS_MODULE="benchmarks.settings_whatif",
                BENCH_DB_POOL="1",
            )
        )
        runs.append(("what if: API with a connection pool", ports["pool"], PATH))
    rows, results = [], {}
    with started(*servers):
        status_app, page_app = httpload.get_json(ports["app"], STABLE_PATH, headers)
        status_hand, page_hand = httpload.get_json(ports["hand"], STABLE_PATH, headers)
        assert status_app == 200 and status_hand == 200, (status_app, status_hand)
        same = _normalized(page_app) == _normalized(page_hand)
        for clients in (1, 10):
            for name, port, path in runs:
                stats = httpload.load(port, path, headers, clients=clients, total=REQUESTS)
                results[(name, clients)] = stats
                rows.append(
                    [
                        name,
                        clients,
                        stats.requests,
                        stats.median_ms(),
                        stats.p95_ms(),
                        stats.rps(),
                        _statuses(stats),
                    ]
                )
    section.table(
        ["server", "clients", "requests", "median ms", "p95 ms", "requests/s", "answers"], rows
    )
    section.table(
        ["page size", "10", "50", "200"],
        [["SQL queries of one request (in-process)", counts[10], counts[50], counts[200]]],
    )
    section.table(
        ["in-process, one request at a time", "median ms"],
        [["API through Django's test client", app_ms], ["baseline function", hand_ms]],
    )
    app10, hand10 = results[(APP, 10)], results[(HAND, 10)]
    ratio = app10.p95_ms() / hand10.p95_ms()
    section.goal(
        "p95 at 10 clients ≤ 2x the hand-written baseline's",
        ratio <= 2,
        f"{app10.p95_ms():.1f} ms vs {hand10.p95_ms():.1f} ms ({ratio:.2f}x)",
    )
    section.goal(
        "≤ 6 SQL queries whatever the page size",
        max(counts.values()) <= 6 and len(set(counts.values())) == 1,
        f"{counts[10]} / {counts[50]} / {counts[200]} for 10 / 50 / 200 rows",
    )
    section.notes += [
        f"User {user} (a member of the large congress's editorial team and of a ward congress) "
        f"has {page_app['count']} tasks assigned; page of 50, ordered by due date.",
        "Both servers: `gunicorn APP -k uvicorn.workers.UvicornWorker -w 2` on 127.0.0.1, "
        "API rate limit lifted for the benchmark. Client: benchmarks/httpload.py, keep-alive "
        f"connections, 3 warm-up requests per connection, then {REQUESTS} requests.",
        f"The baseline's page is {'identical' if same else '**not identical**'} to the API's "
        "(every field of every row, count and links), compared with `ordering=due_at,id`: "
        "with `ordering=due_at` alone the API orders by the due time only (DRF's "
        "OrderingFilter replaces the default `due_at, id`), so tasks due at the same time "
        "come in an unspecified order and can repeat or be skipped from one page to the next.",
    ]
    return section


def _has_pool() -> bool:
    try:
        import psycopg_pool  # noqa: F401
    except ImportError:
        return False
    return True


def _statuses(stats) -> str:
    return ", ".join(f"{code}x{n}" for code, n in sorted(stats.statuses.items()))
