"""GET /healthz: database, cache, broker and worker reachability.

"ok" (200) when everything answers; "degraded" (503) when the database and cache work but the
broker or every worker is down (pages load, nothing is sent); "error" (503) when the database
or cache is down. Anonymous callers (a load balancer) see only the status; staff see each check
and its error. The worker ping is short and its result is kept WORKER_PING_CACHE_SECONDS, so
the check answers in milliseconds even with the worker dead.
"""

import threading
import time

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

WORKER_PING_TIMEOUT = 0.3
WORKER_PING_CACHE_SECONDS = 30.0

_last_ping = {"at": float("-inf"), "result": "unknown"}
_ping_lock = threading.Lock()


def _check(func) -> str:
    try:
        func()
    except Exception as error:  # a health check reports every failure, whatever its kind
        return f"error: {type(error).__name__}: {error}"[:200]
    return "ok"


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache():
    cache.set("healthz", "1", 5)
    if cache.get("healthz") != "1":
        raise RuntimeError("cache did not keep a value")


def _broker_and_workers() -> tuple[str, str]:
    with current_app.connection_for_write() as conn:
        broker = _check(lambda: conn.ensure_connection(max_retries=1, timeout=WORKER_PING_TIMEOUT))
        if broker != "ok":
            return broker, "unknown: the broker is down"

        def ping():
            if not current_app.control.ping(timeout=WORKER_PING_TIMEOUT, limit=1, connection=conn):
                raise RuntimeError("no Celery worker answered")

        return broker, _check(ping)


def _workers_cached() -> tuple[str, str]:
    """(broker, worker) states, asked at most once per WORKER_PING_CACHE_SECONDS per process."""
    with _ping_lock:
        if time.monotonic() - _last_ping["at"] >= WORKER_PING_CACHE_SECONDS:
            _last_ping["result"] = _broker_and_workers()
            _last_ping["at"] = time.monotonic()
        return _last_ping["result"]


def forget_worker_ping() -> None:
    _last_ping["at"] = float("-inf")


def _status(checks: dict) -> str:
    if checks["database"] != "ok" or checks["cache"] != "ok":
        return "error"
    if any(not value.startswith(("ok", "in-process")) for value in checks.values()):
        return "degraded"
    return "ok"


def healthz(request):
    checks = {"database": _check(_database), "cache": _check(_cache)}
    if settings.CELERY_TASK_ALWAYS_EAGER:
        checks["broker"] = checks["worker"] = "in-process"
    else:
        checks["broker"], checks["worker"] = _workers_cached()
    status = _status(checks)
    body = {"status": status}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        body["checks"] = checks
    return JsonResponse(body, status=200 if status == "ok" else 503)
