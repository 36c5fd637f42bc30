"""Queue this app's Celery tasks by name, and queue again what a broker outage refused.

The tasks (notifications.tasks) call the services that queue more work (a dispatch queues
its emails), so the services cannot import the task module without an import cycle. Celery
resolves a signature by its registered name (the app imports notifications.tasks when it is
ready), and a registered task keeps its own behaviour, eager mode included.

A job the broker refused (Redis down) is kept in this process, a bounded number of them, and
a daemon thread queues it again as soon as the broker answers, checking every half second;
while jobs are kept the broker is known to be down, so new ones are kept at once instead of
each caller waiting for the publish retries. Kept jobs must be safe to run twice (dispatch
locks the event row and skips dispatched ones): the redispatch sweep may run them too, and
what is past the bound or lost with the process is left to that sweep.
"""

import logging
import os
import threading
import time

from celery import current_app

logger = logging.getLogger(__name__)

RETRY_EVERY = 0.5  # seconds between two checks of the broker while jobs are kept
KEEP_AT_MOST = 10_000


def enqueue(task: str, *args) -> None:
    current_app.signature(f"notifications.tasks.{task}", args=args).delay()


def enqueue_or_keep(task: str, *args, after_outage: str | None = None) -> bool:
    """Queue the job, or keep it to be queued as soon as the broker answers again. Returns
    whether it was queued now. `after_outage` names a job without arguments queued once when
    the broker is back, after the kept ones (a sweep for what the outage lost besides)."""
    return _kept.enqueue((task, args), after_outage)


def _publish(task: str, args: tuple, *, retry: bool = True) -> None:
    current_app.signature(f"notifications.tasks.{task}", args=args).apply_async(retry=retry)


class Kept:
    """The jobs kept in this process and the thread that queues them again."""

    def __init__(self):
        self._pid = os.getpid()
        self._lock = threading.Lock()
        self._jobs: dict[tuple, None] = {}  # an ordered set
        self._after: dict[str, None] = {}
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def enqueue(self, job: tuple, after_outage: str | None) -> bool:
        self._after_fork()
        if not self._jobs:
            try:
                _publish(*job)
                return True
            except Exception:  # a broker outage must not fail the caller
                logger.warning("job %s%r not queued: kept to queue it again", *job)
        self.keep(job, after_outage)
        return False

    def keep(self, job: tuple, after_outage: str | None = None) -> None:
        with self._lock:
            if len(self._jobs) >= KEEP_AT_MOST:
                logger.warning("job %s%r not kept: %s are kept already", *job, KEEP_AT_MOST)
            else:
                self._jobs[job] = None
            if after_outage:
                self._after[after_outage] = None
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="jobs-retry", daemon=True)
                self._thread.start()
        self._wake.set()

    def pending(self) -> list[tuple]:
        with self._lock:
            return list(self._jobs)

    def retry(self) -> int:
        """Queue the kept jobs in order while the broker takes them; returns how many went.
        The first refusal stops the round (the broker is still down)."""
        sent = 0
        for job in self.pending():
            try:
                _publish(*job, retry=False)  # fail at once: the next check is soon
            except Exception:
                return sent
            with self._lock:
                self._jobs.pop(job, None)
            sent += 1
        with self._lock:
            after, self._after = list(self._after), {}
        for name in after:
            try:
                _publish(name, (), retry=False)
            except Exception:
                self.keep((name, ()))
                return sent
        if sent or after:
            logger.info("the broker answers again: %s kept jobs queued", sent)
        return sent

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            while self._waiting():
                time.sleep(RETRY_EVERY)
                self.retry()

    def _waiting(self) -> bool:
        with self._lock:
            return bool(self._jobs or self._after)

    def _after_fork(self) -> None:
        """A forked child (a prefork worker, a preloaded server) starts with none kept."""
        if self._pid != os.getpid():
            self.__init__()


_kept = Kept()
