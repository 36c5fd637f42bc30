"""Editing tasks from the web: /tasks/{id}/edit/ (errors next to the field with what was
typed kept, assignees who may see the body's work, deadline warnings, the dependency search
through the visibility rule), reassignment with a note and subtasks from the task page, and
the office editing the work it sets up but not the personnel subcommittee's."""

import html
import re
from datetime import date, datetime

import pytest
import time_machine

from congress.models import Membership, OrganizationOffice
from notifications.models import Category, Notification
from tests.factories import HANOI, MembershipFactory, TaskFactory, UserFactory
from workflows.models import AuditEntry, Task

# Opening 18/09/2025: the superior review is due 45 working days before, on 15/07/2025.
NOW = datetime(2025, 6, 2, 9, 0, tzinfo=HANOI)


@pytest.fixture(autouse=True)
def now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def office(world):
    user = UserFactory(username="van.phong")
    OrganizationOffice.objects.create(user=user, organization=world.org)
    return user


def _page(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def _form(task, **changes) -> dict:
    data = {
        "version": task.version,
        "title": task.title,
        "description": task.description,
        "body": task.body_id,
        "assignee": task.assignee_id or "",
        "priority": task.priority,
        "starts_on": "",
        "due_at": "2025-07-01T17:00",
        "requires_review": "on",
        "parent": "",
        "q": "",
        "save": "1",
    }
    data.update(changes)
    return data


def _options(page: str, name: str) -> list[str]:
    """The labels of a select's options, in the page's order."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page).group(1)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_the_edit_form_saves_through_the_task_service(web, world, make_task):
    task = make_task(title="Dự thảo báo cáo")

    response = web(world.docs_head).post(
        f"/tasks/{task.pk}/edit/",
        _form(
            task, title="Dự thảo báo cáo chính trị", priority="high", assignee=world.docs_member2.pk
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/tasks/{task.pk}/"
    task.refresh_from_db()
    assert (task.title, task.priority, task.assignee) == (
        "Dự thảo báo cáo chính trị",
        "high",
        world.docs_member2,
    )
    assert task.due_at == datetime(2025, 7, 1, 17, 0, tzinfo=HANOI)
    entry = AuditEntry.objects.get(object_id=task.pk, transition="update")
    assert entry.note == "title, assignee, priority, due_at"


def test_a_refused_edit_is_shown_next_to_its_field_with_what_was_typed(web, world, make_task):
    task = make_task(title="Dự thảo báo cáo")

    response = web(world.docs_head).post(
        f"/tasks/{task.pk}/edit/",
        _form(task, title="", description="Mô tả mới đã gõ", due_at="31/02/2025 17:00"),
    )

    assert response.status_code == 200
    page = _page(response)
    title_field = page[page.index('for="id_title"') : page.index('for="id_description"')]
    assert "This field is required." in title_field
    assert "Mô tả mới đã gõ</textarea>" in page
    due_field = page[page.index('for="id_due_at"') : page.index('for="id_requires_review"')]
    assert "Enter a valid date/time." in due_field
    task.refresh_from_db()
    assert task.title == "Dự thảo báo cáo"


def test_a_service_refusal_lands_on_the_field_it_is_about(web, world, make_task):
    task = make_task()
    # A dependency cycle: the service refuses it on depends_on.
    other = make_task(title="Việc sau", depends_on=[task])

    response = web(world.docs_head).post(
        f"/tasks/{task.pk}/edit/", {**_form(task, title="Tên mới"), "depends_on": [other.pk]}
    )

    page = _page(response)
    deps = page[page.index('id="dependencies"') :]
    assert "These dependencies would make a cycle." in deps
    assert 'value="Tên mới"' in page
    assert re.search(rf'value="{other.pk}"[^>]*checked', deps)


def test_a_stale_version_keeps_what_was_typed(web, world, make_task):
    task = make_task()
    response = web(world.docs_head).post(
        f"/tasks/{task.pk}/edit/", _form(task, version=task.version + 5, title="Tiêu đề đã gõ")
    )
    page = _page(response)
    assert "This task was changed by someone else" in page
    assert 'value="Tiêu đề đã gõ"' in page


def test_a_member_is_not_offered_the_edit_page(web, world, make_task):
    task = make_task()
    client = web(world.docs_member)
    assert "/edit/" not in client.get(f"/tasks/{task.pk}/").content.decode()
    response = client.post(f"/tasks/{task.pk}/edit/", _form(task, title="Không được"))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title != "Không được"


def test_assignees_of_a_confidential_body_are_only_those_who_may_see_its_work(web, world):
    task = TaskFactory(body=world.personnel, assignee=world.personnel_member)

    page = _page(web(world.steering_head).get(f"/tasks/{task.pk}/edit/"))

    names = _options(page, "assignee")
    assert any("(personnel_member)" in n for n in names)
    assert any("(steering_head)" in n for n in names)  # leads the steering board
    assert any("(sc_head)" in n for n in names)  # standing committee
    assert not any("(docs_member)" in n or "(docs_head)" in n for n in names)


def test_assignees_are_in_vietnamese_order(web, world, make_task):
    for username, family, given in [
        ("z.dao", "Phạm", "Đào"),
        ("a.dung", "Lê", "Dũng"),
        ("m.anh", "Trần", "Ánh"),
        ("b.an", "Vũ", "An"),
    ]:
        user = UserFactory(username=username, first_name=family, last_name=given)
        MembershipFactory(body=world.docs, user=user)
    task = make_task()

    names = _options(_page(web(world.docs_head).get(f"/tasks/{task.pk}/edit/")), "assignee")

    ours = [
        n for n in names if n.split("(")[-1].rstrip(")") in {"z.dao", "a.dung", "m.anh", "b.an"}
    ]
    assert ours == ["Vũ An (b.an)", "Trần Ánh (m.anh)", "Lê Dũng (a.dung)", "Phạm Đào (z.dao)"]


def test_an_assignee_who_may_not_see_the_new_body_is_refused_on_the_field(web, world, make_task):
    task = make_task()
    response = web(world.steering_head).post(
        f"/tasks/{task.pk}/edit/", _form(task, body=world.personnel.pk)
    )
    page = _page(response)
    field = page[page.index('for="id_assignee"') : page.index('for="id_note"')]
    assert "Select a valid choice." in field or "can see this body" in field
    task.refresh_from_db()
    assert task.body == world.docs


@pytest.mark.parametrize(
    ("due_at", "expected"),
    [
        ("2025-05-30T17:00", ["This deadline (30/05/2025 17:00) is already past"]),
        ("2025-07-16T17:00", ["after the superior-review deadline (15/07/2025)"]),
        ("2025-07-15T17:00", []),
    ],
)
def test_the_deadline_warns_when_past_or_after_the_superior_review(
    web, world, make_task, due_at, expected
):
    task = make_task(due_at=datetime.fromisoformat(due_at).replace(tzinfo=HANOI))
    client = web(world.docs_head)

    page = _page(client.get(f"/tasks/{task.pk}/edit/"))
    saved = client.post(f"/tasks/{task.pk}/edit/", _form(task, due_at=due_at), follow=True)

    warnings = re.findall(r'class="message message-warning">([^<]*)<', page)
    assert len(warnings) == len(expected)
    for text, wanted in zip(warnings, expected, strict=True):
        assert wanted in text
    after = [str(m) for m in saved.context["messages"] if m.level_tag == "warning"]
    assert len(after) == len(expected)


def test_the_dependency_search_finds_without_diacritics_and_never_lists_hidden_work(
    web, world, make_task
):
    task = make_task(title="Tổng hợp ý kiến")
    report = make_task(title="Báo cáo chính trị, dự thảo lần 2")
    make_task(title="Chuẩn bị hội trường")
    TaskFactory(body=world.personnel, title="Báo cáo nhân sự (mật)")
    TaskFactory(body=world.other_docs, title="Báo cáo chính trị Ngô Quyền")

    page = _page(web(world.docs_head).get(f"/tasks/{task.pk}/edit/?q=bao+cao"))

    deps = page[page.index('id="dependencies"') :]
    assert "Báo cáo chính trị, dự thảo lần 2" in deps
    assert f'value="{report.pk}"' in deps
    assert "Chuẩn bị hội trường" not in deps
    assert "nhân sự" not in page
    assert "Ngô Quyền" not in page


def test_searching_keeps_what_was_typed_and_saves_nothing(web, world, make_task):
    task = make_task(title="Tổng hợp ý kiến")
    chosen = make_task(title="Hội nghị lấy ý kiến")
    make_task(title="Báo cáo kiểm điểm")

    response = web(world.docs_head).post(
        f"/tasks/{task.pk}/edit/",
        {
            **_form(task, title="Tên đang sửa", q="kiem diem"),
            "depends_on": [chosen.pk],
            "search": "1",
        },
    )

    page = _page(response)
    assert 'value="Tên đang sửa"' in page
    assert "Báo cáo kiểm điểm" in page
    assert re.search(rf'value="{chosen.pk}"[^>]*checked', page)
    task.refresh_from_db()
    assert task.title == "Tổng hợp ý kiến"
    assert not task.depends_on.exists()


def test_dependencies_chosen_on_the_page_are_saved_and_hidden_ones_kept(web, world, make_task):
    secret = TaskFactory(body=world.personnel)
    task = make_task(depends_on=[secret])
    first = make_task(title="Việc trước")

    web(world.docs_head).post(f"/tasks/{task.pk}/edit/", {**_form(task), "depends_on": [first.pk]})

    assert set(task.depends_on.values_list("pk", flat=True)) == {first.pk, secret.pk}


# Reassignment with a note, subtasks


def test_the_reassignment_note_reaches_the_new_assignee(
    web, world, make_task, django_capture_on_commit_callbacks
):
    task = make_task(title="Rà soát số liệu")
    with django_capture_on_commit_callbacks(execute=True):
        response = web(world.docs_head).post(
            f"/tasks/{task.pk}/reassign/",
            {
                "reassign-version": task.version,
                "reassign-assignee": world.docs_member2.pk,
                "reassign-note": "Đồng chí nhận giúp, hạn gấp",
            },
        )

    assert response.status_code == 302
    task.refresh_from_db()
    assert task.assignee == world.docs_member2
    notice = Notification.objects.get(recipient=world.docs_member2)
    assert notice.category == Category.ASSIGNMENT
    assert "Rà soát số liệu" in notice.title
    assert "Đồng chí nhận giúp, hạn gấp" in notice.text
    assert not Notification.objects.filter(recipient=world.docs_member).exists()


def test_a_refused_reassignment_is_shown_next_to_its_form(web, world, make_task):
    task = make_task()
    response = web(world.docs_head).post(
        f"/tasks/{task.pk}/reassign/",
        {"reassign-version": task.version, "reassign-assignee": "", "reassign-note": "Ghi chú"},
    )
    page = _page(response)
    form = page[page.index('id="reassign"') : page.index('id="comment-form-title"')]
    assert "This field is required." in form
    assert "Ghi chú</textarea>" in form
    assert '<details id="reassign" open>' in page
    task.refresh_from_db()
    assert task.assignee == world.docs_member


def test_a_note_without_a_new_assignee_is_refused(web, world, make_task):
    task = make_task()
    response = web(world.docs_head).post(f"/tasks/{task.pk}/edit/", _form(task, note="Nhắc việc"))
    page = _page(response)
    field = page[page.index('for="id_note"') : page.index('for="id_priority"')]
    assert "A note goes to a new assignee" in field


def test_a_subtask_is_added_from_the_task_page_and_listed_there(web, world, make_task):
    task = make_task(title="Chuẩn bị văn kiện")
    client = web(world.docs_head)

    response = client.post(
        f"/tasks/{task.pk}/subtasks/",
        {
            "subtask-title": "Viết phần thứ nhất",
            "subtask-assignee": world.docs_member2.pk,
            "subtask-due_at": "2025-06-20T17:00",
        },
    )

    assert response.status_code == 302
    subtask = Task.objects.get(title="Viết phần thứ nhất")
    assert (subtask.parent, subtask.body, subtask.assignee) == (
        task,
        world.docs,
        world.docs_member2,
    )
    page = _page(client.get(f"/tasks/{task.pk}/"))
    assert f'<a href="/tasks/{subtask.pk}/">Viết phần thứ nhất</a>' in page


def test_a_subtask_without_a_title_keeps_the_form_open_with_its_error(web, world, make_task):
    task = make_task()
    response = web(world.docs_head).post(
        f"/tasks/{task.pk}/subtasks/",
        {"subtask-title": "", "subtask-due_at": "2025-06-20T17:00"},
    )
    page = _page(response)
    assert '<details id="subtasks" open>' in page
    assert 'value="2025-06-20T17:00"' in page
    assert not Task.objects.filter(parent=task).exists()


def test_a_member_gets_neither_the_reassignment_nor_the_subtask_form(web, world, make_task):
    task = make_task()
    page = web(world.docs_member).get(f"/tasks/{task.pk}/").content.decode()
    assert "/reassign/" not in page and "/subtasks/" not in page


# The office


def test_office_edits_and_reassigns_a_subcommittees_task(web, world, make_task, office):
    task = make_task(title="Chuẩn bị tài liệu")
    client = web(office)
    assert f"/tasks/{task.pk}/edit/" in client.get(f"/tasks/{task.pk}/").content.decode()

    response = client.post(
        f"/tasks/{task.pk}/edit/",
        _form(task, title="Chuẩn bị tài liệu hội nghị", assignee=world.docs_member2.pk),
    )

    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.title, task.assignee) == ("Chuẩn bị tài liệu hội nghị", world.docs_member2)


def test_office_neither_sees_nor_edits_the_personnel_subcommittees_tasks(web, world, office):
    task = TaskFactory(body=world.personnel, assignee=world.personnel_member, title="Nhân sự")
    client = web(office)

    assert client.get(f"/tasks/{task.pk}/edit/").status_code == 404
    posted = client.post(f"/tasks/{task.pk}/edit/", _form(task, title="Đổi tên"))
    assert posted.status_code == 404
    assert (
        client.post(
            f"/tasks/{task.pk}/reassign/", {"reassign-assignee": world.sc_head.pk}
        ).status_code
        == 404
    )
    task.refresh_from_db()
    assert (task.title, task.assignee) == ("Nhân sự", world.personnel_member)


def test_office_as_a_personnel_member_sees_its_work_but_does_not_edit_it(web, world, office):
    MembershipFactory(body=world.personnel, user=office, role=Membership.Role.MEMBER)
    task = TaskFactory(body=world.personnel, title="Nhân sự")
    client = web(office)

    assert client.get(f"/tasks/{task.pk}/").status_code == 200
    response = client.post(f"/tasks/{task.pk}/edit/", _form(task, title="Đổi tên"))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title == "Nhân sự"


def test_office_removes_a_member_and_hands_their_open_tasks_on_from_the_bodies_page(
    web, world, make_task, office
):
    open_task = make_task(status=Task.Status.IN_PROGRESS)
    done = make_task(status=Task.Status.DONE)
    field = f"member-{world.docs.pk}-{world.docs_member.pk}"

    response = web(office).post(
        f"/congresses/{world.congress.pk}/bodies/",
        {
            "action": "member",
            "body": world.docs.pk,
            "user": world.docs_member.pk,
            "remove": "",
            f"{field}-role": "member",
            f"{field}-reassign_to": world.docs_member2.pk,
        },
    )

    assert response.status_code == 302
    open_task.refresh_from_db()
    done.refresh_from_db()
    assert open_task.assignee == world.docs_member2
    assert done.assignee == world.docs_member
    assert not Membership.objects.filter(body=world.docs, user=world.docs_member).exists()
    entry = AuditEntry.objects.get(object_id=open_task.pk, transition="update")
    assert entry.actor == office


def test_the_deadline_warning_uses_the_congress_opening(world):
    from workflows.due_warnings import due_warnings

    world.congress.opens_on = date(2025, 12, 1)
    assert due_warnings(world.congress, datetime(2025, 7, 16, 17, 0, tzinfo=HANOI)) == []


def test_the_api_carries_a_reassignment_note_too(
    api, world, make_task, django_capture_on_commit_callbacks
):
    task = make_task(title="Rà soát số liệu")
    with django_capture_on_commit_callbacks(execute=True):
        response = api(world.docs_head).patch(
            f"/api/v1/tasks/{task.pk}/",
            {"assignee": world.docs_member2.pk, "note": "Nhờ đồng chí xử lý"},
            format="json",
        )
    assert response.status_code == 200
    assert "note" not in response.json()
    assert "Nhờ đồng chí xử lý" in Notification.objects.get(recipient=world.docs_member2).text

    refused = api(world.docs_head).patch(
        f"/api/v1/tasks/{task.pk}/", {"note": "Không đổi người"}, format="json"
    )
    assert refused.status_code == 400
    assert "note" in refused.json()
    created = api(world.docs_head).post(
        "/api/v1/tasks/",
        {"body": world.docs.pk, "title": "Việc mới", "note": "bỏ qua"},
        format="json",
    )
    assert created.status_code == 201
