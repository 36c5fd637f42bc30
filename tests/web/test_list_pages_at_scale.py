"""The pages people open most stay bounded as a congress grows: the documents list is shown a
page at a time with its filter kept in the page links, and the documents list, a document's
page, the task list and the inbox cost the same number of queries for a few rows as for many."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import Category, Notification
from tests.factories import MembershipFactory, TaskFactory, UserFactory
from workflows.models import Comment, ConsultationInvitation, Document, Task, WrittenOpinion
from workflows.web.views.documents import PAGE_SIZE as DOCUMENTS_PAGE
from workflows.web.views.notifications import PAGE_SIZE

NOTIFICATION = re.compile(r'<li class="notification( unread)? category-')

S = Document.Status


def _queries(client, path: str) -> tuple[int, str]:
    client.get(path)  # the first request of a session also saves the chosen congress
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def _documents(make_document, count: int, **kwargs) -> None:
    for n in range(count):
        make_document(title=f"Tài liệu số {n:03}", **kwargs)


# --- the documents list ---------------------------------------------------------------------


def test_the_documents_list_shows_a_page_at_a_time_and_keeps_its_filter(web, people, make_document):
    _documents(make_document, DOCUMENTS_PAGE + 5)
    make_document(title="Quy chế làm việc", kind="working_rules", status=S.APPROVED)
    client = web(people.docs_member)

    first = client.get("/documents/?status=drafting").content.decode()
    assert first.count('class="doc-row"') == DOCUMENTS_PAGE
    # The heading counts every drafting document, not only those on this page.
    assert f'<span class="count">{DOCUMENTS_PAGE + 5}</span>' in first
    assert 'href="?status=drafting&amp;page=2"' in first
    assert "Quy chế làm việc" not in first

    second = client.get("/documents/?status=drafting&page=2").content.decode()
    assert second.count('class="doc-row"') == 5
    assert "Tài liệu số 054" in second and "Tài liệu số 000" not in second
    assert 'href="?status=drafting&amp;page=1"' in second


def test_the_documents_list_pages_run_through_the_states_in_order(web, people, make_document):
    _documents(make_document, DOCUMENTS_PAGE - 1)
    make_document(title="Quy chế làm việc", kind="working_rules", status=S.APPROVED)
    make_document(title="Quy chế bầu cử", kind="election_rules", status=S.APPROVED)
    client = web(people.docs_member)

    first = client.get("/documents/").content.decode()
    assert 'id="group-drafting"' in first and 'id="group-approved"' in first
    assert "Quy chế làm việc" in first and "Quy chế bầu cử" not in first
    assert re.search(r'id="group-approved">.*?<span class="count">2</span>', first)
    second = client.get("/documents/?page=2").content.decode()
    assert 'id="group-drafting"' not in second and "Quy chế bầu cử" in second


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999999999999", "2", ""])
def test_a_bad_documents_page_falls_back_to_a_real_one(web, people, make_document, page):
    _documents(make_document, 3)
    client = web(people.docs_member)
    response = client.get(f"/documents/?page={page}")
    assert response.status_code == 200
    assert response.content.decode().count('class="doc-row"') == 3
    unknown = client.get(f"/documents/?page={page}&status=nonsense")
    assert unknown.status_code == 200
    assert 'class="doc-row"' not in unknown.content.decode()
    assert '<p class="card empty">' in unknown.content.decode()


def test_the_documents_list_query_count_does_not_grow_with_documents(
    web, people, make_document, add_version
):
    client = web(people.docs_member)
    _documents(make_document, 5)
    few, page = _queries(client, "/documents/")
    assert page.count('class="doc-row"') == 5
    _documents(make_document, DOCUMENTS_PAGE + 10, status=S.SUBCOMMITTEE_REVIEW)
    for document in Document.objects.all()[:20]:
        add_version(document, "Dự thảo")
    many, page = _queries(client, "/documents/")
    assert page.count('class="doc-row"') == DOCUMENTS_PAGE
    assert many == few <= 9


# --- a document's page ----------------------------------------------------------------------


def _discuss(document, people, *, versions: int, comments: int, invitations: int) -> None:
    """Versions by different authors, comments by different people (answered by others), and
    invitations with a written opinion each: everything the page shows per row."""
    from django.core.files.base import ContentFile

    from workflows.models import DocumentVersion

    for number in range(1, versions + 1):
        author = UserFactory(username=f"author{document.pk}-{number}")
        MembershipFactory(body=people.docs, user=author)
        text = "\n".join(f"Phần {p}\nNội dung {p} bản {number}" for p in range(1, 6))
        version = DocumentVersion(
            document=document,
            number=number,
            round=document.round,
            original_name=f"du-thao-{number}.md",
            file_type="md",
            size=len(text.encode()),
            sha256=f"{number:064}",
            text=text,
            author=author,
        )
        version.file.save(f"test/{document.pk}-{number}.md", ContentFile(text.encode()), False)
        version.save()
    latest = document.versions.order_by("-number").first()
    for n in range(comments):
        author = UserFactory(username=f"commenter{document.pk}-{n}")
        answered = n % 3 != 0
        Comment.objects.create(
            version=latest,
            author=author,
            section=f"Phần {n % 5 + 1}",
            text=f"Góp ý {n} @docs_head",
            disposition="accepted" if answered else "pending",
            response="Đã tiếp thu" if answered else "",
            answered_by=UserFactory(username=f"answerer{document.pk}-{n}") if answered else None,
            answered_at=timezone.now() if answered else None,
        )
    for n in range(invitations):
        invitation = ConsultationInvitation.objects.create(
            document=document,
            round=document.round,
            name=f"Đảng ủy phường {n}",
            email=f"p{n}@x.vn",
            sent_at=timezone.now(),
            created_by=people.docs_member,
        )
        invitation.comments.set(Comment.objects.filter(version=latest)[n : n + 2])
        WrittenOpinion.objects.create(
            invitation=invitation,
            file=f"opinions/{n}.pdf",
            original_name=f"gop-y-{n}.pdf",
            file_type="pdf",
            size=10,
            sha256="0" * 64,
        )


def _out_for_comment(make_document) -> Document:
    return make_document(
        status=S.CONSULTATION, consultation_closes_at=timezone.now() + timedelta(days=10)
    )


@pytest.mark.parametrize("reader", ["docs_member", "steering_head"])
def test_a_documents_page_query_count_does_not_grow_with_comments_and_versions(
    web, people, make_document, reader
):
    """The drafters' page (answer forms, the consultation panel) and a reviewer's."""
    client = web(getattr(people, reader))
    small = _out_for_comment(make_document)
    _discuss(small, people, versions=2, comments=2, invitations=1)
    large = _out_for_comment(make_document)
    _discuss(large, people, versions=8, comments=30, invitations=6)

    few, page = _queries(client, f"/documents/{small.pk}/")
    assert page.count('class="comment disposition-') == 2
    many, page = _queries(client, f"/documents/{large.pk}/")
    assert page.count('class="comment disposition-') == 30
    assert page.count('class="version"') == 8
    assert "<ins>" in page  # the diff of the last two versions
    assert many == few <= 15


# --- the task list --------------------------------------------------------------------------


def _tasks(world, count: int) -> None:
    """Tasks of three bodies (one confidential) in four states, each depending on the two
    before it, half of them the documents member's."""
    states = [Task.Status.TODO, Task.Status.IN_PROGRESS, Task.Status.IN_REVIEW, Task.Status.BLOCKED]
    previous = []
    for i in range(count):
        task = TaskFactory(
            body=world.docs if i % 2 == 0 else [world.orgbody, world.personnel][i // 2 % 2],
            assignee=world.docs_member
            if i % 2
            else UserFactory(username=f"a{Task.objects.count()}"),
            created_by=world.docs_head,
            status=states[i // 2 % 4],
            due_at=timezone.now() + timedelta(days=i - 3),
        )
        if previous:
            task.depends_on.set(previous[-2:])
        previous.append(task)


@pytest.mark.parametrize(
    ("user", "path", "most"),
    [
        ("docs_head", "/tasks/?scope=all&status=any", 10),
        ("steering_head", "/tasks/?scope=all", 10),
        ("docs_head", "/tasks/?scope=review", 11),
        ("docs_member", "/tasks/", 9),
    ],
)
def test_the_task_list_costs_the_same_for_5_tasks_as_for_50(web, world, user, path, most):
    """Besides the session, the user and their roles: the congress, its bodies, the page of
    tasks with its count, their visible dependencies, the live sequence number, the bell;
    the leaders' bulk form its people, the review tab the tasks to review."""
    client = web(getattr(world, user))
    _tasks(world, 5)
    few, page = _queries(client, path)
    rows = page.count('class="task-row')
    _tasks(world, 45)
    many, page = _queries(client, path)
    assert page.count('class="task-row') > rows > 0
    assert many == few <= most


# --- the inbox ------------------------------------------------------------------------------


def _notify(user, count: int, congress) -> None:
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            congress=congress,
            category=Category.REVIEW,
            title=f"Chờ duyệt: việc {n}",
            link=f"/tasks/{n}/",
        )
        for n in range(count)
    )


@pytest.mark.parametrize("path", ["/notifications/", "/notifications/?unread=1&page=2"])
def test_the_inbox_costs_the_same_for_few_notifications_as_for_many(web, world, path):
    client = web(world.docs_member)
    _notify(world.docs_member, 3, world.congress)
    few, _page = _queries(client, path)
    _notify(world.docs_member, 200, world.congress)
    many, page = _queries(client, path)
    assert len(NOTIFICATION.findall(page)) == PAGE_SIZE
    assert many == few <= 7


def test_the_inbox_shows_a_page_at_a_time(web, world):
    _notify(world.docs_member, PAGE_SIZE + 4, world.congress)
    client = web(world.docs_member)
    first = client.get("/notifications/?unread=1").content.decode()
    assert len(NOTIFICATION.findall(first)) == PAGE_SIZE
    assert 'href="?unread=1&amp;page=2"' in first
    second = client.get("/notifications/?unread=1&page=2").content.decode()
    assert len(NOTIFICATION.findall(second)) == 4


# --- the header -----------------------------------------------------------------------------


def test_the_header_offers_to_switch_congress_only_to_those_in_several(web, world):
    """Read from the roles, not from a query of its own; staff see every congress."""
    switch = 'href="/congresses/"'
    assert switch not in web(world.docs_member).get("/tasks/").content.decode()
    MembershipFactory(body=world.other_docs, user=world.docs_member)
    assert switch in web(world.docs_member).get("/tasks/").content.decode()
    assert switch in web(world.staff).get("/notifications/").content.decode()
