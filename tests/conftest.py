"""Shared fixtures: an API client authenticated by token, and a small congress world.

The world: Lê Chân district's congress XXV with its standing committee, steering board,
documents, personnel (confidential) and organization subcommittees; one user per role the
rules care about; an outsider who belongs to another organization's congress; and a staff user.
"""

from datetime import date
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from congress.models import Body, Membership, Organization
from notifications.models import Event
from tests.environment import missing
from tests.factories import (
    BodyFactory,
    CongressFactory,
    MembershipFactory,
    OrganizationFactory,
    TaskFactory,
    UserFactory,
)
from workflows.models import AuditEntry

Role = Membership.Role
Kind = Body.Kind

ROLES = {
    "sc_head": ("sc", Role.HEAD),
    "steering_head": ("steering", Role.HEAD),
    "docs_head": ("docs", Role.HEAD),
    "docs_deputy": ("docs", Role.DEPUTY),
    "docs_member": ("docs", Role.MEMBER),
    "docs_member2": ("docs", Role.MEMBER),
    "personnel_member": ("personnel", Role.MEMBER),
}


def pytest_configure(config):
    # Whitenoise warns about the static root that `collectstatic` would create; tests serve no
    # static files.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


def pytest_runtest_setup(item):
    # Row locks and real concurrency: a skip on SQLite, a failure in CI (tests/environment.py).
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        missing("needs PostgreSQL (DATABASE_URL=postgres://...): row locks, real concurrency")


@pytest.fixture(autouse=True)
def fresh_throttles(monkeypatch):
    """Throttle and login-failure counters live in the cache: each test starts with none, and
    with the rates of the settings (DRF copies them onto a class attribute once)."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", api_settings.DEFAULT_THROTTLE_RATES)
    cache.clear()
    yield
    cache.clear()


def api_token(user) -> str:
    """A new API token of the user (django-rest-knox: one per login)."""
    from congress import accounts

    return accounts.token_issue(user)[1]


@pytest.fixture
def api():
    """`api(user)`: a client that sends the user's token, so that every request loads the user
    (and their roles) afresh as in production; `api()` is anonymous."""

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
        return client

    return make


@pytest.fixture
def world(db):
    org = OrganizationFactory(name="Đảng bộ quận Lê Chân", level=Organization.Level.DISTRICT)
    congress = CongressFactory(organization=org, number=25, opens_on=date(2025, 9, 18))
    bodies = {
        "sc": BodyFactory(congress=congress, kind=Kind.STANDING_COMMITTEE, name="Ban Thường vụ"),
        "steering": BodyFactory(congress=congress, kind=Kind.STEERING_BOARD, name="Ban Chỉ đạo"),
        "docs": BodyFactory(congress=congress, kind=Kind.DOCUMENTS, name="Tiểu ban Văn kiện"),
        "personnel": BodyFactory(congress=congress, kind=Kind.PERSONNEL, name="Tiểu ban Nhân sự"),
        "orgbody": BodyFactory(
            congress=congress, kind=Kind.ORGANIZATION, name="Tiểu ban Tổ chức phục vụ"
        ),
    }
    users = {}
    for username, (body_key, role) in ROLES.items():
        users[username] = UserFactory(username=username)
        MembershipFactory(body=bodies[body_key], user=users[username], role=role)

    other_org = OrganizationFactory(
        name="Đảng bộ quận Ngô Quyền", level=Organization.Level.DISTRICT
    )
    other_congress = CongressFactory(organization=other_org, number=24)
    other_docs = BodyFactory(congress=other_congress, kind=Kind.DOCUMENTS, name="Văn kiện NQ")
    outsider = UserFactory(username="outsider")
    MembershipFactory(body=other_docs, user=outsider, role=Role.HEAD)
    staff = UserFactory(username="staff", is_staff=True)

    return SimpleNamespace(
        org=org,
        congress=congress,
        other_org=other_org,
        other_congress=other_congress,
        other_docs=other_docs,
        outsider=outsider,
        staff=staff,
        **bodies,
        **users,
    )


@pytest.fixture
def make_task(world):
    """A documents-subcommittee task assigned to docs_member, planned by docs_head."""

    def make(**kwargs):
        kwargs.setdefault("body", world.docs)
        kwargs.setdefault("assignee", world.docs_member)
        kwargs.setdefault("created_by", world.docs_head)
        return TaskFactory(**kwargs)

    return make


@pytest.fixture
def trail():
    """How many events and audit entries exist: a refused action must leave it unchanged."""

    def count() -> tuple[int, int]:
        return Event.objects.count(), AuditEntry.objects.count()

    return count
