"""Fixtures for the web pages: a browser-like client logged in as any user of the world, a
personnel (confidential) task and document whose titles must never reach a documents member,
and uploads kept in a temporary MEDIA_ROOT."""

from types import SimpleNamespace

import pytest
from django.test import Client

from tests.documents.conftest import add_version, make_document, people  # noqa: F401
from workflows.models import Document
from workflows.services.tasks import task_comment_add, task_transition

SECRET_TASK = "Danh sách nhân sự dự kiến tái cử (mật)"
SECRET_DOCUMENT = "Đề án nhân sự khóa XXVI (mật)"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def web():
    """`web(user)`: a test client with the user's session, as a browser has after login."""

    def make(user=None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def secret(world, make_task, make_document, add_version):  # noqa: F811
    """A personnel task that has moved and been discussed, and a personnel document."""
    task = make_task(
        body=world.personnel,
        assignee=world.personnel_member,
        created_by=world.steering_head,
        title=SECRET_TASK,
    )
    task_transition(actor=world.personnel_member, task_id=task.pk, name="start")
    task_comment_add(actor=world.personnel_member, task_id=task.pk, text="Đã rà soát hồ sơ")
    document = make_document(
        body=world.personnel,
        kind=Document.Kind.PERSONNEL_PLAN,
        title=SECRET_DOCUMENT,
        rapporteur=world.personnel_member,
    )
    add_version(document, "Danh sách dự kiến")
    return SimpleNamespace(task=task, document=document)
