"""A signed-in page's user and roles come from the cache too (congress.auth_backends, through
congress.auth_cache): no query for them once known, and every change of rights, deactivation
or new password still shows on the very next page."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from congress import accounts
from congress.models import Membership


@pytest.fixture
def secret(make_task, world):
    return make_task(body=world.personnel, assignee=None, title="Hồ sơ nhân sự (mật)")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_second_page_reads_neither_the_user_nor_the_roles(world, secret):
    client = signed_in(world.personnel_member)
    assert client.get(f"/tasks/{secret.pk}/").status_code == 200

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/notifications/").status_code == 200  # roles decide what it lists

    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert 'FROM "congress_user" WHERE' not in sql
    assert "congress_membership" not in sql


def test_a_membership_deleted_in_the_admin_ends_access_on_the_next_page(world, secret):
    client = signed_in(world.personnel_member)
    assert client.get(f"/tasks/{secret.pk}/").status_code == 200
    assert client.get(f"/tasks/{secret.pk}/").status_code == 200  # from the cache

    Membership.objects.get(user=world.personnel_member, body=world.personnel).delete()

    assert client.get(f"/tasks/{secret.pk}/").status_code == 404
    assert "Hồ sơ nhân sự (mật)" not in client.get("/tasks/?scope=all").content.decode()


def test_a_deactivated_account_is_signed_out_on_the_next_page(world, secret):
    client = signed_in(world.docs_member)
    assert client.get("/tasks/").status_code == 200
    assert client.get("/tasks/").status_code == 200

    accounts.user_deactivate(actor=world.staff, user=world.docs_member)

    response = client.get("/tasks/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_password_changed_elsewhere_ends_the_session(world):
    client = signed_in(world.docs_member)
    assert client.get("/tasks/").status_code == 200
    assert client.get("/tasks/").status_code == 200

    world.docs_member.set_password("một mật khẩu mới 2025")
    world.docs_member.save()

    response = client.get("/tasks/")
    assert response.status_code == 302 and "/login/" in response["Location"]
