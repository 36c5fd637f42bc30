"""The admin's task and document forms make their change through the services inside the
form's validation: a change the service refuses is an error on the form, nothing is saved and
nothing says "saved"."""

import pytest

from tests.factories import TaskFactory
from workflows.models import Document, Task


@pytest.fixture
def admin_client(client, world):
    world.staff.is_superuser = True
    world.staff.save(update_fields=["is_superuser"])
    client.force_login(world.staff)
    return client


def _task_form(task, **changes) -> dict:
    data = {
        "congress": task.congress_id,
        "body": task.body_id,
        "title": task.title,
        "description": task.description,
        "assignee": task.assignee_id,
        "priority": task.priority,
        "starts_on": "",
        "due_at_0": "",
        "due_at_1": "",
        "duration_days": 1,
        "requires_review": "on",
        "parent": "",
        "depends_on": [],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_task_change_the_service_refuses_is_a_form_error(admin_client, world, make_task, trail):
    task = make_task(title="Dự thảo báo cáo")
    before = trail()

    response = admin_client.post(
        f"/admin/workflows/task/{task.pk}/change/",
        _task_form(task, title="Đổi tên", assignee=world.outsider.pk),
        follow=True,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "The assignee must be a member who can see this body&#x27;s work." in page
    assert "changed successfully" not in page
    task.refresh_from_db()
    assert (task.title, task.assignee, task.version) == ("Dự thảo báo cáo", world.docs_member, 1)
    assert trail() == before


def test_a_task_moved_to_another_congress_in_the_admin_is_refused(
    admin_client, world, make_task, trail
):
    task = make_task(title="Dự thảo báo cáo")
    before = trail()

    response = admin_client.post(
        f"/admin/workflows/task/{task.pk}/change/",
        _task_form(task, congress=world.other_congress.pk),
    )

    assert response.status_code == 200
    assert "A task cannot move to another congress." in response.content.decode()
    task.refresh_from_db()
    assert (task.congress, task.version) == (world.congress, 1)
    assert trail() == before


def test_a_task_add_the_service_refuses_creates_nothing(admin_client, world, trail):
    template = TaskFactory.build(congress=world.congress, body=world.personnel)
    before, tasks = trail(), Task.objects.count()

    response = admin_client.post(
        "/admin/workflows/task/add/",
        _task_form(template, title="Danh sách nhân sự", assignee=world.docs_member.pk),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "The assignee must be a member who can see this body&#x27;s work." in page
    assert "added successfully" not in page
    assert Task.objects.count() == tasks
    assert trail() == before


def test_a_task_change_the_service_accepts_is_saved_once(admin_client, world, make_task, trail):
    task = make_task(title="Dự thảo báo cáo")
    events, entries = trail()

    response = admin_client.post(
        f"/admin/workflows/task/{task.pk}/change/",
        _task_form(task, title="Dự thảo báo cáo lần 2", assignee=world.docs_member2.pk),
    )

    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.assignee, task.version) == (
        "Dự thảo báo cáo lần 2",
        world.docs_member2,
        2,
    )
    assert trail() == (events + 1, entries + 1)


def test_a_task_added_in_the_admin_goes_through_the_service(admin_client, world, trail):
    template = TaskFactory.build(congress=world.congress, body=world.docs)
    events, entries = trail()

    response = admin_client.post(
        "/admin/workflows/task/add/",
        _task_form(template, title="Tổng hợp ý kiến", assignee=world.docs_member.pk),
    )

    assert response.status_code == 302
    task = Task.objects.get(title="Tổng hợp ý kiến")
    assert (task.body, task.assignee, task.created_by, task.version) == (
        world.docs,
        world.docs_member,
        world.staff,
        1,
    )
    assert response.url == "/admin/workflows/task/"
    assert trail() == (events + 1, entries + 1)


def _document_form(document, **changes) -> dict:
    data = {
        "congress": document.congress_id,
        "body": document.body_id,
        "kind": document.kind,
        "title": document.title,
        "rapporteur": document.rapporteur_id,
        "due_at_0": "",
        "due_at_1": "",
        "versions-TOTAL_FORMS": 0,
        "versions-INITIAL_FORMS": 0,
        "versions-MIN_NUM_FORMS": 0,
        "versions-MAX_NUM_FORMS": 1000,
    }
    data.update(changes)
    return data


def test_a_document_change_the_service_refuses_is_a_form_error(admin_client, world, trail):
    document = Document.objects.create(
        congress=world.congress,
        body=world.docs,
        kind=Document.Kind.POLITICAL_REPORT,
        title="Báo cáo chính trị",
        rapporteur=world.docs_member,
        created_by=world.docs_head,
    )
    before = trail()

    response = admin_client.post(
        f"/admin/workflows/document/{document.pk}/change/",
        _document_form(document, title="Đổi tên", rapporteur=world.outsider.pk),
        follow=True,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "changed successfully" not in page
    assert 'class="errornote"' in page
    document.refresh_from_db()
    assert (document.title, document.rapporteur, document.version) == (
        "Báo cáo chính trị",
        world.docs_member,
        1,
    )
    assert trail() == before
