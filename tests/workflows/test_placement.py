"""A task or a document stays in the congress of its body: the services refuse a move, whoever
calls them (the API only passes the congress it was sent)."""

import pytest

from congress.errors import Invalid
from workflows.models import Document, Task
from workflows.services.documents import document_create, document_update
from workflows.services.tasks import task_create, task_update


def test_the_task_service_refuses_a_move_to_another_congress(world, make_task, trail):
    task = make_task(title="Ở lại")
    before = trail()

    with pytest.raises(Invalid) as refused:
        task_update(actor=world.staff, task_id=task.pk, congress=world.other_congress, title="Đi")

    assert refused.value.as_dict()["congress"] == ["A task cannot move to another congress."]
    task.refresh_from_db()
    assert (task.congress_id, task.title, task.version) == (world.congress.pk, "Ở lại", 1)
    assert trail() == before


def test_the_task_service_refuses_a_body_of_another_congress(world, make_task, trail):
    task = make_task()
    before = trail()

    with pytest.raises(Invalid) as refused:
        task_update(actor=world.staff, task_id=task.pk, body=world.other_docs)

    assert refused.value.as_dict()["body"] == ["This body belongs to another congress."]
    task.refresh_from_db()
    assert task.body_id == world.docs.pk
    assert trail() == before


def test_the_task_service_creates_only_in_the_congress_of_the_body(world, trail):
    before = trail()

    with pytest.raises(Invalid) as refused:
        task_create(
            actor=world.staff, body=world.other_docs, title="Lạc chỗ", congress=world.congress
        )

    assert refused.value.as_dict()["body"] == ["This body belongs to another congress."]
    assert Task.objects.count() == 0
    assert trail() == before


def test_the_task_service_accepts_its_own_congress(world, make_task):
    task = make_task(title="Cũ")

    task_update(actor=world.staff, task_id=task.pk, congress=world.congress, title="Mới")

    task.refresh_from_db()
    assert (task.title, task.version) == ("Mới", 2)


def test_the_document_service_refuses_a_move_to_another_congress(world, trail):
    document = Document.objects.create(
        congress=world.congress,
        body=world.docs,
        kind=Document.Kind.OTHER,
        title="Ở lại",
        created_by=world.docs_head,
    )
    before = trail()

    with pytest.raises(Invalid) as refused:
        document_update(
            actor=world.staff, document_id=document.pk, congress=world.other_congress, title="Đi"
        )

    assert refused.value.as_dict()["congress"] == ["A document cannot move to another congress."]
    document.refresh_from_db()
    assert (document.congress_id, document.title, document.version) == (
        world.congress.pk,
        "Ở lại",
        1,
    )
    assert trail() == before


def test_the_document_service_creates_only_in_the_congress_of_the_body(world, trail):
    before = trail()

    with pytest.raises(Invalid) as refused:
        document_create(
            actor=world.staff,
            body=world.other_docs,
            kind=Document.Kind.OTHER,
            title="Lạc chỗ",
            congress=world.congress,
        )

    assert refused.value.as_dict()["body"] == ["This body belongs to another congress."]
    assert Document.objects.count() == 0
    assert trail() == before
