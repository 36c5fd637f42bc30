"""Applying a plan template to a congress: tasks through the task service (audit entry and
event each), deadlines in working days, dependencies linked, bodies matched by kind, the body
head as assignee, and one summary notification per assignee instead of one per task."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from congress.models import Body, Congress
from congress.plans import plan_schedule
from congress.workdays import WorkingCalendar
from notifications.models import Event, Notification
from workflows.models import AuditEntry, Task

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def _local(moment: datetime) -> datetime:
    return moment.astimezone(HCM)


def test_applying_the_builtin_template_creates_its_dated_plan(world, post, builtin):
    calendar = WorkingCalendar()
    congress = world.congress  # opens Thu 18/9/2025
    expected = {
        s.item.key: s
        for s in plan_schedule(
            builtin,
            opens_on=congress.opens_on,
            superior_review_due=congress.superior_review_due,
            calendar=calendar,
        )
    }

    response = post(world.steering_head, congress, "apply-plan", template=builtin.pk)

    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["created"] == builtin.items.count() == len(expected) == 46
    tasks = {t.plan_item.key: t for t in Task.objects.filter(congress=congress)}
    assert set(tasks) == set(expected)
    for key, task in tasks.items():
        assert _local(task.due_at).date() == expected[key].due_on, key
        assert _local(task.due_at).hour == 17
        assert task.starts_on == expected[key].starts_on
        assert task.status == "todo"
        assert task.created_by == world.steering_head
    review = tasks["superior_review"]
    assert _local(review.due_at).date() == congress.superior_review_due == date(2025, 7, 15)
    assert review.requires_review is False and review.priority == "urgent"
    congress.refresh_from_db()
    assert congress.plan_opens_on == congress.opens_on


def test_applied_tasks_link_dependencies_and_anchor_items(world, post, builtin):
    post(world.steering_head, world.congress, "apply-plan", template=builtin.pk)
    tasks = {t.plan_item.key: t for t in Task.objects.filter(congress=world.congress)}

    def deps(key):
        return sorted(t.plan_item.key for t in tasks[key].depends_on.all())

    assert deps("superior_submit") == ["executive_opinion", "personnel_submit"]
    assert deps("draft2") == ["draft1_opinion"]  # dated after it, so waits for it
    assert deps("rehearsal") == ["decor", "logistics", "printing", "security"]
    assert deps("plan_issue") == []


def test_bodies_are_matched_by_kind_with_the_head_as_assignee(world, post, builtin):
    response = post(world.steering_head, world.congress, "apply-plan", template=builtin.pk)
    tasks = {t.plan_item.key: t for t in Task.objects.filter(congress=world.congress)}

    assert (tasks["draft1"].body, tasks["draft1"].assignee) == (world.docs, world.docs_head)
    assert (tasks["superior_review"].body, tasks["superior_review"].assignee) == (
        world.sc,
        world.sc_head,
    )
    # The personnel subcommittee has no head: its tasks wait for one, unassigned.
    assert (tasks["personnel_plan"].body, tasks["personnel_plan"].assignee) == (
        world.personnel,
        None,
    )
    # No propaganda subcommittee in this congress: its items go to the steering board.
    assert tasks["propaganda_plan"].body == world.steering
    assert response.json()["fallbacks"] == {"propaganda": world.steering.pk}


def test_every_task_is_created_through_the_service_with_audit_and_event(world, post, builtin):
    response = post(world.steering_head, world.congress, "apply-plan", template=builtin.pk)
    ids = response.json()["tasks"]

    created = AuditEntry.objects.filter(transition="create", object_id__in=ids)
    assert created.count() == len(ids)
    assert set(created.values_list("actor", flat=True)) == {world.steering_head.pk}
    events = Event.objects.filter(type="task.created", object_id__in=ids)
    assert events.count() == len(ids)
    assert all(e.payload["summarized"] is True for e in events)
    assert AuditEntry.objects.filter(
        object_id=world.congress.pk, transition="plan_apply", actor=world.steering_head
    ).exists()


def test_each_assignee_gets_one_summary_not_one_message_per_task(
    world, post, builtin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(world.steering_head, world.congress, "apply-plan", template=builtin.pk)

    tasks = Task.objects.filter(congress=world.congress)
    assignees = set(tasks.exclude(assignee=None).values_list("assignee", flat=True))
    notified = Notification.objects.values_list("recipient", flat=True)
    # The actor (the steering board's head, assignee of the steering board's items) is never
    # told of their own change.
    assert sorted(notified) == sorted(assignees - {world.steering_head.pk})
    assert sorted(response.json()["notified"]) == sorted(notified)
    docs_head = Notification.objects.get(recipient=world.docs_head)
    count = tasks.filter(assignee=world.docs_head).count()
    assert docs_head.category == "assignment"
    assert docs_head.event is None
    assert docs_head.text.count("\n• ") + docs_head.text.startswith("• ") == min(count, 30)
    assert Event.objects.filter(type="task.created", dispatched_at__isnull=True).count() == 0


def test_summary_names_confidential_work_only_generically(
    world, post, small_template, django_capture_on_commit_callbacks
):
    from congress.models import PlanItem
    from tests.factories import MembershipFactory

    MembershipFactory(body=world.personnel, user=world.docs_deputy, role="head")
    PlanItem.objects.create(
        template=small_template,
        key="personnel",
        title="Đề án nhân sự",
        body_kind=Body.Kind.PERSONNEL,
        offset_days=50,
    )
    with django_capture_on_commit_callbacks(execute=True):
        post(world.steering_head, world.congress, "apply-plan", template=small_template.pk)

    text = Notification.objects.get(recipient=world.docs_deputy).text
    assert "Đề án nhân sự" not in text
    assert "Tiểu ban Nhân sự" in text


def test_applying_the_same_template_twice_is_a_conflict(world, post, builtin, trail):
    post(world.steering_head, world.congress, "apply-plan", template=builtin.pk)
    before = (Task.objects.count(), trail())

    response = post(world.steering_head, world.congress, "apply-plan", template=builtin.pk)

    assert response.status_code == 409
    assert response.json()["code"] == "plan_already_applied"
    assert (Task.objects.count(), trail()) == before


def test_confidential_work_needs_a_body_of_its_own(world, post, builtin, trail):
    Body.objects.filter(pk=world.personnel.pk).update(kind=Body.Kind.OTHER)
    before = trail()

    response = post(world.steering_head, world.congress, "apply-plan", template=builtin.pk)

    assert response.status_code == 400
    assert response.json()["code"] == "plan_body_missing"
    assert "Personnel subcommittee" in response.json()["template"][0]
    assert Task.objects.count() == 0 and trail() == before


def test_a_plan_is_not_applied_to_a_closed_congress(world, post, small_template):
    Congress.objects.filter(pk=world.congress.pk).update(status="cancelled")

    response = post(world.steering_head, world.congress, "apply-plan", template=small_template.pk)

    assert response.status_code == 409
    assert response.json()["code"] == "congress_not_open"


def test_an_unknown_template_is_a_bad_request(world, post):
    response = post(world.steering_head, world.congress, "apply-plan", template=999999)

    assert response.status_code == 400
    assert "template" in response.json()


@pytest.mark.parametrize("late", [True, False])
def test_deadlines_already_past_are_created_as_overdue(
    world, post, small_template, time_machine, late
):
    now = datetime(2025, 9, 1, 9, 0, tzinfo=HCM) if late else datetime(2025, 3, 1, tzinfo=HCM)
    time_machine.move_to(now, tick=False)

    post(world.steering_head, world.congress, "apply-plan", template=small_template.pk)

    outline = Task.objects.get(plan_item__key="outline")
    assert outline.is_overdue is late
