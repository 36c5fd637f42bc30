"""Integration fixtures: real PostgreSQL, Redis, Celery worker, ASGI server and SMTP server.

These tests run in the normal suite and skip, saying why, when the database is SQLite or when
PostgreSQL or Redis does not answer. The worker and the server are separate processes that
only see committed rows: the tests use the transactional database, and the processes connect
to pytest-django's test database, on the Redis database of TEST_REDIS_URL (the tests' own: it
is emptied at the start of the session).
"""

import contextlib
import fcntl
import functools
import hashlib
import os
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction

from config.celery import app as celery_app
from tests.environment import missing
from tests.integration.services import PROCESSES, AsgiServer, SmtpServer, Worker, free_port

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
# The application's own variables: the processes get them from the fixtures, never from the
# environment the tests were started in.
APP_VARIABLES = {
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "EMAIL_URL",
    "LOG_LEVEL",
    "PERIODIC_JOBS_IN_PROCESS",
    "PRODUCTION",
    "REDIS_URL",
    "SITE_URL",
}


def _connect_kwargs(db: dict, dbname: str) -> dict:
    kwargs = {
        "host": db.get("HOST"),
        "port": db.get("PORT"),
        "user": db.get("USER"),
        "password": db.get("PASSWORD"),
    }
    return {"dbname": dbname, **{k: v for k, v in kwargs.items() if v}}


@functools.cache
def _unavailable() -> str | None:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return (
            "integration tests need PostgreSQL (DATABASE_URL=postgres://...): the Celery worker "
            f"and the ASGI server share the test database; this run uses {db['ENGINE']}"
        )
    try:
        psycopg.connect(**_connect_kwargs(db, "postgres"), connect_timeout=3).close()
    except psycopg.Error as error:
        return f"PostgreSQL is not reachable at {db.get('HOST')}:{db.get('PORT')}: {error}"
    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
        client.close()
    except redis.RedisError as error:
        return f"Redis is not reachable at {REDIS_URL} (TEST_REDIS_URL): {error}"
    return None


@pytest.fixture(scope="session", autouse=True)
def services_available():
    reason = _unavailable()
    if reason:
        missing(reason)


@pytest.fixture(scope="session")
def redis_url(services_available):
    # Two runs on one Redis database would take each other's messages: the second waits.
    with _exclusive_lock(f"congress-integration-{REDIS_URL}", timeout=600):
        client = redis.Redis.from_url(REDIS_URL)
        # Messages left by an earlier run (a killed worker's, a retry's) would act on this
        # run's rows, whose ids start again at 1 in a new test database.
        client.flushdb()
        client.close()
        yield REDIS_URL


@contextlib.contextmanager
def _exclusive_lock(name: str, timeout: float):
    digest = hashlib.sha256(name.encode()).hexdigest()[:16]
    path = Path(tempfile.gettempdir()) / f"congress-integration-{digest}.lock"
    deadline = time.monotonic() + timeout
    with path.open("w") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.fail(f"another test run kept {name} for {timeout:.0f} s ({path})")
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def smtp_server(services_available):
    server = SmtpServer(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def asgi_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def process_env(django_db_setup, django_db_blocker, redis_url, smtp_server, asgi_port):
    """The environment of the worker and the server: production settings (config.settings)
    on the test database, the tests' Redis database and SMTP server."""
    db = dict(settings.DATABASES["default"])  # pytest-django's test database by now
    env = {k: v for k, v in os.environ.items() if k not in APP_VARIABLES}
    env = {k: v for k, v in env.items() if not k.startswith("CELERY_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=_database_url(db),
        REDIS_URL=redis_url,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}",
        PERIODIC_JOBS_IN_PROCESS="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{asgi_port}",
        DEBUG="0",
        LOG_LEVEL="INFO",  # the worker's "ready." line tells it is ready
        PYTHONUNBUFFERED="1",
    )
    yield env
    # The processes are stopped by now; a killed worker's database session ends a moment later.
    # Wait for it, or dropping the test database fails ("being accessed by other users").
    with django_db_blocker.unblock():
        connections.close_all()
        _wait_until_no_session_on(db)


def _database_url(db: dict) -> str:
    credentials = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


def _wait_until_no_session_on(db: dict, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    with psycopg.connect(**_connect_kwargs(db, "postgres"), autocommit=True) as admin:
        while time.monotonic() < deadline:
            (sessions,) = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [db["NAME"]]
            ).fetchone()
            if not sessions:
                return
            time.sleep(0.1)


@pytest.fixture(scope="session")
def logs_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("integration-logs")


@pytest.fixture(scope="session")
def worker_process(process_env, logs_dir):
    worker = Worker(process_env, logs_dir / "worker.log")
    yield worker
    worker.stop()


@pytest.fixture
def worker(worker_process) -> Worker:
    """The running worker (started again if a test stopped or killed it)."""
    worker_process.ensure_running()
    return worker_process


@pytest.fixture(scope="session")
def asgi_server(process_env, asgi_port, logs_dir):
    server = AsgiServer(process_env, logs_dir / "uvicorn.log", asgi_port)
    server.start()
    yield server
    server.stop()


def _content_types() -> tuple[list, list]:
    return (
        list(ContentType.objects.order_by("pk").values_list("pk", "app_label", "model")),
        list(
            Permission.objects.order_by("pk").values_list("pk", "content_type", "codename", "name")
        ),
    )


@pytest.fixture(scope="session")
def content_types(django_db_setup, django_db_blocker) -> tuple[list, list]:
    with django_db_blocker.unblock():
        return _content_types()


@pytest.fixture(autouse=True)
def stable_content_types(content_types, transactional_db):
    """Give the content types back the ids that the worker and the server have cached.

    In production they never change. Between tests the flush deletes them and Django creates
    them again with new ids, which long-running processes cannot know (an audit entry written
    by the server would point at a content type that is gone).
    """
    if _content_types() == content_types:
        return
    types, permissions = content_types
    with transaction.atomic():
        Permission.objects.all().delete()
        ContentType.objects.all().delete()
        ContentType.objects.bulk_create(
            ContentType(pk=pk, app_label=app_label, model=model) for pk, app_label, model in types
        )
        Permission.objects.bulk_create(
            Permission(pk=pk, content_type_id=content_type, codename=codename, name=name)
            for pk, content_type, codename, name in permissions
        )
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def celery_on_redis(redis_url):
    """The test process enqueues to the real broker, as the web server does, instead of
    running tasks in-process (tests.settings makes them eager; Celery read that at import)."""
    saved = {
        "task_always_eager": celery_app.conf.task_always_eager,
        "broker_url": celery_app.conf.broker_url,
    }
    celery_app.conf.update(task_always_eager=False, broker_url=redis_url)
    _forget_broker_connections()
    yield
    celery_app.conf.update(saved)
    _forget_broker_connections()


def _forget_broker_connections() -> None:
    # Celery keeps the pools of the broker it first connected to (kombu's pools, shared by
    # broker URL, stay open for the next test that uses the same broker).
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        for process in PROCESSES:
            report.sections.append((f"{process.name} log (last lines)", process.log_tail()))
    return report
