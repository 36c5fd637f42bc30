"""The task pages act through the transition service: what the user may do shows as buttons, a
transition that needs a note or a reason asks for it, a refused one says why and changes
nothing, and the list costs the same number of queries however many tasks it shows."""

import html
import re
from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import Category, Notification
from tests.factories import HANOI, TaskFactory
from workflows.models import Comment, Task

S = Task.Status


@pytest.fixture
def english(world):
    """Members who read English: the messages asserted below are the English source strings."""
    for user in (world.docs_member, world.docs_head, world.docs_member2):
        user.language = "en"
        user.save(update_fields=["language"])
    return world


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_my_tasks_show_the_buttons_this_user_may_use(web, world, make_task):
    todo = make_task(title="Chuẩn bị tài liệu")
    in_review = make_task(title="Báo cáo tiến độ", status=S.IN_REVIEW)
    page = web(world.docs_member).get("/tasks/").content.decode()
    assert f'action="/tasks/{todo.pk}/transitions/start/"' in page
    assert f"/tasks/{in_review.pk}/transitions/approve/" not in page  # own task: no review
    head_html = web(world.docs_head).get("/tasks/?scope=review").content.decode()
    assert f'action="/tasks/{in_review.pk}/transitions/approve/"' in head_html
    assert f'action="/tasks/{in_review.pk}/transitions/return/"' in head_html
    assert 'data-requires="reason"' in head_html
    assert f'name="version" value="{in_review.version}"' in head_html


def test_start_from_the_list_goes_back_to_the_list(web, world, make_task):
    task = make_task(title="Chuẩn bị tài liệu")
    response = web(world.docs_member).post(
        f"/tasks/{task.pk}/transitions/start/", {"version": task.version, "next": "/tasks/?due="}
    )
    assert response.status_code == 302
    assert response["Location"] == "/tasks/?due="
    task.refresh_from_db()
    assert task.status == S.IN_PROGRESS


def test_submit_without_a_note_asks_for_it_and_changes_nothing(web, world, make_task, trail):
    task = make_task(status=S.IN_PROGRESS)
    before = trail()
    response = web(world.docs_member).post(
        f"/tasks/{task.pk}/transitions/submit/", {"version": task.version, "note": "  "}
    )
    assert response.status_code == 200
    assert 'name="note"' in response.content.decode()
    assert trail() == before
    task.refresh_from_db()
    assert task.status == S.IN_PROGRESS


def test_prompt_page_works_without_javascript(web, world, make_task):
    task = make_task(status=S.IN_PROGRESS)
    client = web(world.docs_member)
    page = client.get(f"/tasks/{task.pk}/transitions/submit/")
    assert page.status_code == 200
    assert '<textarea name="note"' in page.content.decode()
    response = client.post(
        f"/tasks/{task.pk}/transitions/submit/",
        {"version": task.version, "note": "Đã xong, gửi kèm báo cáo"},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == S.IN_REVIEW


def test_refused_transition_shows_why_and_changes_nothing(web, english, make_task, trail):
    world = english
    task = make_task(status=S.IN_REVIEW)  # assigned to docs_member
    before = trail()
    response = web(world.docs_member).post(
        f"/tasks/{task.pk}/transitions/approve/",
        {"version": task.version, "next": "/tasks/"},
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/tasks/"
    shown = messages_of(response)
    assert len(shown) == 1
    assert shown[0].startswith("You may not do “Approve” here. Only the head or a deputy")
    assert shown[0] in html.unescape(response.content.decode())
    assert 'class="message message-error" role="alert"' in response.content.decode()
    assert trail() == before
    task.refresh_from_db()
    assert (task.status, task.version) == (S.IN_REVIEW, 1)


def test_a_stale_version_is_refused_with_a_clear_message(web, english, make_task, trail):
    world = english
    task = make_task(status=S.IN_REVIEW, version=3)
    before = trail()
    response = web(world.docs_head).post(
        f"/tasks/{task.pk}/transitions/approve/", {"version": 2}, follow=True
    )
    assert messages_of(response) == [
        "This item was changed by someone else (version 3, you sent 2). Reload it and try again."
    ]
    assert trail() == before
    task.refresh_from_db()
    assert task.status == S.IN_REVIEW


def test_an_open_dependency_is_explained(web, english, make_task):
    world = english
    first = make_task(title="Trước")
    second = make_task(title="Sau", depends_on=[first])
    response = web(world.docs_member).post(
        f"/tasks/{second.pk}/transitions/start/", {"version": second.version}, follow=True
    )
    assert messages_of(response) == [
        "“Start” cannot be done now: a task it depends on is not done yet."
    ]
    second.refresh_from_db()
    assert second.status == S.TODO


def test_the_head_approves_and_returns_with_a_reason(web, world, make_task):
    approved = make_task(status=S.IN_REVIEW)
    returned = make_task(status=S.IN_REVIEW)
    client = web(world.docs_head)
    client.post(f"/tasks/{approved.pk}/transitions/approve/", {"version": 1})
    client.post(f"/tasks/{returned.pk}/transitions/return/", {"version": 1, "reason": "Bổ sung"})
    approved.refresh_from_db()
    returned.refresh_from_db()
    assert approved.status == S.DONE
    assert returned.status == S.IN_PROGRESS
    assert "Bổ sung" in web(world.docs_head).get(f"/tasks/{returned.pk}/").content.decode()


def test_a_redirect_never_leaves_the_site(web, world, make_task):
    task = make_task()
    response = web(world.docs_member).post(
        f"/tasks/{task.pk}/transitions/start/", {"next": "https://evil.example/"}
    )
    assert response["Location"] == f"/tasks/{task.pk}/"


def test_a_transition_from_the_wrong_state_names_the_state(web, english, make_task):
    task = make_task(status=S.DONE)
    response = web(english.docs_member).post(
        f"/tasks/{task.pk}/transitions/start/", {"version": 1}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "“Start” is not allowed from the state “Done”."
    ]


def test_an_unknown_transition_is_a_404(web, world, make_task):
    task = make_task()
    assert web(world.docs_member).post(f"/tasks/{task.pk}/transitions/fly/").status_code == 404


def test_filters_by_status_and_due(web, world, make_task):
    past = datetime(2025, 8, 1, 17, 0, tzinfo=HANOI)
    make_task(title="Việc đang làm", status=S.IN_PROGRESS, due_at=past)
    make_task(title="Việc đã xong", status=S.DONE, due_at=past)
    client = web(world.docs_member)
    default = client.get("/tasks/").content.decode()
    assert "Việc đang làm" in default and "Việc đã xong" not in default
    done = client.get("/tasks/?status=done").content.decode()
    assert "Việc đã xong" in done and "Việc đang làm" not in done
    overdue = client.get("/tasks/?due=overdue").content.decode()
    assert "Việc đang làm" in overdue and "Việc đã xong" not in overdue
    week = client.get("/tasks/?due=week").content.decode()
    assert "Việc đang làm" not in week
    everything = client.get("/tasks/?status=any").content.decode()
    assert "Việc đã xong" in everything and "Việc đang làm" in everything


def test_scope_all_shows_other_peoples_tasks(web, world, make_task):
    make_task(title="Việc của đồng chí khác", assignee=world.docs_member2)
    client = web(world.docs_member)
    assert "Việc của đồng chí khác" not in client.get("/tasks/").content.decode()
    assert "Việc của đồng chí khác" in client.get("/tasks/?scope=all").content.decode()


def test_malformed_filters_fall_back_to_the_defaults(web, world, make_task):
    make_task(title="Việc của tôi")
    response = web(world.docs_member).get("/tasks/?scope=x&status=zz&due=yesterday&body=abc")
    assert response.status_code == 200
    assert "Việc của tôi" in response.content.decode()


def test_task_page_shows_history_dependencies_and_comments(web, world, make_task):
    first = make_task(title="Thu thập số liệu", status=S.DONE)
    task = make_task(title="Viết báo cáo", depends_on=[first], description="Theo đề cương")
    client = web(world.docs_member)
    client.post(f"/tasks/{task.pk}/transitions/start/", {"version": 1})
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "Theo đề cương" in page
    assert f'href="/tasks/{first.pk}/"' in page
    assert 'class="history"' in page
    assert "status-in_progress" in page


def test_a_comment_with_a_mention_notifies_the_person(
    web, world, make_task, django_capture_on_commit_callbacks
):
    task = make_task(title="Viết báo cáo")
    with django_capture_on_commit_callbacks(execute=True):
        response = web(world.docs_member).post(
            f"/tasks/{task.pk}/comments/", {"text": "Nhờ @docs_head cho ý kiến"}
        )
    assert response.status_code == 302
    assert response["Location"] == f"/tasks/{task.pk}/#comments"
    comment = Comment.objects.get(task=task)
    assert comment.author == world.docs_member
    assert Notification.objects.filter(
        recipient=world.docs_head, category=Category.MENTION
    ).exists()
    page = web(world.docs_head).get(f"/tasks/{task.pk}/").content.decode()
    assert '<span class="mention">@docs_head</span>' in page


def test_an_empty_comment_is_refused(web, world, make_task):
    task = make_task()
    web(world.docs_member).post(f"/tasks/{task.pk}/comments/", {"text": " "})
    assert not Comment.objects.exists()


def test_comment_text_is_escaped(web, world, make_task):
    task = make_task()
    client = web(world.docs_member)
    client.post(f"/tasks/{task.pk}/comments/", {"text": "<script>alert(1)</script>"})
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_head_plans_a_task_and_a_member_may_not(web, world):
    client = web(world.docs_head)
    assert client.get("/tasks/new/").status_code == 200
    response = client.post(
        "/tasks/new/",
        {
            "body": world.docs.pk,
            "title": "Rà soát số liệu",
            "assignee": world.docs_member.pk,
            "priority": "high",
            "due_at": "2026-12-20T17:00",
            "requires_review": "on",
        },
    )
    task = Task.objects.get(title="Rà soát số liệu")
    assert response["Location"] == f"/tasks/{task.pk}/"
    assert (task.assignee, task.priority, task.requires_review) == (world.docs_member, "high", True)
    assert task.due_at.isoformat() == "2026-12-20T10:00:00+00:00"

    member = web(world.docs_member)
    assert member.get("/tasks/new/").status_code == 302
    member.post("/tasks/new/", {"body": world.docs.pk, "title": "Không được"})
    assert not Task.objects.filter(title="Không được").exists()


def seed(world, count: int) -> None:
    states = [S.TODO, S.IN_PROGRESS, S.IN_REVIEW, S.BLOCKED, S.DONE]
    previous = []
    for i in range(count):
        task = TaskFactory(
            body=[world.docs, world.orgbody, world.personnel][(i // 5) % 3],
            assignee=[world.docs_member, world.docs_head][i % 2],
            created_by=world.docs_head,
            status=states[i % len(states)],
        )
        if previous:
            task.depends_on.set(previous[-2:])
        previous.append(task)


@pytest.mark.parametrize("path", ["/tasks/?scope=all&status=any", "/tasks/?scope=review"])
def test_task_list_query_count_does_not_grow_with_tasks(web, world, path):
    client = web(world.docs_head)
    seed(world, 6)
    client.get(path)  # the first request of a session also saves the chosen congress
    with CaptureQueriesContext(connection) as few:
        response = client.get(path)
    rows = response.content.decode().count('class="task-row')
    seed(world, 40)
    with CaptureQueriesContext(connection) as many:
        response = client.get(path)
    assert response.status_code == 200
    assert response.content.decode().count('class="task-row') > rows > 0
    assert len(many) == len(few)
    assert len(many) <= 14


def _assignee_option(page: str, user) -> str:
    choices = page[page.index('name="assignee"') :]
    choices = choices[: choices.index("</select>")]
    match = re.search(rf'<option value="{user.pk}"[^>]*>', choices)
    assert match, f"{user.username} is not offered"
    return match.group(0)


def test_a_new_tasks_assignee_is_offered_only_for_the_bodies_whose_work_they_see(web, world):
    """The steering board's head plans in the documents and the personnel subcommittee: a
    documents member is offered for the documents subcommittee only (the page's script hides
    them when the personnel body is chosen), and the server refuses them there anyway."""
    client = web(world.steering_head)
    page = client.get("/tasks/new/").content.decode()

    assert 'data-people-of="id_body"' in page and "people_by_body.js" in page
    bodies = _assignee_option(page, world.docs_member)
    assert str(world.docs.pk) in re.search(r'data-bodies="([^"]*)"', bodies).group(1).split()
    assert str(world.personnel.pk) not in re.search(r'data-bodies="([^"]*)"', bodies).group(1)
    personnel = _assignee_option(page, world.personnel_member)
    assert str(world.personnel.pk) in re.search(r'data-bodies="([^"]*)"', personnel).group(1)

    client.post(
        "/tasks/new/",
        {
            "body": world.personnel.pk,
            "title": "Rà soát hồ sơ nhân sự",
            "assignee": world.docs_member.pk,
            "priority": "normal",
        },
    )
    assert not Task.objects.filter(title="Rà soát hồ sơ nhân sự").exists()
