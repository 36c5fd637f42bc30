"""ARCHITECTURE §5 on the web pages: a documents member never meets the personnel
subcommittee's work, on any page, in any fragment, through any form; a missing and an
invisible object are the same 404 page."""

import pytest
from django.utils.timezone import localdate

from notifications.models import Event
from tests.web.conftest import SECRET_DOCUMENT, SECRET_TASK
from workflows.models import AuditEntry, Comment, Task


def everything(world, secret):
    task, document = secret.task, secret.document
    return [
        "/",
        f"/congresses/{world.congress.pk}/",
        f"/congresses/{world.congress.pk}/?fragment=dashboard",
        "/tasks/",
        "/tasks/?scope=all&status=any",
        "/tasks/?scope=all&status=any&fragment=task-list",
        "/tasks/?scope=review",
        f"/tasks/?scope=all&body={world.personnel.pk}",
        "/documents/",
        "/documents/?fragment=document-list",
        "/calendar/",
        "/calendar/?month=2025-08",
        "/calendar/?month=2025-08&fragment=calendar",
        f"/calendar/?day={localdate(task.due_at):%Y-%m-%d}",
        f"/calendar/?day={localdate(task.due_at):%Y-%m-%d}&fragment=calendar-day",
        f"/calendar/?day={localdate(document.due_at or task.due_at):%Y-%m-%d}",
        "/notifications/",
        "/notifications/?fragment=inbox",
        f"/tasks/{task.pk}/",
        f"/tasks/{task.pk}/?fragment=task-detail",
        f"/tasks/{task.pk}/transitions/submit/",
        f"/documents/{document.pk}/",
        f"/documents/{document.pk}/?fragment=document-detail",
        f"/documents/{document.pk}/versions/1/file/",
        f"/documents/{document.pk}/comment-summary.docx",
        f"/documents/{document.pk}/transitions/approve/",
    ]


def test_documents_member_never_sees_a_personnel_title(web, world, secret):
    client = web(world.docs_member)
    for path in everything(world, secret):
        response = client.get(path, follow=True)
        assert response.status_code in (200, 404), path
        body = response.content.decode(errors="replace")
        assert SECRET_TASK not in body, path
        assert SECRET_DOCUMENT not in body, path
        assert "Đã rà soát hồ sơ" not in body, path


def test_personnel_objects_are_a_404_page_for_a_documents_member(web, world, secret):
    client = web(world.docs_member)
    for path in [
        f"/tasks/{secret.task.pk}/",
        f"/tasks/{secret.task.pk}/?fragment=task-detail",
        f"/documents/{secret.document.pk}/",
        f"/documents/{secret.document.pk}/?fragment=document-detail",
        f"/documents/{secret.document.pk}/versions/1/file/",
        f"/documents/{secret.document.pk}/comment-summary.xlsx",
    ]:
        response = client.get(path)
        assert response.status_code == 404, path
        missing = client.get(path.replace(str(secret.task.pk), "999999", 1))
        assert missing.status_code == 404


def test_forms_on_a_personnel_task_change_nothing(web, world, secret, trail):
    client = web(world.docs_member)
    before = trail()
    comments = Comment.objects.count()
    for path, data in [
        (f"/tasks/{secret.task.pk}/transitions/block/", {"reason": "x"}),
        (f"/tasks/{secret.task.pk}/comments/", {"text": "xem"}),
        (f"/documents/{secret.document.pk}/transitions/approve/", {}),
        (f"/documents/{secret.document.pk}/comments/", {"text": "xem"}),
        (f"/documents/{secret.document.pk}/versions/", {"text": "Bản mới"}),
    ]:
        assert client.post(path, data).status_code == 404, path
    assert trail() == before
    assert Comment.objects.count() == comments
    assert Task.objects.get(pk=secret.task.pk).status == "in_progress"


def test_the_personnel_member_and_the_standing_committee_see_it(web, world, secret):
    for user in (world.personnel_member, world.sc_head, world.steering_head):
        client = web(user)
        assert SECRET_TASK in client.get("/tasks/?scope=all").content.decode()
        assert client.get(f"/tasks/{secret.task.pk}/").status_code == 200
        assert SECRET_DOCUMENT in client.get("/documents/").content.decode()


def test_a_dependency_in_a_confidential_body_is_counted_not_named(web, world, secret, make_task):
    task = make_task(title="Chuẩn bị báo cáo tư cách")
    task.depends_on.add(secret.task)
    html = web(world.docs_member).get(f"/tasks/{task.pk}/").content.decode()
    assert SECRET_TASK not in html
    assert f"/tasks/{secret.task.pk}/" not in html
    assert "confidential" in html or "mật" in html


def test_the_dashboard_omits_the_personnel_subcommittee(web, world, secret, make_task):
    make_task(title="Dự thảo báo cáo")
    html = web(world.docs_member).get(f"/congresses/{world.congress.pk}/").content.decode()
    assert f"body={world.personnel.pk}" not in html
    assert f"body={world.docs.pk}" in html


def test_an_outsider_sees_nothing_of_this_congress(web, world, secret, make_task):
    task = make_task(title="Việc của Lê Chân")
    client = web(world.outsider)
    assert client.get(f"/tasks/{task.pk}/").status_code == 404
    assert client.get(f"/congresses/{world.congress.pk}/").status_code == 404
    assert client.get(f"/tasks/?congress={world.congress.pk}").status_code == 404
    assert "Việc của Lê Chân" not in client.get("/tasks/?scope=all").content.decode()


@pytest.mark.django_db
def test_live_catch_up_starts_after_the_last_event_the_user_may_see(web, world, secret):
    """The page's `data-live-after` is the newest event the user may see, not a confidential
    one's id (which would tell that something happened there)."""
    visible = Event.objects.filter(confidential=False, congress=world.congress)
    visible.delete()
    html = web(world.docs_member).get("/tasks/").content.decode()
    assert 'data-live-after="0"' in html
    assert Event.objects.filter(confidential=True).exists()
    assert AuditEntry.objects.exists()
