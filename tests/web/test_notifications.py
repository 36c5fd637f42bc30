"""The inbox, the bell's count and the notification preferences."""

from datetime import time

import pytest

from notifications.models import Category, Notification
from notifications.services import preference_for


@pytest.fixture
def inbox(world):
    mine = [
        Notification.objects.create(
            recipient=world.docs_member,
            category=Category.REVIEW,
            title=f"Chờ duyệt: việc {n}",
            link=f"/tasks/{n}/",
        )
        for n in (1, 2)
    ]
    theirs = Notification.objects.create(
        recipient=world.docs_head, category=Category.STATUS, title="Của người khác"
    )
    return mine, theirs


def test_the_inbox_lists_only_the_users_notifications(web, world, inbox):
    _mine, _theirs = inbox
    page = web(world.docs_member).get("/notifications/").content.decode()
    assert "Chờ duyệt: việc 1" in page and "Chờ duyệt: việc 2" in page
    assert "Của người khác" not in page
    assert 'data-unread-count aria-hidden="true">2<' in page


def test_mark_one_read_and_all_read(web, world, inbox):
    mine, theirs = inbox
    client = web(world.docs_member)
    response = client.post(f"/notifications/{mine[0].pk}/read/", {"next": "/notifications/"})
    assert response["Location"] == "/notifications/"
    mine[0].refresh_from_db()
    assert mine[0].read_at is not None
    assert client.get("/notifications/?fragment=bell").content == b"1"
    client.post("/notifications/read-all/")
    assert client.get("/notifications/?fragment=bell").content == b"0"
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_someone_elses_notification_cannot_be_touched(web, world, inbox):
    _mine, theirs = inbox
    client = web(world.docs_member)
    client.post(f"/notifications/{theirs.pk}/read/")
    assert client.get(f"/notifications/{theirs.pk}/open/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_a_notification_marks_it_read_and_goes_to_its_object(web, world, inbox):
    mine, _ = inbox
    response = web(world.docs_member).get(f"/notifications/{mine[1].pk}/open/")
    assert response.status_code == 302
    assert response["Location"] == "/tasks/2/"
    mine[1].refresh_from_db()
    assert mine[1].read_at is not None


def test_a_notification_link_never_leaves_the_site(web, world):
    notification = Notification.objects.create(
        recipient=world.docs_member, category=Category.STATUS, title="X", link="//evil.example/"
    )
    response = web(world.docs_member).get(f"/notifications/{notification.pk}/open/")
    assert response["Location"] == "/"


def test_unread_filter(web, world, inbox):
    mine, _ = inbox
    client = web(world.docs_member)
    client.post(f"/notifications/{mine[0].pk}/read/")
    page = client.get("/notifications/?unread=1").content.decode()
    assert "Chờ duyệt: việc 2" in page and "Chờ duyệt: việc 1" not in page


def test_preferences_are_saved(web, world):
    client = web(world.docs_member)
    form = client.get("/notifications/preferences/").content.decode()
    assert 'name="email" value="review"' in form
    response = client.post(
        "/notifications/preferences/",
        {
            "email": ["assignment", "mention"],
            "digest_hour": "7",
            "quiet_start": "22:00",
            "quiet_end": "06:30",
        },
    )
    assert response.status_code == 302
    preference = preference_for(world.docs_member)
    assert set(preference.email_off) == set(Category.values) - {"assignment", "mention"}
    assert preference.digest_hour == 7
    assert (preference.quiet_start, preference.quiet_end) == (time(22, 0), time(6, 30))
    again = client.get("/notifications/preferences/").content.decode()
    assert 'value="22:00"' in again


def test_quiet_hours_need_both_ends(web, world):
    client = web(world.docs_member)
    response = client.post("/notifications/preferences/", {"quiet_start": "22:00"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert preference_for(world.docs_member).quiet_start is None
