"""The inbox and the events API apply the visibility rule of today (ARCHITECTURE §5): what a
reader may no longer see (they left the body, the body was made confidential) is neither
listed, nor counted, nor readable by id."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from congress.models import Membership
from congress.services import body_apply, membership_delete
from notifications.models import Category, Notification
from notifications.reminders import reminder_send
from tests.factories import MembershipFactory
from workflows.services.tasks import task_transition

SECRET = "Danh sách nhân sự dự kiến tái cử (mật)"
PLAIN = "Chuẩn bị hội trường"


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


@pytest.fixture
def left_personnel(world, make_task, run_on_commit):
    """personnel_member, also in the organization subcommittee, was told of a personnel task
    and of an organization task, had a reminder of the personnel task, then left personnel."""
    member = world.personnel_member
    MembershipFactory(body=world.orgbody, user=member, role=Membership.Role.MEMBER)
    secret = make_task(body=world.personnel, assignee=member, status="in_review", title=SECRET)
    plain = make_task(body=world.orgbody, assignee=member, status="in_review", title=PLAIN)
    for task in (secret, plain):
        run_on_commit(task_transition, actor=world.steering_head, task_id=task.pk, name="approve")
    run_on_commit(
        reminder_send,
        congress_id=world.congress.pk,
        object_kind="task",
        object_id=secret.pk,
        kind="overdue",
        deadline=datetime(2025, 8, 1, 17, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
        recipients={member.pk: Category.REMINDER},
        subject=SECRET,
        body_id=world.personnel.pk,
        confidential=True,
        link=f"/tasks/{secret.pk}/",
    )
    assert sorted(SECRET in n.title for n in Notification.objects.filter(recipient=member)) == [
        False,
        True,
        True,
    ]
    run_on_commit(membership_delete, actor=world.sc_head, body=world.personnel, user_id=member.pk)
    return member, secret, plain


def test_a_member_who_left_the_personnel_body_no_longer_reads_its_notifications(
    api, world, left_personnel
):
    member, _secret, plain = left_personnel
    client = api(member)
    answer = client.get("/api/v1/notifications/").json()
    assert (answer["count"], answer["unread_count"]) == (1, 1)
    assert [n["link"] for n in answer["results"]] == [f"/tasks/{plain.pk}/"]
    assert SECRET not in str(answer)
    hidden = Notification.objects.filter(recipient=member, title__contains=SECRET)
    assert hidden.count() == 2
    for notification in hidden:
        assert client.post(f"/api/v1/notifications/{notification.pk}/read/").status_code == 404
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked_read": 1}
    assert list(hidden.values_list("read_at", flat=True)) == [None, None]


def test_the_inbox_page_and_the_bell_follow_the_same_rule(world, left_personnel):
    member, _secret, _plain = left_personnel
    client = Client()
    client.force_login(member)
    page = client.get("/notifications/").content.decode()
    assert SECRET not in page and PLAIN in page
    assert client.get("/notifications/?fragment=bell").content == b"1"
    hidden = Notification.objects.filter(recipient=member, title__contains=SECRET).first()
    assert client.get(f"/notifications/{hidden.pk}/open/").status_code == 404


def test_a_member_who_left_the_personnel_body_no_longer_reads_its_events(
    api, world, left_personnel
):
    member, _secret, plain = left_personnel
    answer = api(member).get(f"/api/v1/events/?congress={world.congress.pk}").json()
    assert [(e["type"], e["data"]["id"]) for e in answer["results"]] == [
        ("task.transitioned", plain.pk),
        ("body.member_removed", world.personnel.pk),
    ]


@pytest.fixture
def made_confidential(world, make_task, run_on_commit):
    """An organization task that docs_member was told about, before the organization
    subcommittee was made confidential."""
    task = make_task(
        body=world.orgbody, assignee=world.docs_member, status="in_review", title=PLAIN
    )
    run_on_commit(task_transition, actor=world.steering_head, task_id=task.pk, name="approve")
    assert Notification.objects.filter(recipient=world.docs_member).count() == 1
    run_on_commit(body_apply, actor=world.staff, body=world.orgbody, confidential=True)
    return task


def test_a_body_made_confidential_hides_its_past_notifications(api, world, made_confidential):
    answer = api(world.docs_member).get("/api/v1/notifications/").json()
    assert (answer["count"], answer["unread_count"], answer["results"]) == (0, 0, [])


def test_a_body_made_confidential_hides_its_past_events_from_who_may_not_see_it(
    api, world, made_confidential
):
    url = f"/api/v1/events/?congress={world.congress.pk}"
    # The change itself is news for the whole congress (bodies are not secret).
    hidden = api(world.docs_member).get(url).json()["results"]
    assert [(e["type"], e["data"]["id"]) for e in hidden] == [("body.updated", world.orgbody.pk)]
    seen = api(world.sc_head).get(url).json()["results"]
    assert [(e["type"], e["data"]["id"]) for e in seen] == [
        ("task.transitioned", made_confidential.pk),
        ("body.updated", world.orgbody.pk),
    ]


def test_an_outsider_reads_no_event_of_a_congress_it_is_not_in(api, world, made_confidential):
    answer = api(world.outsider).get(f"/api/v1/events/?congress={world.congress.pk}").json()
    assert answer["count"] == 0
    assert api(world.outsider).get("/api/v1/notifications/").json()["count"] == 0
