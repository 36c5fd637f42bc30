"""Where the benchmarks run: their database, their own Redis, the environment of every process
they start, and a description of the machine.

Everything is on 127.0.0.1. The benchmarks have their own PostgreSQL database
(`congress_bench`, dropped and created afresh) and their own redis-server on port 6390, so that
stopping Redis for the outbox benchmark never touches the Redis on 6379 that others use.
"""

import os
import platform
import re
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PG_HOST = os.environ.get("BENCH_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("BENCH_PG_PORT", "5432"))
PG_USER = os.environ.get("BENCH_PG_USER", "postgres")
PG_PASSWORD = os.environ.get("BENCH_PG_PASSWORD", "")
DB_NAME = os.environ.get("BENCH_DB", "congress_bench")
REDIS_PORT = int(os.environ.get("BENCH_REDIS_PORT", "6390"))
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
VAR_DIR = BASE_DIR / "var" / "bench"


def database_url() -> str:
    password = f":{PG_PASSWORD}" if PG_PASSWORD else ""
    return f"postgres://{PG_USER}{password}@{PG_HOST}:{PG_PORT}/{DB_NAME}"


def process_env(**extra: str) -> dict[str, str]:
    """The environment of the benchmark process and of every server and worker it starts:
    production settings (config.settings) on the benchmark's database and Redis. The API
    rate limit is lifted: a benchmark client sends far more than a person would."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url(),
        REDIS_URL=REDIS_URL,
        EMAIL_URL="dummymail://",
        PERIODIC_JOBS_IN_PROCESS="0",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SITE_URL="http://127.0.0.1:8000",
        API_RATE_USER="100000000/min",
        API_RATE_ANON="100000000/min",
        DEBUG="0",
        PRODUCTION="0",
        LOG_LEVEL="WARNING",
        VAR_DIR=str(VAR_DIR),
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(BASE_DIR),
    )
    env.update(extra)
    return env


def django_setup() -> None:
    """Configure Django in this process with the benchmark's environment."""
    os.environ.update(process_env())
    if str(BASE_DIR) not in sys.path:
        sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def _first_line(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "unknown"


def machine() -> dict[str, str]:
    """Cores, memory, CPU model, load and the versions of the stack."""
    cpu = "unknown"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as info:
        kb = int(re.search(r"MemTotal:\s+(\d+)", info.read()).group(1))
    import django
    import psycopg

    pg = _pg_version()
    redis_version = _first_line(["redis-server", "--version"])
    redis_version = re.search(r"v=(\S+)", redis_version)
    return {
        "CPU": f"{os.cpu_count()} cores, {cpu}",
        "memory": f"{kb / 1024 / 1024:.1f} GiB",
        "OS": f"{platform.system()} {platform.release()}",
        "PostgreSQL": pg,
        "Redis": redis_version.group(1) if redis_version else "unknown",
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "psycopg": psycopg.__version__,
        "stack": _versions("celery", "channels", "channels-redis", "uvicorn", "gunicorn"),
    }


def _pg_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
        cursor.execute("SHOW shared_buffers")
        (buffers,) = cursor.fetchone()
    return f"{version} (shared_buffers {buffers})"


def _versions(*names: str) -> str:
    from importlib.metadata import version

    return ", ".join(f"{name} {version(name)}" for name in names)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"
