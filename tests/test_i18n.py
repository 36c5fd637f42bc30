"""Vietnamese first: the API, emails and the admin speak Vietnamese unless asked otherwise."""

import pytest
from django.core import mail
from django.utils import translation

from workflows.services.tasks import task_create


@pytest.fixture
def vietnamese(settings):
    settings.LANGUAGE_CODE = "vi"


def test_api_errors_are_vietnamese_by_default(vietnamese, world, api, make_task):
    task = make_task(status="in_review")
    response = api(world.docs_head).post(
        f"/api/v1/tasks/{task.pk}/transitions/return/", {}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["reason"] == ["Thao tác “return” bắt buộc nhập trường “reason”."]
    assert api(world.docs_member).get("/api/v1/tasks/999999/").json()["detail"] == "Không tìm thấy."


def test_api_speaks_english_when_asked(vietnamese, world, api):
    response = api(world.docs_member).get("/api/v1/tasks/999999/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["detail"] == "Not found."


def test_congress_title_reads_as_on_party_documents(world):
    with translation.override("vi"):
        assert world.congress.title == (
            "Đại hội đại biểu Đảng bộ quận Lê Chân lần thứ XXV, nhiệm kỳ "
            f"{world.congress.term_start}-{world.congress.term_end}"
        )


def test_email_follows_the_recipients_language(world, django_capture_on_commit_callbacks):
    world.docs_member.email, world.docs_member2.email = "mai@lechan.vn", "anh@lechan.vn"
    world.docs_member.language, world.docs_member2.language = "vi", "en"
    world.docs_member.save()
    world.docs_member2.save()
    with django_capture_on_commit_callbacks(execute=True):
        task_create(
            actor=world.docs_head,
            body=world.docs,
            title="Rà soát số liệu",
            assignee=world.docs_member,
        )
        task_create(
            actor=world.docs_head, body=world.docs, title="In tài liệu", assignee=world.docs_member2
        )
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["mai@lechan.vn"] == "Nhiệm vụ mới giao cho đồng chí: Rà soát số liệu"
    assert subjects["anh@lechan.vn"] == "New task assigned to you: In tài liệu"


def test_admin_is_vietnamese(vietnamese, client, world):
    client.force_login(world.staff)
    world.staff.is_superuser = True
    world.staff.save()
    page = client.get("/admin/workflows/task/").content.decode()
    assert "Nhiệm vụ" in page
