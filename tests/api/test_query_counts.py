"""The task list costs the same number of queries for 10 tasks as for 200: permissions,
dependencies and names of every row come from a constant number of queries.

What a page of the task list costs, counting every query of the request (authentication
included): 2 once the token, its user and their roles are in the cache (congress.auth_cache):
the page with its count, and the ids of the rows' visible dependencies; 3 more on the first
request of a token (the token, the user, the roles)."""

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
    list_queries(client)  # the token, the user and their roles go into the cache
    few, page = list_queries(client)
    assert few == 2
    assert 10 >= page["count"] >= 5

    seed(world, 190)

    with django_assert_num_queries(few):
        response = client.get("/api/v1/tasks/?page_size=200")
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(response.json()["count"], 200)
    assert response.json()["count"] > 100


def test_task_list_query_count_is_small(world, api, django_assert_num_queries):
    client = api(world.steering_head)
    seed(world, 20)

    # the token, the user, their roles; the page with its count; the dependencies' ids
    with django_assert_num_queries(5):
        assert client.get("/api/v1/tasks/").status_code == 200
    # the token, the user and their roles come from the cache
    with django_assert_num_queries(2):
        assert client.get("/api/v1/tasks/").status_code == 200


def test_task_list_counts_in_the_page_query_without_distinct(world, api):
    client = api(world.docs_member)
    seed(world, 30)
    url = "/api/v1/tasks/?status=todo&status=done&priority=normal&priority=high&search=Nhi"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    page_query, dependencies_query = (q["sql"] for q in queries.captured_queries)
    assert "COUNT(*)" in page_query and "LIMIT" in page_query
    assert "DISTINCT" not in page_query
    assert '"workflows_task_depends_on"' in dependencies_query
    assert response.json()["count"] == len(response.json()["results"]) > 0


def test_an_empty_task_list_is_one_query(world, api, django_assert_num_queries):
    client = api(world.docs_member)
    client.get("/api/v1/tasks/")
    with django_assert_num_queries(1):
        response = client.get("/api/v1/tasks/?status=done")
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_filtered_task_list_query_count_does_not_grow(world, api, django_assert_max_num_queries):
    client = api(world.docs_member)
    url = "/api/v1/tasks/?assignee=me&status=todo&status=in_progress&overdue=false&search=Nhi"
    seed(world, 12)
    client.get(url)
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
