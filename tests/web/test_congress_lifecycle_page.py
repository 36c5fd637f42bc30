"""The congress's lifecycle from its dashboard: start the preparation, open and close the
session, cancel with a reason, hand over to the successor's congress; each after a
confirmation page that says what it will do, only for the congress's leaders."""

import html
import re

import pytest

from congress.models import Congress
from notifications.models import Event
from tests.plans.conftest import successor  # noqa: F401
from workflows.models import AuditEntry, Task


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def _step(world, name):
    return f"/congresses/{world.congress.pk}/transitions/{name}/"


def _status(world) -> str:
    return Congress.objects.get(pk=world.congress.pk).status


def test_the_dashboard_offers_the_steps_to_leaders_only(world, web):
    leader = _text(web(world.steering_head).get(f"/congresses/{world.congress.pk}/"))
    member = _text(web(world.docs_member).get(f"/congresses/{world.congress.pk}/"))

    assert re.findall(r'data-step="(\w+)"', leader) == ["start_preparation", "cancel"]
    assert "Start the preparation" in leader
    assert re.findall(r'data-step="(\w+)"', member) == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_plain_member_is_refused_every_step(world, web, method):
    before = (Event.objects.count(), AuditEntry.objects.count())

    response = getattr(web(world.docs_member), method)(
        _step(world, "cancel"), {"reason": "Sáp nhập"}
    )

    assert response.status_code == 403
    assert "Not yours to do" in _text(response)
    assert _status(world) == "planning"
    assert (Event.objects.count(), AuditEntry.objects.count()) == before


def test_start_preparation_after_its_confirmation(world, web):
    client = web(world.steering_head)

    prompt = client.get(_step(world, "start_preparation"))

    assert "Status: Planning → Preparing." in _text(prompt)
    assert _status(world) == "planning"
    response = client.post(_step(world, "start_preparation"), {"note": ""})
    assert response.status_code == 302
    assert _status(world) == "preparing"


def test_a_step_not_allowed_now_is_refused_with_its_reason(world, web):
    response = web(world.steering_head).post(_step(world, "close"), {"note": ""})

    assert response.status_code == 200
    assert 'role="alert"' in _text(response)
    assert _status(world) == "planning"


def test_cancel_without_a_reason_is_refused_next_to_its_field(world, web, make_task):
    make_task()
    before = (Event.objects.count(), AuditEntry.objects.count())

    response = web(world.steering_head).post(_step(world, "cancel"), {"reason": "  "})

    page = _text(response)
    assert response.status_code == 200
    field = page[page.index('for="id_reason"') :]
    assert field.index("Give the reason for cancelling the congress") < field.index("</div>")
    assert "Open work: 1 tasks, 0 documents." in page
    assert _status(world) == "planning"
    assert (Event.objects.count(), AuditEntry.objects.count()) == before


def test_cancel_with_a_reason_cancels_the_open_work(world, web, make_task):
    task = make_task(created_by=world.steering_head)

    response = web(world.steering_head).post(
        _step(world, "cancel"), {"reason": "Sắp xếp đơn vị hành chính"}
    )

    assert response.status_code == 302
    assert _status(world) == "cancelled"
    task.refresh_from_db()
    assert task.status == Task.Status.CANCELLED


def test_transfer_previews_where_the_work_goes_then_hands_it_over(
    world,
    web,
    make_task,
    successor,  # noqa: F811
):
    task = make_task(created_by=world.steering_head)
    client = web(world.steering_head)

    dashboard = _text(client.get(f"/congresses/{world.congress.pk}/"))
    assert "transfer" in re.findall(r'data-step="(\w+)"', dashboard)
    chosen = {"successor_congress": successor.congress.pk}
    preview = _text(client.get(_step(world, "transfer"), chosen))
    assert re.search(r"<td[^>]*>Tiểu ban Văn kiện</td><td[^>]*>Văn kiện phường</td>", preview)
    assert _status(world) == "planning"

    response = client.post(
        _step(world, "transfer"), {"successor_congress": successor.congress.pk, "note": ""}
    )

    assert response.status_code == 302
    assert _status(world) == "transferred"
    task.refresh_from_db()
    assert task.congress_id == successor.congress.pk


def test_transfer_without_a_successor_congress_is_refused(world, web, successor):  # noqa: F811
    response = web(world.steering_head).post(_step(world, "transfer"), {"note": ""})

    assert response.status_code == 200
    assert "Choose the successor congress." in _text(response)
    assert _status(world) == "planning"


def test_a_congress_in_preparation_opens_its_session_then_closes(world, web):
    Congress.objects.filter(pk=world.congress.pk).update(status="preparing")
    client = web(world.steering_head)

    dashboard = _text(client.get(f"/congresses/{world.congress.pk}/"))
    assert re.findall(r'data-step="(\w+)"', dashboard) == ["open_session", "cancel"]
    assert client.post(_step(world, "open_session"), {"note": ""}).status_code == 302
    assert _status(world) == "in_session"
    assert "Status: In session → Closed." in _text(client.get(_step(world, "close")))
    assert client.post(_step(world, "close"), {"note": ""}).status_code == 302
    assert _status(world) == "closed"
