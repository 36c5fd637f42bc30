"""Issue 12's rough edges on today's task and document pages: a form that fails comes back
with its errors beside it and what was typed kept; limits are shown and said, never a silent
cut; approving asks first; an outside organization's comment is not "your comment"; the
dialog's close is not "Cancel" beside "Cancel the task"."""

import pytest

from tests.documents.conftest import upload
from tests.factories import MembershipFactory, UserFactory
from workflows.models import Comment
from workflows.services.documents import document_comment_add

LONG = ("Ý kiến " * 3000).strip() + "."  # 21,000 characters


@pytest.fixture
def report(make_document, add_version, people):
    document = make_document(rapporteur=people.docs_member)
    add_version(document, "Phần thứ nhất\nTăng trưởng đạt 10,5%/năm.")
    return document


def english(user):
    user.language = "en"
    user.save()
    return user


def test_a_too_long_task_comment_comes_back_with_its_text_and_a_clear_message(
    web, world, make_task
):
    task = make_task(title="Viết báo cáo")
    response = web(english(world.docs_member)).post(f"/tasks/{task.pk}/comments/", {"text": LONG})
    assert response.status_code == 400
    page = response.content.decode()
    form = page[page.index('id="comment-form"') :]
    form = form[: form.index("</form>")]
    assert (
        "This comment has 21,000 characters; a comment can have at most 20,000. "
        "Shorten it by 1,000 characters, or post it as two comments."
    ) in form
    assert LONG in form  # what was typed is kept
    assert 'aria-invalid="true"' in form and "autofocus" in form
    assert Comment.objects.filter(task=task).count() == 0


def test_an_empty_comment_is_told_to_write_something_beside_the_form(web, world, make_task):
    task = make_task()
    response = web(english(world.docs_member)).post(f"/tasks/{task.pk}/comments/", {"text": " "})
    assert response.status_code == 400
    assert "Write the comment before posting it." in response.content.decode()


def test_comment_textareas_show_a_counter_instead_of_cutting_at_the_limit(
    web, people, report, make_task
):
    task = make_task()
    task_page = web(people.docs_member).get(f"/tasks/{task.pk}/").content.decode()
    document_page = web(people.docs_member).get(f"/documents/{report.pk}/").content.decode()
    for page in (task_page, document_page):
        assert 'data-max="20000"' in page
        assert 'maxlength="20000"' not in page
    # the answer form of a comment too
    document_comment_add(actor=people.steering_member, document_id=report.pk, text="Ý kiến")
    page = web(people.docs_member).get(f"/documents/{report.pk}/").content.decode()
    assert page.count('data-max="20000"') == 2


def test_a_document_comment_too_long_keeps_section_and_text_in_the_open_form(web, people, report):
    client = web(english(people.steering_member))
    response = client.post(
        f"/documents/{report.pk}/comments/",
        {"text": LONG, "section": "Phần thứ nhất, I", "version": 1},
    )
    assert response.status_code == 400
    page = response.content.decode()
    form = page[page.index('id="add-comment" open') :]
    form = form[: form.index("</details>")]
    assert "at most 20,000" in form
    assert 'value="Phần thứ nhất, I"' in form and LONG in form
    assert not Comment.objects.filter(version__document=report).exists()


def test_an_upload_with_neither_file_nor_text_is_refused_beside_the_upload_form(
    web, people, report
):
    response = web(english(people.docs_member)).post(
        f"/documents/{report.pk}/versions/", {"note": "Dự thảo lần 2, bổ sung số liệu"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    form = page[page.index('id="upload" open') :]
    form = form[: form.index("</details>")]
    assert "Choose a file or paste the text (one of the two)." in form
    assert 'value="Dự thảo lần 2, bổ sung số liệu"' in form
    assert report.versions.count() == 1


def test_a_refused_file_must_be_chosen_again_and_says_so(web, people, report):
    response = web(english(people.docs_member)).post(
        f"/documents/{report.pk}/versions/",
        {"file": upload("ảnh chụp.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100)},
    )
    assert response.status_code == 400
    assert "Choose the file “ảnh chụp.png” again" in response.content.decode()


def test_an_outside_organizations_comment_is_recorded_in_its_name(web, people, report):
    response = web(english(people.docs_member)).post(
        f"/documents/{report.pk}/comments/",
        {"text": "Bổ sung nội dung chuyển đổi số", "source": "Đảng ủy phường An Biên"},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert shown == ["The comment of Đảng ủy phường An Biên was recorded."]


def test_ones_own_comment_is_still_your_comment(web, people, report):
    response = web(english(people.steering_member)).post(
        f"/documents/{report.pk}/comments/", {"text": "Bổ sung", "version": 1}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["Your comment was added."]


def test_approve_asks_for_confirmation_on_tasks_and_documents(
    web, people, make_task, make_document
):
    from workflows.services.tasks import task_transition

    task = make_task()
    task_transition(actor=people.docs_member, task_id=task.pk, name="start")
    task_transition(actor=people.docs_member, task_id=task.pk, name="submit", note="Xong")
    page = web(english(people.docs_head)).get(f"/tasks/{task.pk}/").content.decode()
    approve = page[: page.index('data-transition="approve"')]
    approve = approve[approve.rindex("<form") :]
    assert 'data-confirm="Approve this task? It is marked done and the assignee is told."' in (
        approve
    )
    start = page[: page.index('data-transition="return"')]
    assert "data-confirm" not in start[start.rindex("<form") :]

    report = make_document(status="subcommittee_review")
    page = web(english(people.docs_head)).get(f"/documents/{report.pk}/").content.decode()
    approve = page[: page.index('data-transition="approve"')]
    assert 'data-confirm="Approve this draft?' in approve[approve.rindex("<form") :]


def test_the_dialog_closes_with_close_not_cancel(web, world):
    page = web(english(world.docs_member)).get("/tasks/").content.decode()
    dialog = page[page.index('<dialog id="prompt-dialog"') :]
    assert ">Close</button>" in dialog and ">Cancel</button>" not in dialog


def test_the_assignee_choices_and_mentions_are_in_vietnamese_order(web, world, make_task):
    # Demo convention: family and middle names in first_name, the given name in last_name.
    for username, family_middle, given in [
        ("yen.tt", "Trần Thị", "Yến"),
        ("duc.nv", "Nguyễn Văn", "Đức"),
        ("dung.lv", "Lê Văn", "Dũng"),
    ]:
        user = UserFactory(username=username, first_name=family_middle, last_name=given)
        MembershipFactory(body=world.docs, user=user)
    page = web(world.docs_head).get("/tasks/new/").content.decode()
    assert page.index("Lê Văn Dũng") < page.index("Nguyễn Văn Đức") < page.index("Trần Thị Yến")
    task = make_task()
    page = web(world.docs_head).get(f"/tasks/{task.pk}/").content.decode()
    assert page.index("@dung.lv") < page.index("@duc.nv") < page.index("@yen.tt")


def test_a_task_description_over_the_limit_is_counted_and_refused_in_words(web, world):
    client = web(english(world.docs_head))
    assert 'data-max="20000"' in client.get("/tasks/new/").content.decode()
    response = client.post(
        "/tasks/new/",
        {
            "body": world.docs.pk,
            "title": "Tổng hợp ý kiến",
            "description": "x" * 20001,
            "priority": "normal",
        },
    )
    page = response.content.decode()
    assert "This text has 20,001 characters; at most 20,000 are allowed." in page
