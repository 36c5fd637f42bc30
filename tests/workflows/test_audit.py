"""The audit log is append-only, and a change, its audit entry and its outbox event are
committed together or not at all; events carry increasing sequence numbers."""

import pytest
from django.contrib.contenttypes.models import ContentType

from notifications.models import Event
from workflows.models import AuditEntry, Task
from workflows.services import tasks as task_services
from workflows.services.tasks import task_comment_add, task_create, task_transition

S = Task.Status


@pytest.fixture
def entry(world, make_task):
    task = make_task(status=S.TODO)
    task_transition(actor=world.docs_member, task_id=task.pk, name="start")
    return AuditEntry.objects.get()


def test_saving_an_existing_audit_entry_raises(entry):
    entry.note = "rewritten"
    entry.to_state = "done"

    with pytest.raises(ValueError, match="append-only"):
        entry.save()

    entry.refresh_from_db()
    assert (entry.note, entry.to_state) == ("", "in_progress")


def test_deleting_an_audit_entry_raises(entry):
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()

    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_audit_entry_records_who_when_and_what(world, entry, make_task):
    assert (entry.transition, entry.from_state, entry.to_state) == ("start", "todo", "in_progress")
    assert entry.actor == world.docs_member
    assert entry.congress == world.congress
    assert entry.body == world.docs
    assert entry.content_type == ContentType.objects.get_for_model(Task)
    assert entry.at is not None


def test_events_have_increasing_ids_in_the_order_of_changes(world, make_task):
    task = task_create(
        actor=world.docs_head, body=world.docs, title="Đề cương", assignee=world.docs_member
    )
    task_transition(actor=world.docs_member, task_id=task.pk, name="start")
    task_comment_add(actor=world.docs_head, task_id=task.pk, text="Khẩn trương")
    task_transition(actor=world.docs_member, task_id=task.pk, name="submit", note="Xong")
    task_transition(actor=world.docs_head, task_id=task.pk, name="approve")

    events = list(Event.objects.order_by("created_at", "id").values_list("id", "type"))

    ids = [i for i, _ in events]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert [t for _, t in events] == [
        "task.created",
        "task.transitioned",
        "comment.added",
        "task.transitioned",
        "task.transitioned",
    ]
    versions = [
        e.payload["version"] for e in Event.objects.filter(type="task.transitioned").order_by("id")
    ]
    assert versions == [2, 3, 4]


def test_transition_is_rolled_back_with_its_audit_entry_when_the_event_fails(
    world, make_task, monkeypatch
):
    task = make_task(status=S.TODO)

    def broken(**kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(task_services, "event_record", broken)

    with pytest.raises(RuntimeError):
        task_transition(actor=world.docs_member, task_id=task.pk, name="start")

    task.refresh_from_db()
    assert (task.status, task.version) == (S.TODO, 1)
    assert AuditEntry.objects.count() == 0
    assert Event.objects.count() == 0
