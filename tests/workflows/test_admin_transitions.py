"""The admin's "Change status" page of a task: the transitions the user may do now, applied
through the task service (the same page as a document's)."""

import pytest

from notifications.models import Event
from workflows.models import AuditEntry, Document, Task

S = Task.Status


@pytest.fixture
def admin_client(client, world):
    world.staff.is_superuser = True
    world.staff.save()
    client.force_login(world.staff)
    return client


def test_the_task_status_page_lists_what_may_be_done(admin_client, make_task):
    task = make_task(status=S.TODO)

    page = admin_client.get(f"/admin/workflows/task/{task.pk}/transition/").content.decode()

    assert '<option value="cancel">cancel (reason)</option>' in page
    assert 'value="start"' not in page  # the assignee's to do, not staff's
    assert (
        f'href="/admin/workflows/task/{task.pk}/transition/"'
        in admin_client.get(f"/admin/workflows/task/{task.pk}/change/").content.decode()
    )


def test_a_task_transition_from_the_admin_goes_through_the_service(admin_client, make_task):
    task = make_task(status=S.IN_PROGRESS)

    response = admin_client.post(
        f"/admin/workflows/task/{task.pk}/transition/",
        {"transition": "cancel", "text": "Không còn cần", "version": 1},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/admin/workflows/task/{task.pk}/change/"
    task.refresh_from_db()
    assert (task.status, task.version) == (S.CANCELLED, 2)
    assert AuditEntry.objects.get(transition="cancel").note == "Không còn cần"
    assert Event.objects.filter(type="task.transitioned").count() == 1


def test_an_empty_version_is_no_version_rather_than_an_error(admin_client, make_task):
    task = make_task(status=S.TODO)

    response = admin_client.post(
        f"/admin/workflows/task/{task.pk}/transition/",
        {"transition": "cancel", "text": "Trùng việc", "version": ""},
    )

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == S.CANCELLED


def test_a_refused_task_transition_changes_nothing(admin_client, make_task, trail):
    task = make_task(status=S.IN_PROGRESS)
    before = trail()

    response = admin_client.post(
        f"/admin/workflows/task/{task.pk}/transition/",
        {"transition": "cancel", "text": "", "version": 1},
    )

    assert response.status_code == 200
    task.refresh_from_db()
    assert (task.status, task.version) == (S.IN_PROGRESS, 1)
    assert trail() == before


def test_the_document_status_page_adds_the_round_and_the_closing_date(admin_client, world):
    document = Document.objects.create(
        congress=world.congress,
        body=world.docs,
        kind=Document.Kind.OTHER,
        title="Quy chế",
        created_by=world.docs_head,
        round=2,
    )

    page = admin_client.get(f"/admin/workflows/document/{document.pk}/transition/")

    text = page.content.decode()
    assert "Draft round: <strong>2</strong>" in " ".join(text.split())
    assert 'name="closes_at"' in text
    assert '<option value="withdraw">withdraw (reason)</option>' in text
