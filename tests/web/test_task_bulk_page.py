"""The task list's bulk actions: tick tasks, choose what to do; a refusal names the task next
to the form, keeps the ticks and what was typed, and changes nothing."""

import html
import re
from datetime import datetime

import pytest
import time_machine

from notifications.models import Notification
from tests.factories import HANOI, TaskFactory
from workflows.models import Task


@pytest.fixture(autouse=True)
def june():
    with time_machine.travel(datetime(2025, 6, 2, 9, 0, tzinfo=HANOI), tick=False):
        yield


def _page(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def _bulk_form(page: str) -> str:
    return page[page.index('id="bulk"') : page.index('data-fragment="task-list"')]


def test_a_leader_ticks_the_tasks_they_may_change_and_no_other(web, world, make_task):
    own = make_task(title="Việc của tiểu ban")
    other = TaskFactory(body=world.orgbody, title="Việc của tiểu ban khác")

    page = _page(web(world.docs_head).get("/tasks/?scope=all"))

    assert f'name="bulk-tasks" value="{own.pk}" form="bulk-form"' in page
    assert f'value="{other.pk}" form="bulk-form"' not in page
    assert 'id="bulk-form"' in page


def test_a_member_gets_no_bulk_form(web, world, make_task):
    make_task()
    page = _page(web(world.docs_member).get("/tasks/"))
    assert 'id="bulk-form"' not in page
    assert 'name="bulk-tasks"' not in page


def test_moving_from_the_list_moves_every_ticked_task_and_goes_back(web, world, make_task):
    first = make_task(due_at=datetime(2025, 7, 4, 17, 0, tzinfo=HANOI))
    second = make_task(due_at=datetime(2025, 7, 7, 17, 0, tzinfo=HANOI))

    response = web(world.docs_head).post(
        "/tasks/?scope=all",
        {"bulk-bulk": "move", "bulk-tasks": [first.pk, second.pk], "bulk-working_days": "1"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/tasks/?scope=all"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.due_at == datetime(2025, 7, 7, 17, 0, tzinfo=HANOI)
    assert second.due_at == datetime(2025, 7, 8, 17, 0, tzinfo=HANOI)
    assert Notification.objects.filter(recipient=world.docs_member).count() == 1


def test_cancel_without_a_reason_is_refused_next_to_the_field_with_the_ticks_kept(
    web, world, make_task
):
    task = make_task()
    response = web(world.docs_head).post(
        "/tasks/?scope=all", {"bulk-bulk": "cancel", "bulk-tasks": [task.pk], "bulk-reason": ""}
    )

    page = _page(response)
    form = _bulk_form(page)
    assert "Cancelling needs a reason." in form
    assert re.search(rf'value="{task.pk}" form="bulk-form" id="pick-{task.pk}" checked', page)
    assert '<details class="card" id="bulk" open>' in page
    task.refresh_from_db()
    assert task.status == Task.Status.TODO


def test_a_refused_task_is_named_next_to_the_form_and_nothing_changes(web, world, make_task):
    mine = make_task(title="Dự thảo phần I")
    foreign = TaskFactory(body=world.orgbody, title="Thuê hội trường")

    response = web(world.docs_head).post(
        "/tasks/?scope=all",
        {
            "bulk-bulk": "reassign",
            "bulk-tasks": [mine.pk, foreign.pk],
            "bulk-assignee": world.docs_member2.pk,
            "bulk-note": "Nhờ đồng chí làm thay",
        },
    )

    form = _bulk_form(_page(response))
    assert "“Thuê hội trường”: " in form
    assert "Nhờ đồng chí làm thay</textarea>" in form
    mine.refresh_from_db()
    assert mine.assignee == world.docs_member
    assert not Notification.objects.exists()


def test_an_id_that_is_not_a_number_is_a_field_error(web, world, make_task):
    make_task()
    response = web(world.docs_head).post(
        "/tasks/", {"bulk-bulk": "move", "bulk-tasks": ["²"], "bulk-working_days": "1"}
    )
    assert response.status_code == 200
    assert "Select a valid choice." in _bulk_form(_page(response))
