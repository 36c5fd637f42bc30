"""The calendar feed at /calendar/<token>.ics: the user's deadlines, through the visibility
rule, with stable UIDs; a rotated token stops working at once."""

from datetime import date, timedelta

import pytest
from icalendar import Calendar

from notifications.services import preference_for
from tests.notifications.conftest import hanoi
from workflows.calendar_feed import FEED_DAYS_AHEAD, FEED_DAYS_PAST, REVIEWS_GROUPED_FROM
from workflows.models import Document, Task


@pytest.fixture(autouse=True)
def august_2025(clock):
    """The feed holds the deadlines of a window around now: these tests read it in the
    summer of 2025, before the world's congress opens."""
    return clock(2025, 8, 13, 9, 0)


def _feed(client, user) -> Calendar:
    response = client.get(_url(user))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _url(user) -> str:
    return f"/calendar/{preference_for(user).calendar_token}.ics"


def _events(calendar) -> dict[str, dict]:
    return {
        str(event["uid"]): {
            "summary": str(event["summary"]),
            "start": event.decoded("dtstart"),
            "end": event.decoded("dtend") if "dtend" in event else None,
            "url": str(event["url"]),
        }
        for event in calendar.walk("VEVENT")
    }


def test_feed_lists_the_users_deadlines(world, client, make_task, make_document, english):
    mine = make_task(title="Dự thảo Nghị quyết", due_at=hanoi(2025, 8, 20, 17, 0))
    make_task(title="Done", status=Task.Status.DONE, due_at=hanoi(2025, 8, 21, 17, 0))
    make_task(title="Not mine", assignee=world.docs_member2, due_at=hanoi(2025, 8, 22, 17, 0))
    document = make_document(
        status=Document.Status.CONSULTATION,
        due_at=hanoi(2025, 9, 1, 17, 0),
        consultation_closes_at=hanoi(2025, 8, 25, 17, 0),
    )
    calendar = _feed(client, world.docs_member)
    events = _events(calendar)
    congress = world.congress.pk
    assert set(events) == {
        f"task-{mine.pk}-due@congress-prep",
        f"congress-{congress}-opening@congress-prep",
        f"congress-{congress}-superior-review@congress-prep",
        f"document-{document.pk}-due@congress-prep",
        f"document-{document.pk}-consultation@congress-prep",
    }
    task = events[f"task-{mine.pk}-due@congress-prep"]
    assert task["summary"] == "Due: Dự thảo Nghị quyết"
    assert task["start"] == hanoi(2025, 8, 20, 17, 0)
    assert task["url"] == f"http://127.0.0.1:8000/tasks/{mine.pk}/"
    opening = events[f"congress-{congress}-opening@congress-prep"]
    assert opening["summary"].startswith("Congress opens: Congress XXV")
    assert (opening["start"], opening["end"]) == (date(2025, 9, 18), date(2025, 9, 19))
    review = events[f"congress-{congress}-superior-review@congress-prep"]
    assert review["start"] == date(2025, 7, 15)
    assert events[f"document-{document.pk}-consultation@congress-prep"]["summary"] == (
        "Comments close: Báo cáo chính trị"
    )
    assert str(calendar["version"]) == "2.0"


def test_uids_are_stable_across_fetches_and_date_changes(world, client, make_task):
    task = make_task(due_at=hanoi(2025, 8, 20, 17, 0))
    before = _events(_feed(client, world.docs_member))
    Task.objects.filter(pk=task.pk).update(due_at=hanoi(2025, 8, 27, 17, 0))
    after = _events(_feed(client, world.docs_member))
    assert set(before) == set(after)
    assert after[f"task-{task.pk}-due@congress-prep"]["start"] == hanoi(2025, 8, 27, 17, 0)


def test_reviewer_sees_tasks_waiting_for_review(world, client, make_task, english):
    task = make_task(
        title="Chương trình hành động",
        status=Task.Status.IN_REVIEW,
        due_at=hanoi(2025, 8, 22, 17, 0),
    )
    events = _events(_feed(client, world.docs_head))
    assert events[f"task-{task.pk}-review@congress-prep"]["summary"] == (
        "To review: Chương trình hành động"
    )
    # the assignee is not its reviewer
    assert f"task-{task.pk}-review@congress-prep" not in _events(_feed(client, world.docs_member))


def test_confidential_work_is_listed_only_for_who_may_see_it_and_never_named(
    world, client, make_task, make_document, english
):
    english(world.steering_head)
    due = hanoi(2025, 8, 25, 17, 0)
    own = make_task(
        body=world.personnel, assignee=world.personnel_member, title="Danh sách", due_at=due
    )
    in_review = make_task(
        body=world.personnel,
        assignee=world.personnel_member,
        title="Hồ sơ nhân sự",
        status=Task.Status.IN_REVIEW,
        due_at=due,
    )
    # assigned to a documents member who may not see personnel work
    hidden = make_task(body=world.personnel, title="Bí mật", due_at=due)
    plan = make_document(
        body=world.personnel,
        kind=Document.Kind.PERSONNEL_PLAN,
        title="Đề án nhân sự",
        rapporteur=world.personnel_member,
        due_at=hanoi(2025, 8, 30, 17, 0),
    )
    member = _events(_feed(client, world.personnel_member))
    assert member[f"task-{own.pk}-due@congress-prep"]["summary"] == (
        "Due: a confidential item of Tiểu ban Nhân sự"
    )
    assert f"document-{plan.pk}-due@congress-prep" in member
    steering = _events(_feed(client, world.steering_head))
    assert f"task-{in_review.pk}-review@congress-prep" in steering
    docs_member = _events(_feed(client, world.docs_member))
    assert f"task-{hidden.pk}-due@congress-prep" not in docs_member
    assert not any(uid.startswith(f"document-{plan.pk}") for uid in docs_member)
    for user in (world.personnel_member, world.steering_head, world.docs_member):
        body = client.get(_url(user)).content.decode()
        for title in ("Danh sách", "Hồ sơ nhân sự", "Bí mật", "Đề án nhân sự"):
            assert title not in body


def test_outsider_sees_only_their_own_congress(world, client, make_task):
    make_task(due_at=hanoi(2025, 8, 20, 17, 0))
    events = _events(_feed(client, world.outsider))
    assert set(events) == {
        f"congress-{world.other_congress.pk}-opening@congress-prep",
        f"congress-{world.other_congress.pk}-superior-review@congress-prep",
    }


def test_unknown_token_is_404(world, client):
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_rotated_token_stops_the_old_feed(world, client, api):
    old_url = _url(world.docs_member)
    assert client.get(old_url).status_code == 200
    response = api(world.docs_member).post("/api/v1/me/calendar-token/")
    assert response.status_code == 200
    new_url = response.json()["calendar_url"].removeprefix("http://testserver")
    assert new_url != old_url
    assert client.get(old_url).status_code == 404
    assert client.get(new_url).status_code == 200
    me = api(world.docs_member).get("/api/v1/me/").json()
    assert me["calendar_url"].endswith(new_url)


def test_inactive_users_feed_is_404(world, client):
    url = _url(world.docs_member)
    world.docs_member.is_active = False
    world.docs_member.save(update_fields=["is_active"])
    assert client.get(url).status_code == 404


def test_feed_refuses_writes(world, client):
    assert client.post(_url(world.docs_member)).status_code == 405


def test_deadlines_are_written_in_utc(world, client, make_task):
    make_task(due_at=hanoi(2025, 8, 20, 17, 0))
    body = client.get(_url(world.docs_member)).content.decode()
    assert "DTSTART:20250820T100000Z" in body


def test_feed_holds_the_deadlines_of_a_window_around_now(
    world, client, make_task, make_document, august_2025
):
    oldest = august_2025 - timedelta(days=FEED_DAYS_PAST)
    last = august_2025 + timedelta(days=FEED_DAYS_AHEAD)
    head = world.docs_head
    inside = [
        make_task(due_at=oldest, assignee=head),
        make_task(due_at=last, assignee=head),
        make_task(due_at=august_2025, status=Task.Status.IN_REVIEW, assignee=world.docs_member2),
    ]
    outside = [
        make_task(due_at=oldest - timedelta(minutes=1), assignee=head),
        make_task(due_at=last + timedelta(minutes=1), assignee=head),
        make_task(
            due_at=last + timedelta(days=1),
            status=Task.Status.IN_REVIEW,
            assignee=world.docs_member2,
        ),
    ]
    later = make_document(due_at=last + timedelta(days=1), rapporteur=head)
    closing = make_document(
        title="Lấy ý kiến",
        status=Document.Status.CONSULTATION,
        due_at=last + timedelta(days=5),
        consultation_closes_at=august_2025 + timedelta(days=3),
        rapporteur=head,
    )
    events = _events(_feed(client, head))
    tasks = {uid.split("-")[1] for uid in events if uid.startswith("task-")}
    assert tasks == {str(task.pk) for task in inside}
    assert not any(str(task.pk) in tasks for task in outside)
    assert not any(uid.startswith(f"document-{later.pk}-") for uid in events)
    assert f"document-{closing.pk}-consultation@congress-prep" in events
    assert f"document-{closing.pk}-due@congress-prep" not in events
    # the congress's dates are there whatever the window
    assert f"congress-{world.congress.pk}-opening@congress-prep" in events


def test_a_day_crowded_with_reviews_is_one_entry_saying_how_many(world, client, make_task, english):
    english(world.steering_head)
    crowded = [
        make_task(
            title=f"Báo cáo tổ {n}",
            status=Task.Status.IN_REVIEW,
            due_at=hanoi(2025, 8, 21, 8 + n, 0),
        )
        for n in range(REVIEWS_GROUPED_FROM + 1)
    ]
    # late in the evening, Hà Nội time: still the 21st there, the 22nd nowhere
    crowded.append(make_task(status=Task.Status.IN_REVIEW, due_at=hanoi(2025, 8, 21, 23, 30)))
    alone = make_task(
        title="Chương trình hành động",
        status=Task.Status.IN_REVIEW,
        due_at=hanoi(2025, 8, 22, 9, 0),
    )

    events = _events(_feed(client, world.steering_head))

    day = events["review-20250821@congress-prep"]
    assert day["summary"] == f"{len(crowded)} tasks to review"
    assert day["start"] == date(2025, 8, 21)
    assert day["url"].endswith("/tasks/?scope=review")
    assert not any(f"task-{t.pk}-review@congress-prep" in events for t in crowded)
    assert events[f"task-{alone.pk}-review@congress-prep"]["summary"] == (
        "To review: Chương trình hành động"
    )
