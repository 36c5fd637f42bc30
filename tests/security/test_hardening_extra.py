"""Smaller hardening: /healthz tells a dead worker and hides its details from strangers, the
CSP lets websockets reach only this site, private answers are not cached, and usernames
cannot impersonate one another."""

import time

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.test import Client

from congress import health
from congress.models import User
from tests.factories import PASSWORD, UserFactory


@pytest.fixture
def production_worker(settings, monkeypatch):
    """Settings with a real broker and worker: the ping is asked, not skipped."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    health.forget_worker_ping()
    yield
    health.forget_worker_ping()


def test_healthz_is_degraded_and_quick_when_no_worker_answers(db, production_worker):
    Client().get("/login/")  # the URLconf and views load once per process, not per check
    started = time.monotonic()
    response = Client().get("/healthz")
    first = time.monotonic() - started

    assert response.status_code == 503
    assert response.json() == {"status": "degraded"}
    assert first < 1.0
    started = time.monotonic()
    assert Client().get("/healthz").status_code == 503
    assert time.monotonic() - started < 0.1  # the ping's answer is kept


def test_healthz_pings_the_worker_once_per_period(db, production_worker, monkeypatch):
    calls = []

    def answered():
        calls.append(1)
        return "ok", "ok"

    monkeypatch.setattr(health, "_broker_and_workers", answered)
    assert [Client().get("/healthz").status_code for _ in range(3)] == [200, 200, 200]
    assert len(calls) == 1


def test_only_staff_see_the_checks_of_healthz(db, production_worker, monkeypatch):
    monkeypatch.setattr(
        health,
        "_broker_and_workers",
        lambda: ("error: OperationalError: Error 111 connecting to 10.0.0.5:6379", "unknown"),
    )
    anonymous = Client().get("/healthz")
    member = Client()
    member.force_login(UserFactory())
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))

    assert anonymous.json() == {"status": "degraded"}
    assert "6379" not in anonymous.content.decode()
    assert member.get("/healthz").json() == {"status": "degraded"}
    checks = staff.get("/healthz").json()["checks"]
    assert checks["database"] == "ok"
    assert checks["broker"].endswith("10.0.0.5:6379")


def test_websockets_may_connect_only_to_this_site(client, db):
    policy = client.get("/login/")["Content-Security-Policy"]
    connect = next(p for p in policy.split("; ") if p.startswith("connect-src"))

    assert connect == "connect-src 'self' ws://testserver"


def test_logged_in_pages_and_api_answers_are_not_stored(world, api, client):
    client.force_login(world.docs_member)

    assert "no-store" in client.get("/tasks/")["Cache-Control"]
    assert "no-store" in api(world.docs_member).get("/api/v1/me/")["Cache-Control"]
    assert "no-store" in api().get("/api/v1/tasks/")["Cache-Control"]  # a 401 too
    assert "Cache-Control" not in Client().get("/healthz")  # anonymous, not the API


# --- usernames --------------------------------------------------------------------------------


def _create(api, staff, username):
    return api(staff).post(
        "/api/v1/users/", {"username": username, "password": "Mat-khau-rat-dai-2025"}
    )


def test_a_full_width_or_differently_cased_twin_cannot_be_created(db, api):
    staff = UserFactory(username="staff", is_staff=True)
    UserFactory(username="mai.ht")

    for twin in ("\uff4dai.ht", "MAI.HT", "Mai.Ht"):  # a full-width m, other cases
        response = _create(api, staff, twin)
        assert response.status_code == 400
        assert response.json()["username"] == ["A user with that username already exists."]
    assert User.objects.filter(username__iexact="mai.ht").count() == 1


def test_a_full_width_username_is_stored_normalized(db, api):
    staff = UserFactory(username="staff", is_staff=True)

    response = _create(api, staff, "\uff48\uff41.\uff4e\uff54")  # full-width "ha.nt"

    assert response.status_code == 201
    assert response.json()["username"] == "ha.nt"


def test_a_mixed_script_look_alike_is_refused(db, api):
    staff = UserFactory(username="staff", is_staff=True)

    response = _create(api, staff, "m\u0430i.ht")  # Cyrillic a

    assert response.status_code == 400
    assert response.json()["username"] == [
        "A username must be written in one alphabet: it mixes Cyrillic, Latin letters."
    ]
    assert not User.objects.exclude(username="staff").exists()


def test_vietnamese_letters_are_one_script(db, api):
    staff = UserFactory(username="staff", is_staff=True)

    assert _create(api, staff, "đức.nguyễn").status_code == 201


def test_login_is_case_insensitive(db, api):
    UserFactory(username="mai.ht")

    response = api().post("/api/v1/auth/token/", {"username": "MAI.HT", "password": PASSWORD})

    assert response.status_code == 200
    browser = Client()
    assert browser.post("/login/", {"username": "Mai.Ht", "password": PASSWORD}).status_code == 302


def test_the_database_refuses_a_case_twin(db):
    UserFactory(username="mai.ht")

    with pytest.raises(IntegrityError):
        User.objects.create(username="MAI.HT")


def test_createsuperuser_refuses_a_look_alike_and_a_twin(db):
    UserFactory(username="mai.ht")

    for name in ("m\u0430i.root", "MAI.HT"):
        with pytest.raises(CommandError):
            call_command("createsuperuser", interactive=False, username=name, email="a@example.vn")
    assert User.objects.count() == 1


def test_the_admin_add_form_refuses_a_look_alike(db):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    browser = Client()
    browser.force_login(admin)

    response = browser.post(
        "/admin/congress/user/add/",
        {
            "username": "m\u0430i.ht",
            "password1": "Mat-khau-rat-dai-2025",
            "password2": "Mat-khau-rat-dai-2025",
            "usable_password": "true",
        },
    )

    assert response.status_code == 200
    assert "A username must be written in one alphabet" in response.content.decode()
    assert User.objects.count() == 1
