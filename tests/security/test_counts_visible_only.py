"""ARCHITECTURE §5 for numbers: no count on any page, fragment, feed or API answer includes
work the reader may not see. Each page of the congress is rendered for a documents member, the
documents head and the organization's office twice, with the confidential personnel
subcommittee's work in the database and after deleting it: every number the reader is shown
must be the same (a count of hidden tasks, such as the bodies page's "3 open tasks" beside a
personnel member, differs)."""

import html
import io
import itertools
import json
import re
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from congress.models import OrganizationOffice, PlanItem, PlanTemplate
from notifications.models import Event, Notification
from notifications.services import calendar_token_rotate
from tests.factories import HANOI, MembershipFactory, TaskFactory, UserFactory
from workflows.models import Comment, Document, Task

NOW = datetime(2025, 8, 4, 10, 0, tzinfo=HANOI)  # a Monday, six weeks before the opening
WORD = "hồ sơ"  # in the titles of both subcommittees' work: what the search looks for
Status = Task.Status
SEQUENCE = itertools.count(1)

PAGES = {
    "home": "/",
    "dashboard": "/congresses/{c}/",
    "dashboard_fragment": "/congresses/{c}/?fragment=dashboard",
    "bodies": "/congresses/{c}/bodies/",
    "setup": "/congresses/{c}/setup/",
    "plan": "/congresses/{c}/plan/",
    "timeline": "/congresses/{c}/timeline/",
    "timeline_by_slack": "/congresses/{c}/timeline/?sort=slack",
    "tasks_mine": "/tasks/",
    "tasks_all": "/tasks/?scope=all&status=any",
    "tasks_review": "/tasks/?scope=review",
    "calendar": "/calendar/",
    "calendar_next_month": "/calendar/?month=2025-09",
    "calendar_day": "/calendar/?day=2025-08-07",
    "documents": "/documents/",
    "search": "/search/?q=" + WORD,
    "search_tasks": "/search/?kind=task&q=" + WORD,
    "search_comments": "/search/?kind=comment&q=" + WORD,
    "notifications": "/notifications/",
    "notifications_bell": "/notifications/?fragment=bell",
    "calendar_feed": "{feed}",
    "api_dashboard": "/api/v1/congresses/{c}/dashboard/",
    "api_schedule": "/api/v1/congresses/{c}/schedule/",
    "api_tasks": "/api/v1/tasks/?congress={c}",
    "api_documents": "/api/v1/documents/?congress={c}",
    "api_bodies": "/api/v1/bodies/?congress={c}",
    "api_search": "/api/v1/search/?q=" + WORD,
    "api_notifications": "/api/v1/notifications/",
    "api_events": "/api/v1/events/?congress={c}",
    "api_progress_report": "/api/v1/congresses/{c}/progress-report.xlsx",
}
READERS = ("docs_member", "docs_head", "office")


@pytest.fixture
def web():
    """`web(user)`: a browser's client with the user's session (a fresh one per page)."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def counted(world, time_machine):
    """The world with work in both subcommittees: open, overdue, due this week, in review and
    done tasks from a plan, a documents task waiting for a personnel one, documents, comments
    and unread notifications; the personnel subcommittee's are what a reader outside it never
    counts."""
    time_machine.move_to(NOW, tick=False)
    world.feeds = {}
    office = UserFactory(username="van.phong")
    OrganizationOffice.objects.create(user=office, organization=world.org)
    personnel_head = UserFactory(username="personnel_head")
    MembershipFactory(body=world.personnel, user=personnel_head, role="head")
    template = PlanTemplate.objects.create(name="Kế hoạch kiểm thử")
    item = {
        kind: PlanItem.objects.create(
            template=template,
            key=kind,
            position=n,
            title=f"Mục {n}",
            body_kind=kind,
            anchor="opening",
            offset_days=10 + n,
            duration_days=3,
        )
        for n, kind in enumerate(("documents", "personnel"))
    }
    docs = _work(world, world.docs, [world.docs_member, world.docs_member2], item["documents"])
    personnel = [world.personnel_member, personnel_head]
    hidden = _work(world, world.personnel, personnel, item["personnel"])
    docs[6].depends_on.add(hidden[1], docs[0])
    for reader in (world.docs_member, world.docs_head, office, world.personnel_member):
        world.feeds[reader.pk] = calendar_token_rotate(user=reader).calendar_token
        Notification.objects.create(
            recipient=reader, congress=world.congress, category="status", title="Hồ sơ"
        )
        Notification.objects.create(
            recipient=reader,
            congress=world.congress,
            body=world.personnel,
            confidential=True,
            category="status",
            title="Hồ sơ nhân sự",
        )
    for task in (docs[0], hidden[0]):
        Event.objects.create(
            congress=world.congress,
            type="task.updated",
            object_kind="task",
            object_id=task.pk,
            body=task.body,
            confidential=task.body.confidential,
        )
    world.office = office
    return world


def _work(world, body, people, plan_item) -> list[Task]:
    """Seven tasks of the body (three overdue or due this week, one in review, one done, one
    later with a subtask), two documents (one out for comment), a comment on a task."""
    day = timedelta(days=1)
    first, second = people
    tasks = [
        _task(body, first, NOW + 2 * day, plan_item=plan_item, starts_on=NOW.date()),
        _task(body, first, NOW + 10 * day, status=Status.IN_PROGRESS),
        _task(body, second, NOW - 1 * day, status=Status.IN_REVIEW),
        _task(body, second, NOW - 3 * day),
        _task(body, None, NOW + 3 * day, plan_item=plan_item),
        _task(body, first, NOW - 5 * day, status=Status.DONE, completed_at=NOW - 6 * day),
        _task(body, first, NOW + 30 * day),
    ]
    _task(body, second, NOW + 4 * day, parent=tasks[-1])
    Comment.objects.create(task=tasks[1], author=first, text=f"Đã rà soát {WORD}")
    for status, due in ((Document.Status.DRAFTING, 5), (Document.Status.CONSULTATION, 6)):
        Document.objects.create(
            congress=world.congress,
            body=body,
            kind="other",
            title=f"Văn bản {WORD} {body.name} {status}",
            rapporteur=first,
            created_by=first,
            status=status,
            due_at=NOW + due * day,
            consultation_closes_at=NOW + (due + 1) * day,
        )
    return tasks


def _task(body, assignee, due_at, **fields) -> Task:
    return TaskFactory(
        body=body,
        assignee=assignee,
        title=f"Rà soát {WORD} {body.name} {next(SEQUENCE)}",
        due_at=due_at,
        duration_days=2,
        **fields,
    )


def hidden_work_delete(world) -> None:
    """What the personnel subcommittee did, gone: its tasks (their comments and links with
    them), documents, events and notifications. Its members stay."""
    Task.objects.filter(body=world.personnel).delete()
    Document.objects.filter(body=world.personnel).delete()
    Event.objects.filter(body=world.personnel).delete()
    Notification.objects.filter(body=world.personnel).delete()


def numbers(response) -> list[str]:
    """Every number the reader is shown: the text of a page (tags, scripts and styles left out,
    so no token, nonce or id of a link), the values of a JSON answer or a spreadsheet."""
    kind = response.get("Content-Type", "")
    if "spreadsheet" in kind:
        book = load_workbook(io.BytesIO(response.content))
        cells = [c.value for sheet in book for row in sheet.iter_rows() for c in row]
        text = " ".join(str(v) for v in cells if v is not None)
    elif "json" in kind:
        text = json.dumps(response.json(), sort_keys=True, ensure_ascii=False)
    else:
        text = response.content.decode()
        text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return re.findall(r"\d+", text)


def render(world, api, web, reader, page: str) -> list[str]:
    user = getattr(world, reader)
    feed = f"/calendar/{world.feeds[user.pk]}.ics"
    path = PAGES[page].format(c=world.congress.pk, feed=feed)
    client = api(user) if path.startswith("/api/") else web(user)
    response = client.get(path, follow=True)
    assert response.status_code == 200, (path, response.content[:300])
    return numbers(response)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("page", list(PAGES))
def test_a_page_counts_only_the_work_its_reader_may_see(counted, api, web, reader, page):
    shown = render(counted, api, web, reader, page)

    hidden_work_delete(counted)

    assert render(counted, api, web, reader, page) == shown


def test_the_bodies_page_tells_a_documents_member_no_personnel_open_task_count(counted, web):
    page = web(counted.docs_member).get(f"/congresses/{counted.congress.pk}/bodies/")
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page.content.decode())))

    # docs_member's and docs_member2's 3 open tasks; none beside the personnel members
    assert re.findall(r"(\d+) open tasks?", text) == ["3", "3"]


def test_a_personnel_member_still_sees_the_open_tasks_of_their_body(counted, web):
    page = web(counted.personnel_member).get(f"/congresses/{counted.congress.pk}/bodies/")
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page.content.decode())))

    assert re.findall(r"(\d+) open tasks?", text) == ["3", "3", "3", "3"]


@pytest.mark.parametrize("page", [p for p in PAGES if p != "api_bodies"])
def test_the_personnel_work_is_counted_for_its_own_member(counted, api, web, page):
    """The world is one where each page would tell the hidden work by its numbers: they
    change for a personnel member when it is deleted (the bodies API counts members only)."""
    shown = render(counted, api, web, "personnel_member", page)

    hidden_work_delete(counted)

    assert render(counted, api, web, "personnel_member", page) != shown


def test_the_setup_checklist_is_not_done_by_a_hidden_political_report(counted, web):
    Document.objects.filter(body=counted.personnel).update(kind=Document.Kind.POLITICAL_REPORT)
    setup = f"/congresses/{counted.congress.pk}/setup/"

    outside = web(counted.docs_member).get(setup).content.decode()
    inside = web(counted.personnel_member).get(setup).content.decode()

    assert "No political report yet." in outside
    assert "The political report exists." in inside


def test_the_bodies_page_counts_in_as_many_queries_whatever_the_work(counted, web):
    page = f"/congresses/{counted.congress.pk}/bodies/"
    client = web(counted.docs_member)
    client.get(page)  # the first page of a session also remembers its congress
    with CaptureQueriesContext(connection) as before:
        assert client.get(page).status_code == 200
    for body in (counted.docs, counted.personnel, counted.orgbody):
        for assignee in (counted.docs_head, counted.personnel_member, None):
            _task(body, assignee, NOW + timedelta(days=2))

    with CaptureQueriesContext(connection) as after:
        assert client.get(page).status_code == 200

    assert len(after) == len(before)
