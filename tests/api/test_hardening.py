"""Login brute-force limit, API rate limits and security headers."""

import pytest
from django.core.cache import cache

from congress import login_throttle
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _login(client, password, address="10.0.0.1", username="mai.ht"):
    return client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=address,
    )


def _user(username="mai.ht"):
    user = UserFactory(username=username)
    user.set_password("Daihoi@2025")
    user.save()
    return user


def test_an_account_is_locked_from_the_address_that_failed_too_often(db, api, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT_ADDRESS = 5
    _user()
    _user("ha.nt")
    client = api()
    for _ in range(5):
        assert _login(client, "wrong").status_code == 401
    locked = _login(client, "Daihoi@2025")  # even the right password waits
    assert locked.status_code == 429
    assert 840 < int(locked["Retry-After"]) <= 900
    assert locked.json()["detail"].startswith("Too many failed logins. Try again in 15 minutes.")
    # The owner elsewhere, and another account from the same address, log in.
    assert _login(client, "Daihoi@2025", address="10.9.9.9").status_code == 200
    assert _login(client, "Daihoi@2025", username="ha.nt").status_code == 200


def test_a_successful_login_resets_the_count(db, api, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT_ADDRESS = 3
    _user()
    client = api()
    for _ in range(2):
        _login(client, "wrong")
    assert _login(client, "Daihoi@2025").status_code == 200
    for _ in range(2):
        _login(client, "wrong")
    assert _login(client, "Daihoi@2025").status_code == 200


def test_api_rate_limit_answers_429_with_retry_after(db, api, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "3/min"})
    client = api(UserFactory())
    responses = [client.get("/api/v1/tasks/") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert 0 < int(responses[-1]["Retry-After"]) <= 60
    assert responses[-1].json()["code"] == "throttled"


def test_security_headers_are_on_every_answer(client, db):
    for path in ("/healthz", "/api/v1/docs/", "/admin/login/"):
        response = client.get(path)
        assert "default-src 'self'" in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"


def test_rate_limits_fail_open_when_the_cache_is_down(db, api, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    def broken(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379")

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "3/min"})
    monkeypatch.setattr(SimpleRateThrottle.cache, "get", broken)
    client = api(UserFactory())
    assert [client.get("/api/v1/tasks/").status_code for _ in range(4)] == [200] * 4


def test_equal_due_times_are_ordered_by_id_on_every_page(world, api, make_task):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    due = datetime(2026, 12, 4, 17, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    ids = [make_task(due_at=due).pk for _ in range(5)]
    client = api(world.docs_member)
    for ordering in ("due_at", "-due_at"):
        pages = [
            client.get(f"/api/v1/tasks/?ordering={ordering}&page_size=2&page={n}").json()
            for n in (1, 2, 3)
        ]
        assert [t["id"] for page in pages for t in page["results"]] == sorted(ids)


def test_login_works_when_the_cache_is_down(db, api, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379")

    _user()
    for name in ("get", "get_many", "set", "delete"):
        monkeypatch.setattr(login_throttle.cache, name, broken)
    assert _login(api(), "Daihoi@2025").status_code == 200
    assert _login(api(), "wrong").status_code == 401


def test_the_session_api_requires_a_csrf_token(world, make_task):
    from rest_framework.test import APIClient

    task = make_task(status="in_review")
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.docs_head)
    assert client.get(f"/api/v1/tasks/{task.pk}/").status_code == 200
    refused = client.post(f"/api/v1/tasks/{task.pk}/transitions/approve/", {}, format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    task.refresh_from_db()
    assert task.status == "in_review"


def test_production_settings_pass_the_deploy_check():
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PRODUCTION": "1",
        "SECRET_KEY": "x" * 20 + "-production-secret-key-with-enough-entropy-0123456789",
        "ALLOWED_HOSTS": "daihoi.example.vn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
