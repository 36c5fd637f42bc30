"""7. The pages users open most, as a browser signed in with its session cookie asks for them:
the congress dashboard (`/congresses/{id}/`) and the task list page (`/tasks/`), on the
production topology (nginx with deploy/nginx.conf in front of gunicorn's sync workers through
congress.wsgi, CONN_MAX_AGE=60), at 1 and 10 clients; against, in the same run and the same
way, the API's empty task page (the framework's floor) and the hand-written SQL task page
(benchmarks/baseline.py). Query counts in-process with CaptureQueriesContext."""

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks import env, httpload
from benchmarks.bench_task_list import EMPTY_PATH, WORKERS
from benchmarks.bench_task_list import PATH as API_PATH
from benchmarks.processes import Gunicorn, Proxy, free_port, started
from benchmarks.report import Section
from benchmarks.seed import Facts

REQUESTS = 200
DASHBOARD = "dashboard page"
TASKS = "task list page"
FLOOR = "API, empty task page (the framework's floor)"
HAND = "hand-written SQL task page (API's page of 50)"


def _signed_in(user_id: int) -> Client:
    from congress.models import User

    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    return client


def _query_counts(client: Client, paths: dict[str, str]) -> dict[str, int]:
    """Queries of one page view, session and user included, after a first view (which
    remembers the congress in the session)."""
    counts = {}
    for name, path in paths.items():
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[name] = len(queries)
    return counts


def _in_process(client: Client, paths: dict[str, str], rounds: int = 30) -> dict[str, float]:
    medians = {}
    for name, path in paths.items():
        times = []
        for _ in range(rounds):
            started = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - started)
        medians[name] = statistics.median(times) * 1000
    return medians


def _servers() -> tuple[list, dict[str, int], bool]:
    dsn = env.database_url().replace("postgres://", "postgresql://")
    ports = {"app": free_port(), "hand": free_port()}
    servers = [
        Gunicorn(
            "congress.wsgi:application",
            ports["app"],
            workers=WORKERS,
            worker_class="sync",
            name="pages-wsgi",
            CONN_MAX_AGE="60",
        ),
        Gunicorn(
            "benchmarks.baseline:wsgi",
            ports["hand"],
            workers=WORKERS,
            worker_class="sync",
            name="pages-baseline",
            BASELINE_DSN=dsn,
        ),
    ]
    front = dict(ports)
    proxied = Proxy.available()
    if proxied:
        for name in ("app", "hand"):
            front[name] = free_port()
            servers.append(
                Proxy(
                    front[name], wsgi_port=ports[name], asgi_port=free_port(), name=f"pages-{name}"
                )
            )
    return servers, front, proxied


def run(facts: Facts) -> Section:
    section = Section("7. Pages (HTML) at scale")
    user = facts.bench_user
    key = facts.tokens[str(user)]
    pages = {
        DASHBOARD: reverse("web-dashboard", args=[facts.large_congress]),
        TASKS: reverse("web-tasks") + f"?congress={facts.large_congress}",
    }
    client = _signed_in(user)
    counts = _query_counts(client, pages)
    in_process = _in_process(client, pages)
    cookie = f"{client.cookies['sessionid'].key}={client.cookies['sessionid'].value}"
    browser = {"Cookie": cookie, "Accept": "text/html", "Accept-Encoding": "gzip"}
    api = {"Authorization": f"Token {key}", "Accept": "application/json"}
    servers, front, proxied = _servers()
    runs = [
        (DASHBOARD, front["app"], pages[DASHBOARD], browser),
        (TASKS, front["app"], pages[TASKS], browser),
        (FLOOR, front["app"], EMPTY_PATH, api),
        (HAND, front["hand"], API_PATH, api),
    ]
    rows, results = [], {}
    with started(*servers):
        for name, port, path, headers in runs[:2]:
            status, _ = httpload.load(
                port, path, headers, clients=1, total=1, warmup=0
            ).statuses.popitem()
            assert status == 200, (name, status)
        for clients in (1, 10):
            for name, port, path, headers in runs:
                stats = httpload.load(port, path, headers, clients=clients, total=REQUESTS)
                results[(name, clients)] = stats
                answers = ", ".join(f"{c}x{n}" for c, n in sorted(stats.statuses.items()))
                rows.append(
                    [
                        name,
                        clients,
                        stats.requests,
                        stats.median_ms(),
                        stats.p95_ms(),
                        stats.rps(),
                        answers,
                    ]
                )
    section.table(
        ["what", "clients", "requests", "median ms", "p95 ms", "requests/s", "answers"], rows
    )
    section.table(
        ["page", "SQL queries of one view (in-process)", "in-process median ms"],
        [[name, counts[name], in_process[name]] for name in pages],
    )
    ratio_rows = []
    for name in (DASHBOARD, TASKS):
        for clients in (1, 10):
            page = results[(name, clients)]
            ratio_rows.append(
                [
                    name,
                    clients,
                    f"{page.p95_ms() / results[(FLOOR, clients)].p95_ms():.2f}x",
                    f"{page.p95_ms() / results[(HAND, clients)].p95_ms():.2f}x",
                ]
            )
    section.table(["page", "clients", "p95 / API empty page", "p95 / hand-written SQL"], ratio_rows)
    section.notes += [
        f"User {user} (the task-list user of section 1), signed in with a session cookie "
        f"(database sessions); the dashboard of the large congress ({facts.large_congress}) and "
        "the task list page of the same congress (first page, no filter). The client sends "
        "`Accept-Encoding: gzip` as a browser does (nginx compresses the HTML).",
        (
            f"`gunicorn APP -w {WORKERS}` (sync workers, congress.wsgi, CONN_MAX_AGE=60, the "
            "Redis cache) "
            + ("behind nginx running deploy/nginx.conf" if proxied else "**without nginx**")
            + f"; benchmarks/httpload.py, keep-alive, 3 warm-up requests per connection, then "
            f"{REQUESTS} requests per row."
        ),
        "The query counts include the session and its user (2 queries) and are those of a view "
        "after the first (the first one remembers the congress in the session).",
    ]
    return section
