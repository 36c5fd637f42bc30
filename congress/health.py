"""GET /healthz: database, cache/broker and worker reachability."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse


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


def _workers():
    from congress.celery import app

    if not app.control.ping(timeout=1.0):
        raise RuntimeError("no Celery worker answered")


def healthz(request):
    checks = {"database": _check(_database), "cache": _check(_cache)}
    if settings.CELERY_TASK_ALWAYS_EAGER:
        checks["worker"] = "in-process"
    else:
        checks["worker"] = _check(_workers)
    healthy = checks["database"] == "ok" and checks["cache"] == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks},
        status=200 if healthy else 503,
    )
