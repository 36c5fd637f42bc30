"""Brute-force protection for every way in (the API token endpoint, the web login and the
admin all authenticate through `congress.auth_backends.ThrottledModelBackend`).

Failed logins are counted, in the cache (Redis in production, shared by every process), per
(account, client address) and per client address, within a window:
- LOGIN_FAILURES_PER_ACCOUNT_ADDRESS failures lock that account *from that address* until the
  window ends: someone flooding an account from one place does not lock its owner out from
  another;
- LOGIN_FAILURES_PER_ADDRESS failures (any accounts) lock the address: one address trying many
  accounts;
- past LOGIN_ACCOUNT_SLOW_AFTER failures of an account from anywhere, that account is only
  slowed: one try per LOGIN_ACCOUNT_SLOW_SECONDS, so many addresses together cannot try
  passwords fast, and the owner waits seconds, not an hour.

The client address is the socket's (REMOTE_ADDR); X-Forwarded-For is read only as far as the
configured proxies (NUM_PROXIES, TRUSTED_PROXIES) wrote it, never as the client sent it.
"""

import functools
import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext

from congress import usernames

logger = logging.getLogger(__name__)


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


# --- the client address ----------------------------------------------------------------------


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in settings.TRUSTED_PROXIES:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_address(request) -> str:
    """The address of whoever sent the request, as far as it can be known."""
    meta = getattr(request, "META", None) or {}
    remote = meta.get("REMOTE_ADDR") or "unknown"
    forwarded = [a.strip() for a in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if settings.NUM_PROXIES and forwarded:
        # Each of our proxies appended the address it got the request from: the client's is
        # NUM_PROXIES from the right; what stands left of it the client may have written.
        return forwarded[-min(settings.NUM_PROXIES, len(forwarded))]
    if settings.TRUSTED_PROXIES and _trusted(remote):
        for address in reversed(forwarded):
            if not _trusted(address):
                return address
    return remote


# --- counting --------------------------------------------------------------------------------


def _account(username: str) -> str:
    return usernames.normalize(username).strip().lower()[:150]


def _keys(username: str, address: str) -> dict[str, str]:
    account = _account(username)
    return {
        "pair": f"login-failures:pair:{account}:{address}",
        "address": f"login-failures:address:{address}",
        "account": f"login-failures:account:{account}",
    }


def _window() -> int:
    return settings.LOGIN_FAILURES_WINDOW_SECONDS


def _left(state: dict, now: float) -> int:
    return max(int(state["started"] + _window() - now), 1)


@_fail_open(0)
def seconds_locked(username: str, address: str) -> int:
    """0 when this account may try to log in from this address now, else the seconds to wait."""
    keys, now = _keys(username, address), time.time()
    states = cache.get_many(list(keys.values()))
    pair, by_address = states.get(keys["pair"]), states.get(keys["address"])
    account = states.get(keys["account"])
    waits = [0]
    if pair and pair["count"] >= settings.LOGIN_FAILURES_PER_ACCOUNT_ADDRESS:
        waits.append(_left(pair, now))
    if by_address and by_address["count"] >= settings.LOGIN_FAILURES_PER_ADDRESS:
        waits.append(_left(by_address, now))
    if account and account["count"] >= settings.LOGIN_ACCOUNT_SLOW_AFTER:
        since = now - account["last"]
        if since < settings.LOGIN_ACCOUNT_SLOW_SECONDS:
            waits.append(max(int(settings.LOGIN_ACCOUNT_SLOW_SECONDS - since + 0.999), 1))
    return max(waits)


@_fail_open(None)
def record_failure(username: str, address: str) -> None:
    now = time.time()
    for key in _keys(username, address).values():
        state = cache.get(key)
        if not state or now - state["started"] >= _window():
            state = {"count": 0, "started": now}
        state["count"] += 1
        state["last"] = now
        cache.set(key, state, timeout=_left(state, now) + 1)


@_fail_open(None)
def clear(username: str, address: str) -> None:
    """A successful login forgets that account's failures from that address (not the
    address's failures on other accounts, nor the account's from elsewhere)."""
    cache.delete(_keys(username, address)["pair"])


def wait_message(wait: int) -> str:
    """What a refused login is told: how long to wait."""
    if wait < 60:
        return ngettext(
            "Too many failed logins. Try again in %(count)d second.",
            "Too many failed logins. Try again in %(count)d seconds.",
            wait,
        ) % {"count": wait}
    minutes = (wait + 59) // 60
    return ngettext(
        "Too many failed logins. Try again in %(count)d minute.",
        "Too many failed logins. Try again in %(count)d minutes.",
        minutes,
    ) % {"count": minutes}
