"""The hand-written baseline of the task-list benchmark: the same page as
`GET /api/v1/tasks/?assignee=me&ordering=due_at` (same JSON, compared field by field by the
benchmark), produced by two hand-written SQL queries and `json.dumps`, in a raw ASGI app
without Django.

What it does is what the API must do, and nothing more: authenticate the token (query 1), then
apply the visibility rule of ARCHITECTURE §5, count, order and page the assignee's tasks,
join the body and assignee names, aggregate the dependencies and open-dependency counts, and
decide whether the user leads the task's body (query 2); the available transitions are then a
few lines of Python over those facts.

To be fair it is served the same way as the application: in production (the benchmark's main
rows) by gunicorn's sync workers behind nginx, one request at a time per worker, keeping its
database connection (as Django does with CONN_MAX_AGE); as an ASGI app (`application`) the
database work runs off the event loop in a thread, as Django's ASGI handler runs a sync view.

    gunicorn benchmarks.baseline:wsgi -w 4                                   # production
    gunicorn benchmarks.baseline:application -k uvicorn.workers.UvicornWorker -w 2
"""

import asyncio
import hashlib
import json
import os
import threading
from datetime import datetime
from urllib.parse import parse_qs, urlencode
from zoneinfo import ZoneInfo

import psycopg

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
OPEN = ("todo", "in_progress", "in_review", "blocked")
PAGE_SIZE = 50

AUTH_SQL = """
SELECT u.id FROM knox_authtoken k JOIN congress_user u ON u.id = k.user_id
WHERE k.token_key = %(prefix)s AND k.digest = %(digest)s AND u.is_active
  AND (k.expiry IS NULL OR k.expiry > now())
"""

PAGE_SQL = """
WITH mine AS (
    SELECT m.body_id, b.congress_id, b.kind, m.role
    FROM congress_membership m JOIN congress_body b ON b.id = m.body_id
    WHERE m.user_id = %(user)s
), seeing AS (  -- congresses where the user sees confidential work
    SELECT congress_id FROM mine
    WHERE kind = 'standing_committee' OR (kind = 'steering_board' AND role IN ('head', 'deputy'))
), page AS (
    SELECT t.*, b.name AS body_name, b.parent_id AS body_parent_id, count(*) OVER () AS total
    FROM workflows_task t JOIN congress_body b ON b.id = t.body_id
    WHERE t.assignee_id = %(user)s
      AND t.congress_id IN (SELECT congress_id FROM mine)
      AND (NOT b.confidential
           OR t.body_id IN (SELECT body_id FROM mine)
           OR t.congress_id IN (SELECT congress_id FROM seeing))
    ORDER BY t.due_at, t.id
    LIMIT %(limit)s OFFSET %(offset)s
)
SELECT p.total, p.id, p.congress_id, p.body_id, p.body_name, p.title, p.description,
       p.assignee_id, u.first_name, u.last_name, u.username, p.created_by_id, p.priority,
       p.starts_on, p.due_at, p.duration_days, p.status, p.requires_review, p.parent_id,
       ARRAY(SELECT d.to_task_id FROM workflows_task_depends_on d
             WHERE d.from_task_id = p.id ORDER BY 1) AS depends_on,
       p.completed_at, p.version, p.created_at, p.updated_at,
       (SELECT count(*) FROM workflows_task_depends_on d
        JOIN workflows_task o ON o.id = d.to_task_id
        WHERE d.from_task_id = p.id AND o.status <> 'done') AS open_dependencies,
       EXISTS (SELECT 1 FROM mine
               WHERE role IN ('head', 'deputy')
                 AND (body_id = p.body_id OR body_id = p.body_parent_id
                      OR (congress_id = p.congress_id AND kind = 'steering_board'))) AS leads
FROM page p LEFT JOIN congress_user u ON u.id = p.assignee_id
ORDER BY p.due_at, p.id
"""


def _time(value: datetime | None) -> str | None:
    if value is None:
        return None
    text = value.astimezone(LOCAL).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def transitions(status: str, mine: bool, leads: bool, review: bool, open_deps: int) -> list:
    """The task workflow of ARCHITECTURE §4, for one user (names in alphabetical order, as
    django-fsm lists them)."""
    reviewer = leads and not mine
    rules = {
        "approve": status == "in_review" and reviewer,
        "block": status == "in_progress" and mine,
        "cancel": status in OPEN and leads,
        "complete": status == "in_progress" and mine and not review,
        "reopen": status in ("done", "cancelled") and leads,
        "return": status == "in_review" and reviewer,
        "start": status == "todo" and mine and open_deps == 0,
        "submit": status == "in_progress" and mine and review,
        "unblock": status == "blocked" and (mine or leads),
    }
    return [name for name, allowed in rules.items() if allowed]


def page(connection, key: str, query: dict, base_url: str) -> tuple[int, dict]:
    with connection.cursor() as cursor:
        digest = hashlib.sha512(key.encode()).hexdigest()  # django-rest-knox's storage
        user = cursor.execute(AUTH_SQL, {"prefix": key[:15], "digest": digest}).fetchone()
        if user is None:
            return 401, {"detail": "Invalid token."}
        user_id = user[0]
        number = int(query.get("page", ["1"])[0])
        rows = cursor.execute(
            PAGE_SQL,
            {"user": user_id, "limit": PAGE_SIZE, "offset": (number - 1) * PAGE_SIZE},
        ).fetchall()
    now = datetime.now(tz=LOCAL)
    total = rows[0][0] if rows else 0
    results = []
    for r in rows:
        (
            _t,
            pk,
            congress,
            body,
            body_name,
            title,
            description,
            assignee,
            first,
            last,
            username,
            created_by,
            priority,
            starts_on,
            due_at,
            duration_days,
            status,
            review,
            parent,
            depends_on,
            completed_at,
            version,
            created_at,
            updated_at,
            open_deps,
            leads,
        ) = r
        results.append(
            {
                "id": pk,
                "congress": congress,
                "body": body,
                "body_name": body_name,
                "title": title,
                "description": description,
                "assignee": assignee,
                "assignee_name": (f"{first} {last}".strip() or username) if assignee else None,
                "created_by": created_by,
                "priority": priority,
                "starts_on": starts_on.isoformat() if starts_on else None,
                "due_at": _time(due_at),
                "duration_days": duration_days,
                "status": status,
                "requires_review": review,
                "parent": parent,
                "depends_on": list(depends_on),
                "completed_at": _time(completed_at),
                "version": version,
                "is_overdue": due_at is not None and status in OPEN and due_at < now,
                "available_transitions": transitions(
                    status, assignee == user_id, leads, review, open_deps
                ),
                "created_at": _time(created_at),
                "updated_at": _time(updated_at),
            }
        )

    def link(n):
        if n < 1 or (n - 1) * PAGE_SIZE >= total:
            return None
        params = {k: v[0] for k, v in query.items() if k != "page"}
        if n > 1:
            params["page"] = n
        return f"{base_url}?{urlencode(params)}"

    return 200, {
        "count": total,
        "next": link(number + 1),
        "previous": link(number - 1) if number > 1 else None,
        "results": results,
    }


_local = threading.local()


def _connection():
    connection = getattr(_local, "connection", None)
    if connection is None or connection.closed:
        connection = psycopg.connect(os.environ["BASELINE_DSN"], autocommit=True)
        connection.execute("SET TIME ZONE 'UTC'")
        _local.connection = connection
    return connection


def _handle(path: str, query_string: bytes, headers: dict) -> tuple[int, bytes]:
    if path == "/healthz":
        return 200, b'{"status": "ok"}'
    auth = headers.get(b"authorization", b"").decode()
    if not auth.startswith("Token "):
        return 401, b'{"detail": "Authentication credentials were not provided."}'
    query = parse_qs(query_string.decode())
    host = headers.get(b"host", b"127.0.0.1").decode()
    status, body = page(_connection(), auth[6:], query, f"http://{host}/api/v1/tasks/")
    return status, json.dumps(body, ensure_ascii=False).encode()


async def application(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    headers = dict(scope["headers"])
    status, body = await asyncio.to_thread(_handle, scope["path"], scope["query_string"], headers)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def wsgi(environ, start_response):
    """The same pages as a WSGI app, for gunicorn's sync workers."""
    headers = {
        b"authorization": environ.get("HTTP_AUTHORIZATION", "").encode(),
        b"host": environ.get("HTTP_HOST", "127.0.0.1").encode(),
    }
    query = environ.get("QUERY_STRING", "").encode("latin-1")
    status, body = _handle(environ.get("PATH_INFO", "/"), query, headers)
    reason = {200: "OK", 401: "Unauthorized", 404: "Not Found"}.get(status, "Error")
    start_response(
        f"{status} {reason}",
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]
