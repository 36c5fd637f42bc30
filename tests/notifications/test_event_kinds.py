"""What each kind of event tells, to whom, under which category, and where it leads: the
recipients, titles (in the recipient's language) and links of the registry of event kinds
(notifications.registry, declared by congress/events.py and workflows/events.py)."""

import pytest

from notifications.models import Event, Notification
from notifications.services import event_dispatch

TITLE = "Tờ trình Đại hội"


def _told(world, type_, object_kind="task", object_id=7, actor=None, audience=(), **data):
    event = Event.objects.create(
        congress=world.congress,
        type=type_,
        object_kind=object_kind,
        object_id=object_id,
        body=world.docs,
        actor=actor or world.docs_head,
        audience=[user.pk for user in audience],
        payload={"kind": object_kind, "id": object_id, "title": TITLE, **data},
    )
    event_dispatch(event.pk)
    return sorted(
        Notification.objects.filter(event=event).values_list(
            "recipient__username", "category", "title", "link"
        )
    )


def test_a_new_task_tells_its_assignee(world):
    told = _told(world, "task.created", assignee=world.docs_member.pk)
    assert told == [
        ("docs_member", "assignment", f"New task assigned to you: {TITLE}", "/tasks/7/")
    ]


def test_a_changed_task_tells_only_a_new_assignee(world):
    reassigned = _told(world, "task.updated", assignee=world.docs_member.pk, changed=["assignee"])
    renamed = _told(world, "task.updated", assignee=world.docs_member.pk, changed=["title"])
    assert reassigned == [
        ("docs_member", "assignment", f"New task assigned to you: {TITLE}", "/tasks/7/")
    ]
    assert renamed == []


def test_a_submitted_task_asks_the_reviewers_the_event_names(world):
    told = _told(
        world,
        "task.transitioned",
        actor=world.docs_member,
        transition="submit",
        assignee=world.docs_member.pk,
        reviewers=[world.docs_deputy.pk, world.steering_head.pk],
    )
    assert told == [
        ("docs_deputy", "review", f"Waiting for your review: {TITLE}", "/tasks/7/"),
        ("steering_head", "review", f"Waiting for your review: {TITLE}", "/tasks/7/"),
    ]


@pytest.mark.parametrize(
    ("transition", "title"),
    [
        ("approve", "Approved"),
        ("return", "Returned for more work"),
        ("cancel", "Cancelled"),
        ("reopen", "Reopened"),
        ("unblock", "Unblocked"),
    ],
)
def test_a_task_decision_tells_its_assignee(world, transition, title):
    told = _told(world, "task.transitioned", transition=transition, assignee=world.docs_member.pk)
    assert told == [("docs_member", "status", f"{title}: {TITLE}", "/tasks/7/")]


def test_a_blocked_task_tells_its_bodys_heads(world):
    told = _told(
        world,
        "task.transitioned",
        actor=world.docs_member,
        transition="block",
        assignee=world.docs_member.pk,
    )
    assert told == [("docs_head", "status", f"Blocked: {TITLE}", "/tasks/7/")]


@pytest.mark.parametrize("transition", ["start", "complete"])
def test_starting_or_completing_a_task_tells_nobody(world, transition):
    assert (
        _told(world, "task.transitioned", transition=transition, assignee=world.docs_member.pk)
        == []
    )


@pytest.mark.parametrize(
    ("type_", "data", "title"),
    [
        ("task.created", {}, "Nhiệm vụ mới giao cho đồng chí"),
        ("task.transitioned", {"transition": "approve"}, "Đã duyệt"),
        ("task.transitioned", {"transition": "return"}, "Trả lại để hoàn thiện"),
        ("task.transitioned", {"transition": "cancel"}, "Đã hủy"),
        ("task.transitioned", {"transition": "reopen"}, "Mở lại"),
        ("task.transitioned", {"transition": "unblock"}, "Đã tháo gỡ vướng mắc"),
        ("task.transitioned", {"transition": "submit", "reviewers": "me"}, "Chờ đồng chí duyệt"),
        ("comment.added", {"task": 7, "mentions": "me"}, "Đồng chí được nhắc đến trong"),
        ("comment.added", {"task": 7}, "Ý kiến mới về"),
        ("body.proposal_made", {}, "Cần xác nhận"),
        ("body.proposal_decided", {"status": "confirmed"}, "Đã xác nhận"),
        ("body.proposal_decided", {"status": "rejected"}, "Không xác nhận"),
        ("body.proposal_decided", {}, "Cập nhật"),
    ],
)
def test_a_recipient_who_reads_vietnamese_reads_every_title_in_vietnamese(
    world, type_, data, title
):
    world.docs_member.language = "vi"
    world.docs_member.save()
    me = world.docs_member.pk
    data = {key: [me] if value == "me" else value for key, value in data.items()}
    told = _told(world, type_, audience=[world.docs_member], assignee=me, **data)
    assert [t[2] for t in told] == [f"{title}: {TITLE}"]


@pytest.mark.parametrize(
    ("transition", "title"), [("approve", "Approved"), ("open_consultation", "Updated")]
)
def test_a_document_transition_asks_its_reviewers_and_tells_its_rapporteur(
    world, transition, title
):
    told = _told(
        world,
        "document.transitioned",
        object_kind="document",
        object_id=3,
        transition=transition,
        reviewers=[world.docs_deputy.pk],
        rapporteur=world.docs_member.pk,
    )
    assert told == [
        ("docs_deputy", "review", f"Waiting for your review: {TITLE}", "/documents/3/"),
        ("docs_member", "status", f"{title}: {TITLE}", "/documents/3/"),
    ]


def test_a_task_comment_tells_those_it_mentions_first_and_leads_to_the_task(world):
    told = _told(
        world,
        "comment.added",
        object_kind="comment",
        object_id=11,
        audience=[world.docs_member, world.docs_deputy],
        task=7,
        mentions=[world.docs_deputy.pk],
    )
    assert told == [
        ("docs_deputy", "mention", f"You were mentioned: {TITLE}", "/tasks/7/"),
        ("docs_member", "comment", f"New comment on: {TITLE}", "/tasks/7/"),
    ]


def test_a_document_comment_and_version_lead_to_the_document(world):
    comment = _told(
        world,
        "comment.added",
        object_kind="comment",
        object_id=11,
        audience=[world.docs_member],
        document=3,
    )
    version = _told(
        world,
        "document.version_added",
        object_kind="document",
        object_id=3,
        audience=[world.docs_member],
    )
    assert (
        comment
        == version
        == [("docs_member", "comment", f"New comment on: {TITLE}", "/documents/3/")]
    )


def test_a_proposal_asks_those_who_decide_and_its_decision_tells_them(world):
    def proposal(type_, **data):
        return _told(
            world, type_, object_kind="proposal", object_id=5, audience=[world.sc_head], **data
        )

    assert proposal("body.proposal_made") == [
        ("sc_head", "review", f"To confirm: {TITLE}", "/proposals/")
    ]
    assert [t[2] for t in proposal("body.proposal_decided", status="confirmed")] == [
        f"Confirmed: {TITLE}"
    ]
    assert [t[2] for t in proposal("body.proposal_decided", status="rejected")] == [
        f"Rejected: {TITLE}"
    ]
    assert proposal("body.proposal_decided", status="withdrawn") == [
        ("sc_head", "status", f"Updated: {TITLE}", "/proposals/")
    ]


@pytest.mark.parametrize(
    ("type_", "object_kind"),
    [
        ("body.member_added", "body"),
        ("congress.updated", "congress"),
        ("congress.transitioned", "congress"),
        ("document.updated", "document"),
        ("consultation.answered", "document"),
        ("task.transferred", "task"),
    ],
)
def test_kinds_the_live_stream_carries_tell_nobody_in_the_inbox(world, type_, object_kind):
    told = _told(
        world,
        type_,
        object_kind=object_kind,
        audience=[world.docs_member],
        assignee=world.docs_member.pk,
        rapporteur=world.docs_member.pk,
    )
    assert told == []
