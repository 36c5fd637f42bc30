"""notifications.delivery: the one way a notification is saved, emailed and pushed live."""

import pytest
from django.db import transaction

from notifications import live
from notifications.delivery import About, notification_build, notifications_deliver
from notifications.models import EmailDelivery, Notification


@pytest.fixture
def pushed(monkeypatch):
    sent = []
    monkeypatch.setattr(live, "push_notifications", lambda ns: sent.extend(n.pk for n in ns))
    return sent


def _build(world, user, title="Nhắc việc"):
    about = About(
        congress_id=world.congress.pk, body_id=world.docs.pk, confidential=False, link="/tasks/7/"
    )
    return notification_build(
        recipient=user, category="reminder", title=title, text="Hạn: 20/08/2025", about=about
    )


def test_delivery_saves_queues_the_email_and_pushes_after_the_commit(
    world, pushed, django_capture_on_commit_callbacks
):
    world.docs_member.email = "docs_member@lechan.vn"
    world.docs_member.save(update_fields=["email"])
    with django_capture_on_commit_callbacks() as callbacks:
        delivered = notifications_deliver([_build(world, world.docs_member, "x" * 400)])
    saved = Notification.objects.get()
    assert [n.pk for n in delivered] == [saved.pk]
    assert (saved.recipient, saved.congress_id, saved.body_id, saved.link, len(saved.title)) == (
        world.docs_member,
        world.congress.pk,
        world.docs.pk,
        "/tasks/7/",
        300,
    )
    assert EmailDelivery.objects.get().notification == saved
    assert pushed == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert pushed == [saved.pk]


def test_a_rolled_back_delivery_leaves_nothing(world, pushed, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notifications_deliver([_build(world, world.docs_head)])
        raise RuntimeError
    assert (Notification.objects.count(), EmailDelivery.objects.count(), pushed) == (0, 0, [])


def test_delivering_nothing_writes_nothing(world, pushed, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert notifications_deliver([]) == []
