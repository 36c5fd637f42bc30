"""Brute-force protection per account: after MAX_FAILURES failed logins within WINDOW, the
account refuses further attempts (even with the right password) until the window passes.

Counted in the cache (Redis in production, shared by every web process), for every way in:
the API token endpoint, the admin and the web login all authenticate through
`congress.auth_backends.ThrottledModelBackend`.
"""

import functools
import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)

MAX_FAILURES = 100
WINDOW_SECONDS = 3600


def _fail_open(default):
    """A cache outage must not lock everyone out (or in with a 500): log it and go on."""

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            try:
                return func(*args, **kwargs)
            except Exception:
                logger.warning("login limit skipped: cache unavailable", exc_info=True)
                return default

        return wrapper

    return decorate


def _key(username: str) -> str:
    return f"login-failures:{(username or '').strip().lower()[:150]}"


@_fail_open(0)
def seconds_locked(username: str) -> int:
    """0 when the account may try to log in, else the seconds until it may again."""
    state = cache.get(_key(username))
    if not state or state["count"] < MAX_FAILURES:
        return 0
    return max(int(state["started"] + WINDOW_SECONDS - time.time()), 1)


@_fail_open(None)
def record_failure(username: str) -> None:
    key, now = _key(username), time.time()
    state = cache.get(key)
    if not state or now - state["started"] >= WINDOW_SECONDS:
        state = {"count": 0, "started": now}
    state["count"] += 1
    cache.set(key, state, timeout=int(state["started"] + WINDOW_SECONDS - now) + 1)


@_fail_open(None)
def clear(username: str) -> None:
    cache.delete(_key(username))
