"""Counting in fixed windows, in the cache (Redis in production, shared by every process): the
one mechanism under the login limits (congress/login_throttle.py) and the public consultation
page's post limits. The API's limits are DRF's throttles (congress/api/throttles.py); a
websocket counts its own subscribes in memory, being one connection.

A window opens at its first hit and lasts `seconds`; `hit` counts atomically (cache.add and
cache.incr), so concurrent requests in several processes are all counted. A cache outage must
lock nobody out and raise no error: callers wrap their checks in `fail_open`.
"""

import functools
import logging
import time
from dataclasses import dataclass

from django.core.cache import cache

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Window:
    count: int  # hits in the current window
    left: int  # seconds until it ends (at least 1)


def hit(key: str, seconds: int) -> Window:
    """Count one more in `key`'s window (a new one once the last has ended)."""
    now = time.time()
    started = cache.get_or_set(f"{key}:start", now, seconds)
    cache.add(key, 0, seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, seconds)
        count = 1
    return Window(count, _left(started, seconds, now))


def peek(keys: list[str], seconds: int) -> dict[str, Window]:
    """The current windows of `keys` (those without hits left out), counting nothing."""
    now = time.time()
    found = cache.get_many([*keys, *(f"{k}:start" for k in keys)])
    return {
        key: Window(found[key], _left(found.get(f"{key}:start", now), seconds, now))
        for key in keys
        if found.get(key)
    }


def forget(key: str) -> None:
    cache.delete_many([key, f"{key}:start"])


def _left(started: float, seconds: int, now: float) -> int:
    return max(int(started + seconds - now), 1)


def fail_open(default, what: str):
    """Without the cache, a limit is skipped (logged), never a 500 nor a lock-out."""

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            try:
                return func(*args, **kwargs)
            except Exception:
                logger.warning("%s skipped: cache unavailable", what, exc_info=True)
                return default

        return wrapper

    return decorate
