"""The token, its user and the user's roles are cached across requests (congress.auth_cache);
every change of rights still shows on the very next request, however it is made (a service,
the admin's plain save or delete, a bare `rights_changed`), and a request that read the rows
just before a change cannot put what it read back into the cache."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken

from congress import accounts, auth_cache, services
from congress.models import Membership
from congress.signals import rights_changed
from tests.factories import PASSWORD


@pytest.fixture
def secret(make_task, world):
    """A personnel task; assigned to nobody, so that its members may be removed (409 else)."""
    return make_task(body=world.personnel, assignee=None)


def _warm(client, url) -> None:
    """Two calls: the second must be served by the cache (no query before the view's own)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "knox_authtoken" not in sql and "congress_membership" not in sql


def _listed(client) -> list[int]:
    return [task["id"] for task in client.get("/api/v1/tasks/").json()["results"]]


def test_a_removed_member_loses_a_confidential_task_on_the_very_next_request(
    world, api, secret, django_capture_on_commit_callbacks
):
    client = api(world.personnel_member)
    _warm(client, f"/api/v1/tasks/{secret.pk}/")

    with django_capture_on_commit_callbacks(execute=True):
        removed = api(world.staff).delete(
            f"/api/v1/bodies/{world.personnel.pk}/members/{world.personnel_member.pk}/"
        )

    assert removed.status_code == 204
    assert client.get(f"/api/v1/tasks/{secret.pk}/").status_code == 404
    assert secret.pk not in _listed(client)


def test_a_membership_deleted_in_the_admin_ends_access_on_the_next_request(world, api, secret):
    client = api(world.personnel_member)
    _warm(client, f"/api/v1/tasks/{secret.pk}/")

    Membership.objects.get(user=world.personnel_member, body=world.personnel).delete()

    assert client.get(f"/api/v1/tasks/{secret.pk}/").status_code == 404


def test_a_steering_head_made_a_member_stops_seeing_confidential_work_at_once(world, api, secret):
    client = api(world.steering_head)
    _warm(client, f"/api/v1/tasks/{secret.pk}/")

    services.membership_put(
        actor=world.staff, body=world.steering, user=world.steering_head, role="member"
    )

    assert client.get(f"/api/v1/tasks/{secret.pk}/").status_code == 404
    assert secret.pk not in _listed(client)


def test_a_body_made_confidential_hides_its_work_from_other_bodies_at_once(world, api, make_task):
    task = make_task()
    client = api(world.personnel_member)
    _warm(client, f"/api/v1/tasks/{task.pk}/")

    changed = api(world.sc_head).patch(f"/api/v1/bodies/{world.docs.pk}/", {"confidential": True})

    assert changed.status_code == 200
    assert client.get(f"/api/v1/tasks/{task.pk}/").status_code == 404


def test_rights_changed_alone_drops_the_cached_roles(world, api, secret):
    client = api(world.personnel_member)
    _warm(client, f"/api/v1/tasks/{secret.pk}/")
    # A change that bypasses the model's signals (a bulk update): only the signal tells.
    Membership.objects.filter(user=world.personnel_member).update(body=world.orgbody)
    assert client.get(f"/api/v1/tasks/{secret.pk}/").status_code == 200  # still cached

    rights_changed.send(sender=Membership, user_ids=[world.personnel_member.pk], reason="test")

    assert client.get(f"/api/v1/tasks/{secret.pk}/").status_code == 404


def test_a_revoked_token_is_refused_on_the_very_next_request(world, api):
    client = api(world.docs_member)
    _warm(client, "/api/v1/tasks/")

    assert client.delete("/api/v1/auth/token/").status_code == 204

    assert client.get("/api/v1/tasks/").status_code == 401
    assert client.get("/api/v1/tasks/").status_code == 401


def test_a_token_deleted_in_the_admin_is_refused_on_the_next_request(world, api):
    client = api(world.docs_member)
    _warm(client, "/api/v1/tasks/")

    AuthToken.objects.filter(user=world.docs_member).delete()

    assert client.get("/api/v1/tasks/").status_code == 401


def test_a_deactivated_user_is_refused_on_the_next_request(world, api):
    client = api(world.docs_member)
    _warm(client, "/api/v1/tasks/")

    accounts.user_deactivate(actor=world.staff, user=world.docs_member)

    assert client.get("/api/v1/tasks/").status_code == 401


def test_a_changed_password_ends_the_cached_token(world, api):
    client = api(world.docs_member)
    _warm(client, "/api/v1/tasks/")

    world.docs_member.set_password(PASSWORD + "-new")
    world.docs_member.save()

    assert client.get("/api/v1/tasks/").status_code == 401


def test_staff_rights_taken_away_show_on_the_next_request(world, api):
    client = api(world.staff)
    url = f"/api/v1/congresses/{world.other_congress.pk}/"
    _warm(client, url)

    world.staff.is_staff = False
    world.staff.save(update_fields=["is_staff"])

    assert client.get(url).status_code == 404


def test_roles_read_just_before_a_removal_are_not_cached_for_after_it(
    world, api, secret, monkeypatch
):
    """The request reads the roles, the removal happens, then the request stores what it read:
    the entry carries the generation read before the rows, so it is never used."""
    client = api(world.personnel_member)
    assert client.get(f"/api/v1/tasks/{secret.pk}/").status_code == 200
    auth_cache.users_forget([world.personnel_member.pk])  # the next request reads the rows
    read = auth_cache.roles_from_rows

    def read_then_removed(rows):
        roles = read(rows)
        Membership.objects.filter(user=world.personnel_member, body=world.personnel).delete()
        return roles

    monkeypatch.setattr(auth_cache, "roles_from_rows", read_then_removed)
    assert client.get(f"/api/v1/tasks/{secret.pk}/").status_code == 200  # read before: fine
    monkeypatch.setattr(auth_cache, "roles_from_rows", read)

    assert client.get(f"/api/v1/tasks/{secret.pk}/").status_code == 404


def test_a_token_read_just_before_its_revocation_is_not_cached(world, api, monkeypatch):
    client = api(world.docs_member)
    remember = auth_cache.token_remember

    def revoked_then_remembered(token):
        AuthToken.objects.filter(digest=token.digest).delete()
        remember(token)

    monkeypatch.setattr(auth_cache, "token_remember", revoked_then_remembered)
    assert client.get("/api/v1/tasks/").status_code == 200  # read before the revocation
    monkeypatch.setattr(auth_cache, "token_remember", remember)

    assert client.get("/api/v1/tasks/").status_code == 401


def test_without_a_shared_cache_nothing_is_cached(world, api, settings, secret):
    settings.AUTH_CACHE_SECONDS = None  # the default: on only for a cache shared by processes
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    client = api(world.personnel_member)
    client.get(f"/api/v1/tasks/{secret.pk}/")

    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/api/v1/tasks/{secret.pk}/").status_code == 200

    assert auth_cache.seconds() == 0
    assert any("knox_authtoken" in q["sql"] for q in queries.captured_queries)
