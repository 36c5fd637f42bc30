"""The task list costs the same number of queries for 10 tasks as for 200: permissions,
dependencies and names of every row come from a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import TaskFactory
from workflows.models import Task

S = Task.Status
STATES = [S.TODO, S.IN_PROGRESS, S.IN_REVIEW, S.BLOCKED, S.DONE, S.CANCELLED]


def seed(world, count):
    """Tasks in every state and body, with assignees, parents and dependencies."""
    bodies = [world.docs, world.orgbody, world.personnel, world.steering]
    assignees = [world.docs_member, world.docs_member2, world.docs_head, None]
    tasks = []
    for i in range(count):
        task = TaskFactory(
            body=bodies[i % len(bodies)],
            assignee=assignees[i % len(assignees)],
            created_by=world.steering_head,
            status=STATES[i % len(STATES)],
            requires_review=i % 3 != 0,
            parent=tasks[i - 1] if i % 5 == 4 else None,
        )
        if tasks:
            task.depends_on.set(tasks[-2:])
        tasks.append(task)
    return tasks


def list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/tasks/?page_size=200")
    assert response.status_code == 200
    return len(queries), response.json()


@pytest.mark.parametrize("who", ["steering_head", "docs_member", "staff"])
def test_task_list_query_count_does_not_grow_with_tasks(world, api, django_assert_num_queries, who):
    client = api(getattr(world, who))
    seed(world, 10)
    few, page = list_queries(client)
    assert 10 >= page["count"] >= 5

    seed(world, 190)

    with django_assert_num_queries(few):
        response = client.get("/api/v1/tasks/?page_size=200")
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(response.json()["count"], 200)
    assert response.json()["count"] > 100


def test_task_list_query_count_is_small(world, api, django_assert_max_num_queries):
    client = api(world.steering_head)
    seed(world, 20)

    # token and user, roles, count, page of tasks, dependencies
    with django_assert_max_num_queries(5):
        assert client.get("/api/v1/tasks/").status_code == 200


def test_filtered_task_list_query_count_does_not_grow(world, api, django_assert_max_num_queries):
    client = api(world.docs_member)
    url = "/api/v1/tasks/?assignee=me&status=todo&status=in_progress&overdue=false&search=Nhi"
    seed(world, 12)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200

    seed(world, 150)

    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.json()["count"] > 10


def test_events_list_query_count_does_not_grow(
    world, api, make_task, django_assert_max_num_queries
):
    from workflows.services.tasks import task_comment_add

    client = api(world.docs_member)
    task = make_task()
    for _ in range(5):
        task_comment_add(actor=world.docs_member, task_id=task.pk, text="Ý kiến")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/events/?page_size=200").status_code == 200

    for _ in range(100):
        task_comment_add(actor=world.docs_member, task_id=task.pk, text="Ý kiến")

    with django_assert_max_num_queries(len(few)):
        response = client.get("/api/v1/events/?page_size=200")
    assert response.json()["count"] == 105


def test_dashboard_query_count_does_not_grow(world, api, django_assert_max_num_queries):
    client = api(world.steering_head)
    url = f"/api/v1/congresses/{world.congress.pk}/dashboard/"
    seed(world, 10)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200

    seed(world, 100)

    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200
