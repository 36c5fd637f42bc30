"""A link from visible work to hidden work shows no id and tells no state (ARCHITECTURE §5):
dependencies and parents of tasks, as the API and the task page show them, as `start`
explains itself, and as an edit of `depends_on` keeps them."""

import pytest

from tests.factories import TaskFactory
from workflows.models import Task

TASKS = "/api/v1/tasks/"
S = Task.Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(world):
    """A personnel task: the documents subcommittee may not see it."""
    return TaskFactory(
        body=world.personnel,
        title="Thẩm tra lý lịch nhân sự",
        assignee=world.personnel_member,
        created_by=world.steering_head,
        status=S.IN_PROGRESS,
    )


@pytest.fixture
def visible(world):
    return TaskFactory(
        body=world.docs, title="Khung đề cương", created_by=world.docs_head, status=S.DONE
    )


@pytest.fixture
def waiting(world, hidden, visible):
    """A documents task, linked by the steering board's head to both, under the hidden one."""
    task = TaskFactory(
        body=world.docs,
        title="Dự thảo báo cáo chính trị",
        assignee=world.docs_member,
        created_by=world.steering_head,
        parent=hidden,
    )
    task.depends_on.set([hidden, visible])
    return task


# Writing links -------------------------------------------------------------------------------


def test_nobody_links_a_new_task_to_a_task_they_cannot_see(world, api, hidden, trail):
    before, count = trail(), Task.objects.count()

    response = api(world.docs_head).post(
        TASKS,
        {"body": world.docs.pk, "title": "Nhiệm vụ mới", "depends_on": [hidden.pk]},
        format="json",
    )

    assert (response.status_code, next(iter(response.json()))) == (400, "depends_on")
    assert "does not exist" in response.json()["depends_on"][0]
    assert (trail(), Task.objects.count()) == (before, count)


def test_nobody_places_a_task_under_a_task_they_cannot_see(world, api, hidden, visible, trail):
    before = trail()

    response = api(world.docs_head).patch(
        f"{TASKS}{visible.pk}/", {"parent": hidden.pk}, format="json"
    )

    assert (response.status_code, next(iter(response.json()))) == (400, "parent")
    visible.refresh_from_db()
    assert visible.parent_id is None
    assert trail() == before


def test_the_service_refuses_a_hidden_parent_as_if_it_did_not_exist(world, hidden):
    from congress.errors import Invalid
    from workflows.services.tasks import task_create

    with pytest.raises(Invalid) as refused:
        task_create(actor=world.docs_head, body=world.docs, title="Con", parent=hidden)

    assert list(refused.value.details["fields"]) == ["parent"]
    assert not Task.objects.filter(title="Con").exists()


# Reading links -------------------------------------------------------------------------------


def test_a_task_shows_only_the_links_its_reader_may_see(world, api, waiting, hidden, visible):
    body = api(world.docs_member).get(f"{TASKS}{waiting.pk}/").json()

    assert (body["depends_on"], body["parent"]) == ([visible.pk], None)


def test_the_task_list_shows_only_the_links_its_reader_may_see(world, api, waiting, visible):
    rows = api(world.docs_member).get(f"{TASKS}?body={world.docs.pk}").json()["results"]

    assert {r["id"]: (r["depends_on"], r["parent"]) for r in rows} == {
        visible.pk: ([], None),
        waiting.pk: ([visible.pk], None),
    }


def test_who_sees_both_ends_sees_the_links(world, api, waiting, hidden, visible):
    body = api(world.steering_head).get(f"{TASKS}{waiting.pk}/").json()

    assert (body["depends_on"], body["parent"]) == (sorted([hidden.pk, visible.pk]), hidden.pk)


def test_the_task_page_names_no_hidden_dependency(world, client, waiting, hidden, visible):
    client.force_login(world.docs_member)

    page = client.get(f"/tasks/{waiting.pk}/").content.decode()

    assert f"/tasks/{visible.pk}/" in page
    assert f"/tasks/{hidden.pk}/" not in page
    assert hidden.title not in page


# Starting a task whose dependency is hidden --------------------------------------------------


def test_start_says_a_hidden_dependency_is_not_done_without_naming_it(world, api, waiting, hidden):
    response = api(world.docs_member).post(f"{TASKS}{waiting.pk}/transitions/start/")

    assert response.status_code == 409
    assert response.json() == {
        "detail": "“start” cannot be done now: a task you cannot see is not done yet.",
        "code": "dependency_open",
        "transition": "start",
        "open_dependencies": [],
    }
    waiting.refresh_from_db()
    assert (waiting.status, waiting.version) == (S.TODO, 1)


def test_start_names_the_open_dependencies_its_reader_may_see(world, api, waiting, visible):
    Task.objects.filter(pk=visible.pk).update(status=S.IN_PROGRESS)

    body = api(world.docs_member).post(f"{TASKS}{waiting.pk}/transitions/start/").json()

    assert (body["code"], body["open_dependencies"]) == ("dependency_open", [visible.pk])
    assert body["detail"] == (
        "“start” cannot be done now: a task it depends on is not done yet, nor is a task "
        "you cannot see."
    )


def test_start_tells_who_sees_everything_which_dependencies_are_open(world, api, waiting, hidden):
    Task.objects.filter(pk=waiting.pk).update(assignee=world.steering_head)

    body = api(world.steering_head).post(f"{TASKS}{waiting.pk}/transitions/start/").json()

    assert (body["detail"], body["open_dependencies"]) == (
        "“start” cannot be done now: a task it depends on is not done yet.",
        [hidden.pk],
    )


# Editing links -------------------------------------------------------------------------------


def test_editing_dependencies_keeps_the_links_the_editor_cannot_see(
    world, api, waiting, hidden, visible
):
    other = TaskFactory(body=world.docs, title="Số liệu", created_by=world.docs_head)

    response = api(world.docs_head).patch(
        f"{TASKS}{waiting.pk}/", {"depends_on": [visible.pk, other.pk]}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert response.json()["depends_on"] == sorted([visible.pk, other.pk])
    assert set(waiting.depends_on.values_list("pk", flat=True)) == {hidden.pk, visible.pk, other.pk}


def test_sending_back_the_links_as_shown_changes_nothing(world, api, waiting, hidden, trail):
    shown = api(world.docs_head).get(f"{TASKS}{waiting.pk}/").json()
    before = trail()

    response = api(world.docs_head).patch(
        f"{TASKS}{waiting.pk}/",
        {"depends_on": shown["depends_on"], "parent": shown["parent"]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    waiting.refresh_from_db()
    assert (waiting.parent_id, waiting.version) == (hidden.pk, 1)
    assert set(waiting.depends_on.values_list("pk", flat=True)) == {
        hidden.pk,
        *shown["depends_on"],
    }
    assert trail() == before


def test_a_hidden_parent_is_not_replaced_by_who_cannot_see_it(world, api, waiting, hidden, visible):
    response = api(world.docs_head).patch(
        f"{TASKS}{waiting.pk}/", {"parent": visible.pk}, format="json"
    )

    assert (response.status_code, next(iter(response.json()))) == (400, "parent")
    waiting.refresh_from_db()
    assert waiting.parent_id == hidden.pk
