"""The embedded stand-in for celery beat: a daemon thread in the server process that runs the
CELERY_BEAT_SCHEDULE jobs in-process (SQLite, no Redis, no worker)."""

import logging
import threading
import time

from celery import current_app
from django.conf import settings
from django.db import close_old_connections

logger = logging.getLogger(__name__)
_started = threading.Event()


def _run_forever(stop: threading.Event) -> None:
    current_app.loader.import_default_modules()  # register every app's tasks in this process
    schedule = {name: float(job["schedule"]) for name, job in settings.CELERY_BEAT_SCHEDULE.items()}
    next_run = dict.fromkeys(schedule, time.monotonic() + 10)
    while not stop.is_set():
        now = time.monotonic()
        for name, job in settings.CELERY_BEAT_SCHEDULE.items():
            if now < next_run[name]:
                continue
            next_run[name] = now + schedule[name]
            try:
                current_app.tasks[job["task"]].apply()
            except Exception:  # keep the timer alive; the job runs again next interval
                logger.exception("periodic job %s failed", name)
            finally:
                close_old_connections()
        stop.wait(5)


def start_in_process() -> threading.Event | None:
    """Start the timer once per process; returns the event that stops it."""
    if not settings.PERIODIC_JOBS_IN_PROCESS or _started.is_set():
        return None
    _started.set()
    stop = threading.Event()
    threading.Thread(target=_run_forever, args=(stop,), name="periodic-jobs", daemon=True).start()
    logger.info("periodic jobs run in-process every %s", "minute")
    return stop
