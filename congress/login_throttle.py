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

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext

from congress import rate_windows, usernames
from congress.rate_windows import fail_open

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


@fail_open(0, "login limit")
def seconds_locked(username: str, address: str) -> int:
    """0 when this account may try to log in from this address now, else the seconds to wait."""
    keys = _keys(username, address)
    windows = rate_windows.peek(list(keys.values()), _window())
    pair, by_address = windows.get(keys["pair"]), windows.get(keys["address"])
    account = windows.get(keys["account"])
    waits = [0]
    if pair and pair.count >= settings.LOGIN_FAILURES_PER_ACCOUNT_ADDRESS:
        waits.append(pair.left)
    if by_address and by_address.count >= settings.LOGIN_FAILURES_PER_ADDRESS:
        waits.append(by_address.left)
    if account and account.count >= settings.LOGIN_ACCOUNT_SLOW_AFTER:
        since = time.time() - (cache.get(f"{keys['account']}:last") or 0)
        if since < settings.LOGIN_ACCOUNT_SLOW_SECONDS:
            waits.append(max(int(settings.LOGIN_ACCOUNT_SLOW_SECONDS - since + 0.999), 1))
    return max(waits)


@fail_open(None, "login limit")
def record_failure(username: str, address: str) -> None:
    keys = _keys(username, address)
    for key in keys.values():
        rate_windows.hit(key, _window())
    cache.set(f"{keys['account']}:last", time.time(), _window())


@fail_open(None, "login limit")
def clear(username: str, address: str) -> None:
    """A successful login forgets that account's failures from that address (not the
    address's failures on other accounts, nor the account's from elsewhere)."""
    rate_windows.forget(_keys(username, address)["pair"])


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
