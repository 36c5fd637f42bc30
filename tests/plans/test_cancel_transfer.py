"""Cancelling a congress cancels its open work through the transition engines, with the
reason, and tells everyone once. Handing it over to a successor organization's congress moves
the open tasks and documents with their history; the audit shows the hand-over and visibility
follows the new bodies."""

import pytest
from django.contrib.contenttypes.models import ContentType

from congress.models import Body, Congress
from notifications.models import Event, Notification
from workflows.models import AuditEntry, Document, Task
from workflows.services.tasks import task_transition

REASON = "Kết thúc hoạt động cấp huyện từ 01/7/2025 (Nghị quyết 202/2025/QH15)"


@pytest.fixture
def work(world, make_task):
    """Open and finished tasks in the documents and personnel subcommittees, and documents."""
    tasks = {
        "draft": make_task(status="in_progress"),
        "review": make_task(status="in_review", assignee=world.docs_member2),
        "done": make_task(status="done"),
        "secret": make_task(
            body=world.personnel, assignee=world.personnel_member, created_by=world.sc_head
        ),
    }
    documents = {
        "report": Document.objects.create(
            congress=world.congress,
            body=world.docs,
            kind="political_report",
            title="Báo cáo chính trị",
            rapporteur=world.docs_member,
        ),
        "approved": Document.objects.create(
            congress=world.congress,
            body=world.docs,
            kind="outline",
            title="Đề cương",
            status="approved",
        ),
    }
    # Some history before the change.
    task_transition(
        actor=world.docs_member, task_id=tasks["draft"].pk, name="block", reason="Chờ số liệu"
    )
    return {**tasks, **documents}


def _history(obj):
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        ).values_list("transition", flat=True)
    )


def _entry(obj, transition):
    return AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        transition=transition,
    )


# Cancel ------------------------------------------------------------------------------------


def test_cancel_cancels_open_tasks_with_the_reason_and_keeps_finished_ones(
    world, api, work, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(world.steering_head).post(
            f"/api/v1/congresses/{world.congress.pk}/transitions/cancel/", {"reason": REASON}
        )

    assert response.status_code == 200, response.json()
    statuses = {k: Task.objects.get(pk=work[k].pk).status for k in ("draft", "review", "done")}
    assert statuses == {"draft": "cancelled", "review": "cancelled", "done": "done"}
    assert Task.objects.get(pk=work["secret"].pk).status == "cancelled"
    entry = _entry(work["review"], "cancel")
    assert (entry.from_state, entry.to_state, entry.note) == ("in_review", "cancelled", REASON)
    assert entry.actor == world.steering_head
    assert _history(work["draft"]) == ["block", "cancel"]
    documents = {d.title: (d.status, d.status_reason) for d in Document.objects.all()}
    assert documents == {"Báo cáo chính trị": ("withdrawn", REASON), "Đề cương": ("approved", "")}


def test_cancel_tells_everyone_in_the_congress_once(
    world, api, work, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        api(world.steering_head).post(
            f"/api/v1/congresses/{world.congress.pk}/transitions/cancel/", {"reason": REASON}
        )

    members = {"sc_head", "docs_head", "docs_deputy", "docs_member", "docs_member2"}
    members.add("personnel_member")
    recipients = list(Notification.objects.values_list("recipient__username", flat=True))
    assert sorted(recipients) == sorted(members)  # one each; never the actor
    assert all(n.event_id is None for n in Notification.objects.all())
    member2 = Notification.objects.get(recipient=world.docs_member2)
    assert REASON in member2.text
    assert work["review"].title in member2.text
    outsider = Notification.objects.filter(recipient=world.outsider)
    assert not outsider.exists()
    cancelled = Event.objects.filter(type="task.transitioned", payload__transition="cancel")
    assert cancelled.count() == 3
    assert all(e.payload["summarized"] for e in cancelled)


def test_a_leader_who_may_not_cancel_the_tasks_cannot_cancel_the_congress(world, api, work, trail):
    before = trail()

    response = api(world.sc_head).post(
        f"/api/v1/congresses/{world.congress.pk}/transitions/cancel/", {"reason": REASON}
    )

    assert response.status_code == 403
    assert response.json()["code"] == "cancel_forbidden"
    world.congress.refresh_from_db()
    assert world.congress.status == "planning"
    assert Task.objects.filter(status="cancelled").count() == 0
    assert trail() == before


def test_a_standing_committee_leader_cancels_a_congress_without_open_tasks(world, api):
    response = api(world.sc_head).post(
        f"/api/v1/congresses/{world.congress.pk}/transitions/cancel/", {"reason": REASON}
    )

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"


# Transfer ----------------------------------------------------------------------------------


def _transfer(api, user, congress, **body):
    return api(user).post(
        f"/api/v1/congresses/{congress.pk}/transfer/",
        body,
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_transfer_moves_open_work_into_the_matching_bodies(world, api, work, successor):
    response = _transfer(
        api, world.steering_head, world.congress, successor_congress=successor.congress.pk
    )

    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["congress"]["status"] == "transferred"
    assert data["congress"]["successor"] == successor.congress.pk
    assert sorted(data["tasks"]) == sorted(work[k].pk for k in ("draft", "review", "secret"))
    assert data["documents"] == [work["report"].pk]
    moved = {t.pk: (t.congress_id, t.body_id) for t in Task.objects.all()}
    assert moved[work["draft"].pk] == (successor.congress.pk, successor.docs.pk)
    assert moved[work["secret"].pk] == (successor.congress.pk, successor.personnel.pk)
    assert moved[work["done"].pk] == (world.congress.pk, world.docs.pk)
    report = Document.objects.get(pk=work["report"].pk)
    assert (report.congress_id, report.body_id) == (successor.congress.pk, successor.docs.pk)
    approved = Document.objects.get(pk=work["approved"].pk)
    assert approved.congress_id == world.congress.pk


def test_transfer_keeps_history_and_records_the_hand_over(world, api, work, successor):
    before = _history(work["draft"])

    _transfer(api, world.steering_head, world.congress, successor_congress=successor.congress.pk)

    assert _history(work["draft"]) == [*before, "transfer"]
    entry = _entry(work["draft"], "transfer")
    assert entry.actor == world.steering_head
    assert "Tiểu ban Văn kiện → " in entry.note and "Văn kiện phường" in entry.note
    assert _history(work["report"]) == ["transfer"]
    congress_entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Congress)
    )
    assert set(congress_entries.values_list("object_id", "transition")) == {
        (world.congress.pk, "transfer"),
        (successor.congress.pk, "transfer_in"),
    }
    history = api(successor.ward_docs_head).get(f"/api/v1/tasks/{work['draft'].pk}/history/")
    assert [e["transition"] for e in history.json()["results"]] == ["block", "transfer"]


def test_visibility_follows_the_new_bodies(world, api, work, successor):
    _transfer(api, world.steering_head, world.congress, successor_congress=successor.congress.pk)

    draft, secret = work["draft"].pk, work["secret"].pk
    assert api(successor.ward_docs_head).get(f"/api/v1/tasks/{draft}/").status_code == 200
    # Old members who are not in the successor congress no longer see the work.
    assert api(world.docs_head).get(f"/api/v1/tasks/{draft}/").status_code == 404
    # Confidential work: the successor's personnel head sees it, its documents head does not.
    assert api(successor.ward_personnel_head).get(f"/api/v1/tasks/{secret}/").status_code == 200
    assert api(successor.ward_docs_head).get(f"/api/v1/tasks/{secret}/").status_code == 404


def test_work_is_kept_by_people_who_may_see_the_new_body_else_by_its_head(
    world, api, work, successor
):
    response = _transfer(
        api, world.steering_head, world.congress, successor_congress=successor.congress.pk
    )

    assignees = {t.pk: t.assignee_id for t in Task.objects.all()}
    # docs_member2 is in the successor's documents subcommittee: keeps the task.
    assert assignees[work["review"].pk] == world.docs_member2.pk
    # docs_member is not: the successor body's head takes the task and the document.
    assert assignees[work["draft"].pk] == successor.ward_docs_head.pk
    assert Document.objects.get(pk=work["report"].pk).rapporteur == successor.ward_docs_head
    assert {(r["kind"], r["id"]) for r in response.json()["reassigned"]} == {
        ("task", work["draft"].pk),
        ("task", work["secret"].pk),
        ("document", work["report"].pk),
    }


def test_transfer_tells_each_person_once(
    world, api, work, successor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _transfer(
            api, world.steering_head, world.congress, successor_congress=successor.congress.pk
        )

    recipients = list(Notification.objects.values_list("recipient__username", flat=True))
    assert len(recipients) == len(set(recipients))
    assert {"ward_docs_head", "ward_personnel_head", "docs_member", "sc_head"} <= set(recipients)
    assert "steering_head" not in recipients
    head = Notification.objects.get(recipient=successor.ward_docs_head)
    assert work["draft"].title in head.text and work["report"].title in head.text
    # docs_member lost sight of the work: told of the hand-over, without the titles.
    member = Notification.objects.get(recipient=world.docs_member)
    assert work["draft"].title not in member.text
    assert Event.objects.filter(type="task.transferred", congress=successor.congress).count() == 3


def test_explicit_body_mapping_wins_and_confidential_work_stays_confidential(
    world, api, work, successor, trail
):
    before = trail()
    leak = _transfer(
        api,
        world.steering_head,
        world.congress,
        successor_congress=successor.congress.pk,
        body_mapping={str(world.personnel.pk): successor.docs.pk},
    )

    assert leak.status_code == 400
    assert "confidential" in leak.json()["body_mapping"][0]
    assert trail() == before

    response = _transfer(
        api,
        world.steering_head,
        world.congress,
        successor_congress=successor.congress.pk,
        body_mapping={str(world.docs.pk): successor.orgbody.pk},
    )
    assert response.status_code == 200
    assert Task.objects.get(pk=work["draft"].pk).body_id == successor.orgbody.pk


def test_an_unmatched_body_must_be_mapped(world, api, work, successor, trail):
    Body.objects.filter(pk=successor.docs.pk).update(kind=Body.Kind.OTHER)
    before = trail()

    response = _transfer(
        api, world.steering_head, world.congress, successor_congress=successor.congress.pk
    )

    assert response.status_code == 400
    assert response.json()["body_mapping"] == [
        "No body of the successor congress matches Tiểu ban Văn kiện: map it explicitly."
    ]
    assert trail() == before
    world.congress.refresh_from_db()
    assert world.congress.status == "planning"


def test_only_a_congress_of_the_successor_organization_takes_the_work(
    world, api, work, successor, trail
):
    before = trail()

    response = _transfer(
        api, world.staff, world.congress, successor_congress=world.other_congress.pk
    )

    assert response.status_code == 400
    assert response.json()["code"] == "not_successor_organization"
    assert trail() == before


def test_an_organization_without_successor_cannot_transfer(world, api, work):
    other = Congress.objects.create(
        organization=world.other_org,
        number=99,
        term_start=2025,
        term_end=2030,
        opens_on=world.congress.opens_on,
    )

    response = _transfer(api, world.staff, world.congress, successor_congress=other.pk)

    assert response.status_code == 409
    assert response.json()["code"] == "no_successor_organization"


def test_the_generic_transition_endpoint_refuses_a_transfer(world, api, successor, trail):
    before = trail()

    response = api(world.steering_head).post(
        f"/api/v1/congresses/{world.congress.pk}/transitions/transfer/", {}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "transfer_needs_successor"
    assert trail() == before


def test_transfer_needs_a_leader_of_the_successor_congress_too(world, api, work, successor):
    from tests.factories import MembershipFactory

    MembershipFactory(body=world.steering, user=world.docs_deputy, role="deputy")

    response = _transfer(
        api, world.docs_deputy, world.congress, successor_congress=successor.congress.pk
    )

    assert response.status_code == 400  # the successor's congress is not one they can see
    MembershipFactory(body=successor.docs, user=world.docs_deputy, role="member")
    response = _transfer(
        api, world.docs_deputy, world.congress, successor_congress=successor.congress.pk
    )
    assert response.status_code == 403
    assert response.json()["code"] == "transfer_forbidden"


def test_a_transferred_congress_shows_its_successor_and_takes_no_more_transitions(
    world, api, work, successor
):
    _transfer(api, world.steering_head, world.congress, successor_congress=successor.congress.pk)

    data = api(world.steering_head).get(f"/api/v1/congresses/{world.congress.pk}/").json()

    assert (data["status"], data["successor"], data["available_transitions"]) == (
        "transferred",
        successor.congress.pk,
        [],
    )
