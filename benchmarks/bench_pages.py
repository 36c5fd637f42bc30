"""7. The pages users open most, as a browser signed in with its session cookie asks for them.
In-process (Django's test client, queries counted with CaptureQueriesContext): the congress
dashboard (`/congresses/{id}/`), the task list page (`/tasks/`), the month calendar
(`/calendar/`), the timeline (`/congresses/{id}/timeline/`), a document's page
(`/documents/{id}/`), the inbox (`/notifications/`) and the documents list (`/documents/`),
with the size of their HTML. Over HTTP, on the production topology (nginx with
deploy/nginx.conf in front of gunicorn's sync workers through config.wsgi, CONN_MAX_AGE=60),
at 1 and 10 clients: the dashboard, the task list page and the calendar; against, in the same
run and the same way, the API's empty task page (the framework's floor) and the hand-written SQL
task page (benchmarks/baseline.py).

The pages are asked for by their plain path (no query string, but the task list page's
congress), so the rows hold whatever parameters those pages come to accept; a page that
redirects is measured at the address it redirects to."""

import gzip
import re
import statistics
import time
from urllib.parse import urlsplit

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarks import env, httpload
from benchmarks.bench_task_list import EMPTY_PATH, WORKERS
from benchmarks.bench_task_list import PATH as API_PATH
from benchmarks.processes import Gunicorn, Proxy, free_port, started
from benchmarks.report import Section
from benchmarks.seed import Facts

DASHBOARD = "dashboard page"
TASKS = "task list page"
CALENDAR = "month calendar"
TIMELINE = "timeline"
DOCUMENT = "document page"
INBOX = "inbox"
DOCUMENTS = "documents list"
HTTP_PAGES = (DASHBOARD, TASKS, CALENDAR)  # measured over HTTP too
FLOOR = "API, empty task page (the framework's floor)"
HAND = "hand-written SQL task page (API's page of 50)"
# Requests per HTTP row of a page: as many as take about ROW_BUDGET_MS one at a time (from its
# in-process median), between MIN_REQUESTS and OTHER_REQUESTS: the dashboard of the
# 20,000-task congress costs far more than the rest, and the run must stay within minutes.
ROW_BUDGET_MS = 18_000
MIN_REQUESTS = 20
OTHER_REQUESTS = 200  # the API's rows, and the most for a page
ROUNDS = 5  # in-process views per page, after the first


def _signed_in(user_id: int) -> Client:
    from congress.models import User

    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    return client


def _document(facts: Facts) -> tuple[int, int] | None:
    """A document of the large congress that the user sees and that has versions: the one with
    the most versions (the lowest id of those), chosen through the visibility rule; its id and
    how many versions it has."""
    from congress.models import User
    from workflows.selectors.documents import documents_visible_to

    user = User.objects.get(pk=facts.bench_user)
    return (
        documents_visible_to(user)
        .filter(congress_id=facts.large_congress)
        .annotate(version_count=Count("versions"))
        .filter(version_count__gt=0)
        .order_by("-version_count", "pk")
        .values_list("pk", "version_count")
        .first()
    )


def _content(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def _resolve(client: Client, paths: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Each page's address once its redirects are followed (a first view, which also
    remembers the congress in the session: the dashboard comes first); and the pages that
    did not answer 200, with their answer, left out of the measurements."""
    final, failed = {}, {}
    for name, path in paths.items():
        response = client.get(path, follow=True)
        if response.status_code != 200:
            failed[name] = f"`{path}`: {response.status_code}"
            continue
        if response.redirect_chain:
            url = urlsplit(response.redirect_chain[-1][0])
            path = url.path + (f"?{url.query}" if url.query else "")
        final[name] = path
    return final, failed


def _in_process(client: Client, paths: dict[str, str]) -> dict[str, dict]:
    """Queries of one view (the session's included), median milliseconds of ROUNDS views,
    and the size of the HTML, as is and gzipped as nginx sends it."""
    level = _gzip_level()
    found = {}
    for name, path in paths.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (name, path, response.status_code)
        count = len(queries)  # now: the next request empties the connection's query log
        content = _content(response)
        times = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            _content(client.get(path))
            times.append(time.perf_counter() - started)
        found[name] = {
            "queries": count,
            "ms": statistics.median(times) * 1000,
            "bytes": len(content),
            "gzip": len(gzip.compress(content, compresslevel=level)),
        }
    return found


def _gzip_level() -> int:
    """deploy/nginx.conf's gzip_comp_level (nginx's default, 1, when it sets none)."""
    match = re.search(r"^\s*gzip_comp_level\s+(\d+)\s*;", Proxy.CONFIG.read_text(), re.M)
    return int(match.group(1)) if match else 1


def _size(size: int) -> str:
    return f"{size / 2**20:.1f} MiB" if size >= 2**20 else f"{size / 1024:.0f} KiB"


def _requests(ms: float) -> int:
    return max(MIN_REQUESTS, min(OTHER_REQUESTS, round(ROW_BUDGET_MS / max(ms, 1.0))))


def _servers() -> tuple[list, dict[str, int], bool]:
    dsn = env.database_url().replace("postgres://", "postgresql://")
    ports = {"app": free_port(), "hand": free_port()}
    servers = [
        Gunicorn(
            "config.wsgi:application",
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
    document, versions = _document(facts) or (None, 0)
    pages = {
        DASHBOARD: reverse("web-dashboard", args=[facts.large_congress]),
        TASKS: reverse("web-tasks") + f"?congress={facts.large_congress}",
        CALENDAR: reverse("web-calendar"),
        TIMELINE: reverse("web-timeline", args=[facts.large_congress]),
        DOCUMENT: reverse("web-document", args=[document]) if document else None,
        INBOX: reverse("web-notifications"),
        DOCUMENTS: reverse("web-documents"),
    }
    pages = {name: path for name, path in pages.items() if path}
    client = _signed_in(user)
    paths, failed = _resolve(client, pages)
    assert paths, f"no page answered 200: {failed}"
    http_pages = [name for name in HTTP_PAGES if name in paths]
    measured = _in_process(client, paths)
    cookie = f"{client.cookies['sessionid'].key}={client.cookies['sessionid'].value}"
    browser = {"Cookie": cookie, "Accept": "text/html", "Accept-Encoding": "gzip"}
    api = {"Authorization": f"Token {key}", "Accept": "application/json"}
    servers, front, proxied = _servers()
    requests = {name: _requests(measured[name]["ms"]) for name in http_pages}
    runs = [(name, front["app"], paths[name], browser) for name in http_pages]
    runs += [(FLOOR, front["app"], EMPTY_PATH, api), (HAND, front["hand"], API_PATH, api)]
    rows, results = [], {}
    with started(*servers):
        for name, port, path, headers in runs[: len(http_pages)]:
            status, _ = httpload.load(
                port, path, headers, clients=1, total=1, warmup=0
            ).statuses.popitem()
            assert status == 200, (name, path, status)
        for clients in (1, 10):
            for name, port, path, headers in runs:
                stats = httpload.load(
                    port,
                    path,
                    headers,
                    clients=clients,
                    total=requests.get(name, OTHER_REQUESTS),
                    warmup=1,
                )
                results[(name, clients)] = stats
                rows.append(stats.row(name))
    section.table(
        ["what", "clients", "requests", "median ms", "p95 ms", "requests/s", "answers"], rows
    )
    section.table(
        [
            "page (in-process)",
            "path",
            "SQL queries of one view",
            "median ms",
            "HTML bytes",
            "gzipped bytes",
        ],
        [
            [
                name,
                f"`{paths[name]}`",
                found["queries"],
                found["ms"],
                found["bytes"],
                found["gzip"],
            ]
            for name, found in measured.items()
        ],
    )
    ratio_rows = []
    for name in http_pages:
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
    slowest = max(measured, key=lambda name: measured[name]["ms"])
    most = max(measured, key=lambda name: measured[name]["queries"])
    largest = max(measured, key=lambda name: measured[name]["bytes"])
    if failed:
        section.notes.append(
            "**Not measured, the page did not answer 200** (signed in as the user below): "
            + "; ".join(f"{name} ({answer})" for name, answer in failed.items())
            + "."
        )
    section.notes += [
        f"In this run the slowest page in-process is the {slowest} "
        f"({measured[slowest]['ms']:.0f} ms a view, {measured[slowest]['queries']} queries), "
        f"the most queries the {most}'s ({measured[most]['queries']}), the largest "
        f"HTML the {largest}'s ({_size(measured[largest]['bytes'])}, "
        f"{_size(measured[largest]['gzip'])} gzipped).",
        f"User {user} (the task-list user of section 1), signed in with a session cookie "
        f"(database sessions). The dashboard and the timeline of the large congress "
        f"({facts.large_congress}), the task list page of the same congress (first page, no "
        "filter); the calendar (its default month), the inbox and the documents list by their "
        "plain path, for the congress the session remembers (the large one, from the "
        "dashboard viewed first); "
        + (
            f"the document page of document {document}, of the large congress, visible to the "
            f"user, with the most versions ({versions})."
            if document is not None
            else "**no document page**: no document of the large congress visible to the user "
            "has a version."
        ),
        (
            f"`gunicorn APP -w {WORKERS}` (sync workers, config.wsgi, CONN_MAX_AGE=60, the "
            "Redis cache) "
            + ("behind nginx running deploy/nginx.conf" if proxied else "**without nginx**")
            + "; benchmarks/httpload.py, keep-alive, 1 warm-up request per connection, then "
            "for each page as many requests as its in-process median fits in "
            f"{ROW_BUDGET_MS / 1000:.0f} s (at least {MIN_REQUESTS}, at most "
            f"{OTHER_REQUESTS}: see the requests column), {OTHER_REQUESTS} for the API's rows. "
            "The client sends `Accept-Encoding: gzip` as a browser does ("
            + ("nginx compresses the HTML" if proxied else "without nginx the HTML comes as is")
            + f'; "gzipped bytes" is the page compressed at nginx\'s level, {_gzip_level()}).'
        ),
        f"In-process: queries of one view and the median of {ROUNDS} views, each after a first "
        "view (which remembers the congress in the session); the queries include the session "
        "(1 query; its user and their roles come from the auth cache, as an API token's do). "
        "The size is that of the HTML Django renders.",
    ]
    return section
