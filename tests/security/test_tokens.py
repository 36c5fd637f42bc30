"""API tokens (django-rest-knox): a lifetime refreshed on use, one per login, revocation by the
call's own token, and everything of an account ended by a password change or deactivation."""

from datetime import timedelta

import pytest
import time_machine
from asgiref.sync import async_to_sync
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from congress.signals import rights_changed
from notifications.ws_auth import _user_for_token
from tests.factories import PASSWORD, UserFactory


def _login(api, username="docs_member", password=PASSWORD):
    return api().post("/api/v1/auth/token/", {"username": username, "password": password})


def _with(api, token):
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def signals():
    received = []

    def record(sender, user_ids, reason, **kwargs):
        received.append((list(user_ids), reason))

    rights_changed.connect(record)
    yield received
    rights_changed.disconnect(record)


def test_a_token_answers_with_its_expiry_thirty_days_ahead(world, api):
    before = timezone.now()
    body = _login(api).json()

    assert sorted(body) == ["expiry", "token"]
    expiry = AuthToken.objects.get(user=world.docs_member).expiry
    assert timedelta(days=30) <= expiry - before < timedelta(days=30, minutes=1)


def test_an_unused_token_expires_after_its_lifetime(world, api):
    token = _login(api).json()["token"]

    with time_machine.travel(timezone.now() + timedelta(days=31)):
        response = _with(api, token).get("/api/v1/me/")

    assert response.status_code == 401
    assert not AuthToken.objects.filter(user=world.docs_member).exists()


def test_a_token_in_use_is_refreshed(world, api):
    token = _login(api).json()["token"]
    start = timezone.now()

    with time_machine.travel(start + timedelta(days=20)):
        assert _with(api, token).get("/api/v1/me/").status_code == 200
    with time_machine.travel(start + timedelta(days=45)):
        assert _with(api, token).get("/api/v1/me/").status_code == 200
    with time_machine.travel(start + timedelta(days=76)):
        assert _with(api, token).get("/api/v1/me/").status_code == 401


def test_each_login_is_a_device_of_its_own(world, api):
    first, second = _login(api).json()["token"], _login(api).json()["token"]

    assert first != second
    assert AuthToken.objects.filter(user=world.docs_member).count() == 2


def test_delete_revokes_the_token_it_is_called_with(
    world, api, signals, django_capture_on_commit_callbacks
):
    kept, revoked = _login(api).json()["token"], _login(api).json()["token"]

    with django_capture_on_commit_callbacks(execute=True):
        response = _with(api, revoked).delete("/api/v1/auth/token/")

    assert response.status_code == 204
    assert _with(api, revoked).get("/api/v1/me/").status_code == 401
    assert _with(api, kept).get("/api/v1/me/").status_code == 200
    assert AuthToken.objects.filter(user=world.docs_member).count() == 1
    assert signals == [([world.docs_member.pk], "token_revoked")]


def test_delete_without_a_token_is_401_and_revokes_nothing(world, api):
    _login(api)
    client = Client()
    client.force_login(world.docs_member)

    assert api().delete("/api/v1/auth/token/").status_code == 401
    assert client.delete("/api/v1/auth/token/").status_code == 401
    assert AuthToken.objects.filter(user=world.docs_member).count() == 1


def test_a_stale_token_in_the_header_does_not_stop_a_login(world, api):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 64)

    response = client.post("/api/v1/auth/token/", {"username": "docs_member", "password": PASSWORD})

    assert response.status_code == 200


def test_changing_the_password_on_the_web_ends_every_token_and_other_session(
    world, api, signals, django_capture_on_commit_callbacks
):
    token = _login(api).json()["token"]
    here, elsewhere = Client(), Client()
    here.force_login(world.docs_member)
    elsewhere.force_login(world.docs_member)

    with django_capture_on_commit_callbacks(execute=True):
        response = here.post(
            "/account/password/",
            {
                "old_password": PASSWORD,
                "new_password1": "Mat-khau-moi-2026",
                "new_password2": "Mat-khau-moi-2026",
            },
        )

    assert response.status_code == 302
    assert _with(api, token).get("/api/v1/me/").status_code == 401
    assert not AuthToken.objects.filter(user=world.docs_member).exists()
    assert elsewhere.get("/tasks/").status_code == 302  # back to the login page
    assert here.get("/tasks/").status_code == 200
    assert Session.objects.count() == 1
    assert signals == [([world.docs_member.pk], "password_changed")]


def test_any_saved_password_change_ends_the_tokens(world, api):
    token = _login(api).json()["token"]
    world.docs_member.set_password("Mat-khau-moi-2026")
    world.docs_member.save()  # manage.py changepassword, the admin's password form

    assert _with(api, token).get("/api/v1/me/").status_code == 401


def test_deactivating_in_the_admin_ends_every_token_and_session(
    world, api, signals, django_capture_on_commit_callbacks
):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    user = world.docs_member
    token = _login(api).json()["token"]
    browser = Client()
    browser.force_login(user)
    staff = Client()
    staff.force_login(admin)
    page = staff.get(f"/admin/congress/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
            "groups": [],
            "user_permissions": [],
        }
    )
    data.pop("is_active")
    data.pop("last_login", None)
    data.pop("date_joined", None)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/admin/congress/user/{user.pk}/change/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.is_active is False
    assert not AuthToken.objects.filter(user=user).exists()
    assert _with(api, token).get("/api/v1/me/").status_code == 401
    assert browser.get("/tasks/").status_code == 302
    assert ([user.pk], "deactivated") in signals


def test_the_account_page_lists_and_revokes_the_users_tokens(world, api):
    mine = [_login(api).json()["token"] for _ in range(2)]
    theirs = _login(api, "docs_head").json()["token"]
    browser = Client()
    browser.force_login(world.docs_member)

    page = browser.get("/account/tokens/")
    assert page.status_code == 200
    assert [t.token_key for t in page.context["tokens"]] == [
        t.token_key for t in AuthToken.objects.filter(user=world.docs_member).order_by("-created")
    ]
    for key in mine:
        assert key[:8] in page.content.decode()
    assert theirs[:8] not in page.content.decode()

    target = AuthToken.objects.get(token_key=mine[0][:15])
    browser.post("/account/tokens/revoke/", {"token": target.digest})
    assert _with(api, mine[0]).get("/api/v1/me/").status_code == 401
    assert _with(api, mine[1]).get("/api/v1/me/").status_code == 200

    other = AuthToken.objects.get(user=world.docs_head)
    response = browser.post("/account/tokens/revoke/", {"token": other.digest}, follow=True)
    assert "That token no longer exists." in response.content.decode()
    assert _with(api, theirs).get("/api/v1/me/").status_code == 200


def test_the_websocket_accepts_only_a_live_token(world, api, transactional_db):
    token = _login(api).json()["token"]

    assert async_to_sync(_user_for_token)(token) == world.docs_member
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert isinstance(async_to_sync(_user_for_token)(token), AnonymousUser)
    assert isinstance(async_to_sync(_user_for_token)("0" * 40), AnonymousUser)
