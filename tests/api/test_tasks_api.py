"""The task endpoints of ARCHITECTURE §6: create, edit, filters, pagination, the transitions
each user may do, history and comments."""

from datetime import datetime

import pytest
import time_machine

from notifications.models import Event
from tests.factories import HANOI, TaskFactory
from workflows.models import AuditEntry, Task

S = Task.Status
NOW = datetime(2025, 8, 10, 9, 0, tzinfo=HANOI)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def at(day, month=8, hour=17):
    return datetime(2025, month, day, hour, 0, tzinfo=HANOI)


def ids(response):
    assert response.status_code == 200, response.json()
    return [t["id"] for t in response.json()["results"]]


# --- create ------------------------------------------------------------------------------


def test_body_head_creates_task(world, api):
    response = api(world.docs_head).post(
        "/api/v1/tasks/",
        {
            "congress": world.congress.pk,
            "body": world.docs.pk,
            "title": "Dự thảo Báo cáo chính trị lần 1",
            "description": "Theo đề cương đã duyệt",
            "assignee": world.docs_member.pk,
            "priority": "high",
            "due_at": "2025-08-15T17:00:00+07:00",
            "requires_review": True,
        },
    )

    assert response.status_code == 201, response.json()
    task = response.json()
    assert {k: task[k] for k in ("congress", "body", "body_name", "title", "assignee")} == {
        "congress": world.congress.pk,
        "body": world.docs.pk,
        "body_name": "Tiểu ban Văn kiện",
        "title": "Dự thảo Báo cáo chính trị lần 1",
        "assignee": world.docs_member.pk,
    }
    assert task["created_by"] == world.docs_head.pk
    assert task["priority"] == "high"
    assert task["due_at"] == "2025-08-15T17:00:00+07:00"
    assert (task["status"], task["version"]) == ("todo", 1)
    assert task["available_transitions"] == ["cancel"]
    assert task["depends_on"] == []
    assert list(AuditEntry.objects.values_list("transition", "to_state", "object_id")) == [
        ("create", "todo", task["id"])
    ]
    assert list(Event.objects.values_list("type", "object_id")) == [("task.created", task["id"])]


def test_steering_head_creates_task_in_personnel_subcommittee(world, api):
    response = api(world.steering_head).post(
        "/api/v1/tasks/",
        {
            "body": world.personnel.pk,
            "title": "Rà soát quy hoạch",
            "assignee": world.personnel_member.pk,
        },
    )

    assert response.status_code == 201
    assert response.json()["congress"] == world.congress.pk


def test_member_cannot_create_task(world, api, trail):
    before = trail()

    response = api(world.docs_member).post(
        "/api/v1/tasks/", {"body": world.docs.pk, "title": "Tự giao việc"}
    )

    assert response.status_code == 403
    assert response.json()["code"] == "task_create_forbidden"
    assert Task.objects.count() == 0
    assert trail() == before


def test_head_of_another_body_cannot_create_task_in_mine(world, api, make_task):
    response = api(world.docs_head).post(
        "/api/v1/tasks/", {"body": world.orgbody.pk, "title": "Thuê hội trường"}
    )

    assert response.status_code == 403
    assert Task.objects.count() == 0


def test_create_with_body_of_another_congress_is_rejected(world, api):
    response = api(world.staff).post(
        "/api/v1/tasks/",
        {"congress": world.congress.pk, "body": world.other_docs.pk, "title": "Lạc chỗ"},
    )

    assert response.status_code == 400
    assert response.json()["body"] == ["This body belongs to another congress."]
    assert Task.objects.count() == 0


def test_create_refuses_a_status(world, api):
    response = api(world.docs_head).post(
        "/api/v1/tasks/", {"body": world.docs.pk, "title": "Đã xong sẵn", "status": "done"}
    )

    assert response.status_code == 400
    assert response.json()["status"] == [
        "The status changes only through the transitions endpoint."
    ]
    assert Task.objects.count() == 0


def test_create_without_title_and_body_lists_both_fields(world, api):
    response = api(world.docs_head).post("/api/v1/tasks/", {})

    assert response.status_code == 400
    assert sorted(k for k in response.json() if k not in ("detail", "code")) == ["body", "title"]


def test_create_with_dependencies(world, api, make_task):
    first, second = make_task(), make_task()

    response = api(world.docs_head).post(
        "/api/v1/tasks/",
        {"body": world.docs.pk, "title": "Tổng hợp", "depends_on": [second.pk, first.pk]},
    )

    assert response.status_code == 201
    assert response.json()["depends_on"] == sorted([first.pk, second.pk])


# --- edit --------------------------------------------------------------------------------


def test_head_edits_task_with_current_version(world, api, make_task):
    task = make_task(title="Cũ", version=1)

    response = api(world.docs_head).patch(
        f"/api/v1/tasks/{task.pk}/", {"title": "Mới", "priority": "urgent", "version": 1}
    )

    assert response.status_code == 200
    assert (response.json()["title"], response.json()["priority"]) == ("Mới", "urgent")
    assert response.json()["version"] == 2
    entry = AuditEntry.objects.get()
    assert (entry.transition, entry.note, entry.actor) == (
        "update",
        "title, priority",
        world.docs_head,
    )
    event = Event.objects.get()
    assert (event.type, event.payload["changed"], event.payload["version"]) == (
        "task.updated",
        ["title", "priority"],
        2,
    )


def test_edit_with_stale_version_is_conflict(world, api, make_task, trail):
    task = make_task(title="Cũ", version=4)
    before = trail()

    response = api(world.docs_head).patch(
        f"/api/v1/tasks/{task.pk}/", {"title": "Mới", "version": 3}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "stale_version"
    assert response.json()["current_version"] == 4
    task.refresh_from_db()
    assert (task.title, task.version) == ("Cũ", 4)
    assert trail() == before


def test_edit_refuses_a_status_write(world, api, make_task, trail):
    task = make_task(status=S.IN_REVIEW)
    before = trail()

    response = api(world.docs_head).patch(f"/api/v1/tasks/{task.pk}/", {"status": "done"})

    assert response.status_code == 400
    assert list(response.json()["status"]) == [
        "The status changes only through the transitions endpoint."
    ]
    task.refresh_from_db()
    assert (task.status, task.version) == (S.IN_REVIEW, 1)
    assert trail() == before


def test_member_cannot_edit_task(world, api, make_task, trail):
    task = make_task(title="Cũ")
    before = trail()

    response = api(world.docs_member).patch(f"/api/v1/tasks/{task.pk}/", {"title": "Mới"})

    assert response.status_code == 403
    assert response.json()["code"] == "task_edit_forbidden"
    task.refresh_from_db()
    assert task.title == "Cũ"
    assert trail() == before


def test_edit_without_change_keeps_the_version(world, api, make_task, trail):
    task = make_task(title="Như cũ")
    before = trail()

    response = api(world.docs_head).patch(f"/api/v1/tasks/{task.pk}/", {"title": "Như cũ"})

    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert trail() == before


def test_task_cannot_move_to_another_congress(world, api, make_task):
    task = make_task()

    response = api(world.staff).patch(
        f"/api/v1/tasks/{task.pk}/", {"congress": world.other_congress.pk}
    )

    assert response.status_code == 400
    assert response.json()["congress"] == ["A task cannot move to another congress."]


def test_task_cannot_depend_on_itself_or_make_a_cycle(world, api, make_task):
    first = make_task()
    second = make_task(depends_on=[first])
    client = api(world.docs_head)

    itself = client.patch(f"/api/v1/tasks/{first.pk}/", {"depends_on": [first.pk]})
    cycle = client.patch(f"/api/v1/tasks/{first.pk}/", {"depends_on": [second.pk]})

    assert itself.status_code == 400
    assert itself.json()["depends_on"] == ["A task cannot depend on itself."]
    assert cycle.status_code == 400
    assert cycle.json()["depends_on"] == ["These dependencies would make a cycle."]
    assert list(first.depends_on.all()) == []


def test_task_parent_must_belong_to_the_same_congress(world, api):
    elsewhere = TaskFactory(body=world.other_docs)

    response = api(world.staff).post(
        "/api/v1/tasks/", {"body": world.docs.pk, "title": "Con", "parent": elsewhere.pk}
    )

    assert response.status_code == 400
    assert "parent" in response.json()
    assert Task.objects.filter(title="Con").count() == 0


def test_task_cannot_be_its_own_parent(world, api, make_task):
    task = make_task()

    response = api(world.docs_head).patch(f"/api/v1/tasks/{task.pk}/", {"parent": task.pk})

    assert response.status_code == 400
    assert "parent" in response.json()
    task.refresh_from_db()
    assert task.parent_id is None


# --- filters, ordering, pagination --------------------------------------------------------


@pytest.fixture
def plan(world, make_task, frozen):
    """Four tasks of the congress (now is 10/8/2025 09:00) and one of another congress."""
    return {
        "draft": make_task(
            title="Dự thảo Báo cáo chính trị",
            status=S.TODO,
            due_at=at(5),
            assignee=world.docs_member,
        ),
        "review": make_task(
            title="Báo cáo kiểm điểm",
            status=S.IN_PROGRESS,
            due_at=at(20),
            assignee=world.docs_member2,
        ),
        "hall": make_task(
            body=world.orgbody,
            title="Hội trường Đại hội",
            status=S.DONE,
            due_at=at(1),
            assignee=None,
        ),
        "decor": make_task(
            body=world.orgbody,
            title="Khánh tiết",
            description="Trang trí hội trường và cổng chào",
            status=S.BLOCKED,
            due_at=at(1, month=9),
        ),
        "other": TaskFactory(body=world.other_docs, title="Việc nơi khác", due_at=at(12)),
    }


def names(plan, response):
    by_id = {task.pk: key for key, task in plan.items()}
    return [by_id[i] for i in ids(response)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["hall", "draft", "review", "decor"]),
        ("body={orgbody}", ["hall", "decor"]),
        ("body={docs}", ["draft", "review"]),
        ("assignee=me", ["draft", "decor"]),
        ("assignee={docs_member2}", ["review"]),
        ("status=todo&status=blocked", ["draft", "decor"]),
        ("status=done", ["hall"]),
        ("due_before=2025-08-15T00:00:00%2B07:00", ["hall", "draft"]),
        ("due_after=2025-08-15T00:00:00%2B07:00", ["review", "decor"]),
        (
            "due_after=2025-08-02T00:00:00%2B07:00&due_before=2025-08-31T00:00:00%2B07:00",
            ["draft", "review"],
        ),
        ("overdue=true", ["draft"]),
        ("overdue=false", ["hall", "review", "decor"]),
        ("search=hội trường", ["hall", "decor"]),
        ("search=báo cáo", ["draft", "review"]),
        ("ordering=-due_at", ["decor", "review", "draft", "hall"]),
        ("ordering=title", ["review", "draft", "hall", "decor"]),
        ("status=in_progress&assignee=me", []),
    ],
)
def test_task_list_filters(world, api, plan, query, expected):
    query = query.format(
        orgbody=world.orgbody.pk, docs=world.docs.pk, docs_member2=world.docs_member2.pk
    )

    response = api(world.docs_member).get(f"/api/v1/tasks/?{query}")

    assert names(plan, response) == expected


def test_search_ignores_case_of_vietnamese_letters(world, api, plan):
    response = api(world.docs_member).get("/api/v1/tasks/?search=đại hội")

    assert names(plan, response) == ["hall"]


def test_congress_filter_separates_congresses(world, api, plan):
    client = api(world.staff)

    mine = names(plan, client.get(f"/api/v1/tasks/?congress={world.congress.pk}"))
    other = names(plan, client.get(f"/api/v1/tasks/?congress={world.other_congress.pk}"))

    assert mine == ["hall", "draft", "review", "decor"]
    assert other == ["other"]


def test_overdue_is_derived_from_now(world, api, plan):
    tasks = api(world.docs_member).get("/api/v1/tasks/").json()["results"]

    assert [(t["title"], t["is_overdue"]) for t in tasks] == [
        ("Hội trường Đại hội", False),
        ("Dự thảo Báo cáo chính trị", True),
        ("Báo cáo kiểm điểm", False),
        ("Khánh tiết", False),
    ]
    with time_machine.travel(datetime(2025, 8, 21, 9, 0, tzinfo=HANOI), tick=False):
        later = api(world.docs_member).get("/api/v1/tasks/?overdue=true")
    assert names(plan, later) == ["draft", "review"]


def test_pagination_shape(world, api, plan):
    client = api(world.docs_member)

    first = client.get("/api/v1/tasks/?page_size=3").json()
    second = client.get("/api/v1/tasks/?page_size=3&page=2").json()

    assert sorted(first) == ["count", "next", "previous", "results"]
    assert (first["count"], len(first["results"]), first["previous"]) == (4, 3, None)
    assert first["next"] == "http://testserver/api/v1/tasks/?page=2&page_size=3"
    assert (second["count"], len(second["results"]), second["next"]) == (4, 1, None)
    assert second["previous"] == "http://testserver/api/v1/tasks/?page_size=3"


def test_page_size_is_capped_at_200(world, api, make_task):
    TaskFactory.create_batch(201, body=world.docs)

    response = api(world.docs_member).get("/api/v1/tasks/?page_size=1000")

    assert response.json()["count"] == 201
    assert len(response.json()["results"]) == 200


# --- what each user may do ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "requires_review", "who", "expected"),
    [
        (S.TODO, True, "docs_member", ["start"]),
        (S.TODO, True, "docs_head", ["cancel"]),
        (S.TODO, True, "docs_member2", []),
        (S.IN_PROGRESS, True, "docs_member", ["block", "submit"]),
        (S.IN_PROGRESS, False, "docs_member", ["block", "complete"]),
        (S.IN_PROGRESS, True, "docs_head", ["cancel"]),
        (S.IN_REVIEW, True, "docs_member", []),
        (S.IN_REVIEW, True, "docs_deputy", ["approve", "cancel", "return"]),
        (S.IN_REVIEW, True, "steering_head", ["approve", "cancel", "return"]),
        (S.IN_REVIEW, True, "sc_head", []),
        (S.BLOCKED, True, "docs_member", ["unblock"]),
        (S.BLOCKED, True, "docs_head", ["cancel", "unblock"]),
        (S.DONE, True, "docs_head", ["reopen"]),
        (S.DONE, True, "docs_member", []),
        (S.CANCELLED, True, "docs_deputy", ["reopen"]),
    ],
)
def test_available_transitions_depend_on_user_and_state(
    world, api, make_task, status, requires_review, who, expected
):
    task = make_task(status=status, requires_review=requires_review)

    detail = api(getattr(world, who)).get(f"/api/v1/tasks/{task.pk}/").json()
    listed = api(getattr(world, who)).get("/api/v1/tasks/").json()["results"]

    assert sorted(detail["available_transitions"]) == expected
    assert sorted(listed[0]["available_transitions"]) == expected


def test_available_transitions_exclude_start_while_dependency_open(world, api, make_task):
    first = make_task(status=S.IN_PROGRESS)
    task = make_task(depends_on=[first])

    response = api(world.docs_member).get(f"/api/v1/tasks/{task.pk}/")

    assert response.json()["available_transitions"] == []
    assert response.json()["depends_on"] == [first.pk]


# --- history and comments ----------------------------------------------------------------


def test_history_lists_audit_entries_in_order(world, api):
    head, member = api(world.docs_head), api(world.docs_member)
    task = head.post(
        "/api/v1/tasks/",
        {"body": world.docs.pk, "title": "Đề cương", "assignee": world.docs_member.pk},
    ).json()
    member.post(f"/api/v1/tasks/{task['id']}/transitions/start/", {})
    member.post(f"/api/v1/tasks/{task['id']}/transitions/block/", {"reason": "Chờ ý kiến"})

    response = member.get(f"/api/v1/tasks/{task['id']}/history/")

    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert [
        (h["transition"], h["from_state"], h["to_state"], h["actor"], h["note"])
        for h in response.json()["results"]
    ] == [
        ("create", "", "todo", world.docs_head.pk, ""),
        ("start", "todo", "in_progress", world.docs_member.pk, ""),
        ("block", "in_progress", "blocked", world.docs_member.pk, "Chờ ý kiến"),
    ]


def test_member_comments_on_a_task(world, api, make_task):
    task = make_task()
    client = api(world.docs_member2)

    created = client.post(
        f"/api/v1/tasks/{task.pk}/comments/",
        {"text": "Đề nghị bổ sung số liệu", "section": "Phần II"},
    )
    listed = client.get(f"/api/v1/tasks/{task.pk}/comments/")

    assert created.status_code == 201
    assert {k: created.json()[k] for k in ("task", "author", "section", "text")} == {
        "task": task.pk,
        "author": world.docs_member2.pk,
        "section": "Phần II",
        "text": "Đề nghị bổ sung số liệu",
    }
    assert listed.json()["count"] == 1
    assert listed.json()["results"][0]["id"] == created.json()["id"]
    event = Event.objects.get()
    assert (event.type, event.payload["task"], event.confidential) == (
        "comment.added",
        task.pk,
        False,
    )


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_comment_is_rejected(world, api, make_task, trail, text):
    task = make_task()
    before = trail()

    response = api(world.docs_member).post(f"/api/v1/tasks/{task.pk}/comments/", {"text": text})

    assert response.status_code == 400
    assert "text" in response.json()
    assert task.comments.count() == 0
    assert trail() == before


def test_comment_author_cannot_be_forged(world, api, make_task):
    task = make_task()

    response = api(world.docs_member).post(
        f"/api/v1/tasks/{task.pk}/comments/",
        {"text": "Ý kiến", "author": world.sc_head.pk, "source": "MTTQ", "task": 999},
    )

    assert response.status_code == 201
    assert (response.json()["author"], response.json()["source"], response.json()["task"]) == (
        world.docs_member.pk,
        "",
        task.pk,
    )


def test_tasks_need_authentication(world, api):
    response = api().get("/api/v1/tasks/")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_task_delete_and_put_are_not_allowed(world, api, make_task):
    task = make_task()
    client = api(world.docs_head)

    assert client.delete(f"/api/v1/tasks/{task.pk}/").status_code == 405
    assert client.put(f"/api/v1/tasks/{task.pk}/", {"title": "x"}).status_code == 405
    assert Task.objects.filter(pk=task.pk).exists()
