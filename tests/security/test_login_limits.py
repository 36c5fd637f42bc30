"""Failed logins are limited per (account, client address) and per address; an account that
fails from everywhere is only slowed. The address is the socket's unless proxies are declared."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.utils import timezone

from congress import login_throttle
from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def owner(db):
    return UserFactory(username="mai.ht")


def _token(client, username="mai.ht", password=PASSWORD, address="10.0.0.1", **extra):
    return client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=address,
        **extra,
    )


def test_one_address_trying_many_accounts_is_stopped(owner, api, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 5
    client = api()
    for n in range(5):
        assert _token(client, username=f"guess{n}", password="x").status_code == 401

    refused = _token(client)  # the right password of a sixth account, from that address

    assert refused.status_code == 429
    assert 840 < int(refused["Retry-After"]) <= 900
    assert _token(client, address="10.0.0.2").status_code == 200


def test_an_x_forwarded_for_written_by_the_client_is_not_believed(owner, api, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT_ADDRESS = 3
    client = api()
    for n in range(3):
        forged = {"HTTP_X_FORWARDED_FOR": f"203.0.113.{n}"}
        assert _token(client, password="x", **forged).status_code == 401

    assert _token(client, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429


def test_an_account_failing_from_everywhere_is_slowed_not_locked(owner, api, settings):
    settings.LOGIN_ACCOUNT_SLOW_AFTER = 3
    settings.LOGIN_ACCOUNT_SLOW_SECONDS = 5
    client = api()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n in range(3):
            assert _token(client, password="x", address=f"10.1.0.{n}").status_code == 401
        slowed = _token(client, address="10.2.0.1")
        assert slowed.status_code == 429
        assert int(slowed["Retry-After"]) == 5
        assert slowed.json()["detail"].startswith("Too many failed logins. Try again in 5 seconds.")
    with time_machine.travel(start + timedelta(seconds=5), tick=False):
        assert _token(client, address="10.2.0.1").status_code == 200


def test_the_web_login_says_why_it_refuses(owner, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT_ADDRESS = 2
    browser = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(2):
        wrong = browser.post("/login/", {"username": "mai.ht", "password": "x"})
        assert "Wrong username or password." in wrong.content.decode()

    refused = browser.post("/login/", {"username": "mai.ht", "password": PASSWORD})

    assert refused.status_code == 200
    assert "Too many failed logins. Try again in 15 minutes." in refused.content.decode()
    assert "_auth_user_id" not in browser.session
    elsewhere = Client(REMOTE_ADDR="10.0.0.2")
    assert (
        elsewhere.post("/login/", {"username": "mai.ht", "password": PASSWORD}).status_code == 302
    )


def test_the_admin_login_is_limited_too(owner, settings):
    owner.is_staff = True
    owner.save()
    settings.LOGIN_FAILURES_PER_ACCOUNT_ADDRESS = 2
    browser = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(2):
        browser.post("/admin/login/", {"username": "mai.ht", "password": "x"})

    refused = browser.post("/admin/login/", {"username": "mai.ht", "password": PASSWORD})

    assert refused.status_code == 200
    assert "Too many failed logins. Try again in 15 minutes." in refused.content.decode()
    assert "_auth_user_id" not in browser.session


@pytest.mark.parametrize(
    ("num_proxies", "trusted", "remote", "forwarded", "expected"),
    [
        (0, [], "10.0.0.1", "203.0.113.9", "10.0.0.1"),
        (1, [], "10.0.0.1", "6.6.6.6, 198.51.100.4", "198.51.100.4"),
        (2, [], "10.0.0.1", "6.6.6.6, 198.51.100.4, 10.0.0.9", "198.51.100.4"),
        (1, [], "10.0.0.1", "", "10.0.0.1"),
        (0, ["10.0.0.0/8"], "10.0.0.1", "6.6.6.6, 198.51.100.4, 10.0.0.9", "198.51.100.4"),
        (0, ["10.0.0.0/8"], "192.0.2.1", "198.51.100.4", "192.0.2.1"),  # not our proxy
    ],
)
def test_the_client_address(settings, num_proxies, trusted, remote, forwarded, expected):
    settings.NUM_PROXIES = num_proxies
    settings.TRUSTED_PROXIES = trusted
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/", **meta)

    assert login_throttle.client_address(request) == expected
