"""Re-dating: when the opening moves, every open task that came from the plan moves with it,
keeping its offset in working days; finished tasks stay; the preview shows exactly what the
re-date then does; each affected person gets one summary."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType

from notifications.models import Event, Notification
from workflows.models import AuditEntry, Task

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NEW_OPENING = "2025-10-09"  # Thursday, three weeks later (and after 2/9)


def _local_day(moment):
    return moment.astimezone(HCM).date()


@pytest.fixture
def applied(world, post, small_template):
    """The small plan applied to the congress opening on Thu 18/9/2025; the outline is done."""
    post(world.steering_head, world.congress, "apply-plan", template=small_template.pk)
    tasks = {t.plan_item.key: t for t in Task.objects.filter(congress=world.congress)}
    Task.objects.filter(pk=tasks["outline"].pk).update(status="done")
    tasks["outline"].refresh_from_db()
    return tasks


def _preview(api, user, congress, opens_on=NEW_OPENING):
    return api(user).get(
        f"/api/v1/congresses/{congress.pk}/redate-preview/",
        {"opens_on": opens_on},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_preview_lists_the_open_plan_tasks_and_their_new_dates(world, api, applied):
    response = _preview(api, world.steering_head, world.congress)

    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["old_opens_on"], data["opens_on"]) == ("2025-09-18", NEW_OPENING)
    assert data["staying"] == 1  # the outline is done: it keeps its date
    moves = {m["title"]: m for m in data["moves"]}
    assert sorted(moves) == [
        "Chuẩn bị hội trường",
        "Cấp trên cho ý kiến",
        "Dự thảo lần 1",
        "Trình cấp trên",
    ]
    venue = moves["Chuẩn bị hội trường"]
    # 10 working days before Thu 18/9 is Thu 4/9 (1 and 2/9 are holidays); before Thu 9/10,
    # Thu 25/9.
    assert (venue["old_due_at"][:10], venue["new_due_at"][:10]) == ("2025-09-04", "2025-09-25")
    assert venue["working_days_before_opening"] == 10
    assert venue["new_due_at"].endswith("17:00:00+07:00")


def test_preview_changes_nothing(world, api, applied, trail):
    before = (trail(), list(Task.objects.values_list("due_at", "version")))

    _preview(api, world.steering_head, world.congress)

    assert (trail(), list(Task.objects.values_list("due_at", "version"))) == before
    world.congress.refresh_from_db()
    assert world.congress.opens_on == date(2025, 9, 18)


def test_redate_does_what_the_preview_showed(world, api, post, applied):
    preview = _preview(api, world.steering_head, world.congress).json()

    response = post(world.steering_head, world.congress, "redate", opens_on=NEW_OPENING)

    assert response.status_code == 200, response.json()
    done = response.json()
    assert done["moves"] == preview["moves"]
    assert done["congress"]["opens_on"] == NEW_OPENING
    for move in preview["moves"]:
        task = Task.objects.get(pk=move["task"])
        assert task.due_at == datetime.fromisoformat(move["new_due_at"])
        assert str(task.starts_on) == move["new_starts_on"]


def test_a_dependency_chain_moves_together_and_finished_tasks_stay(world, post, applied):
    outline_due = applied["outline"].due_at

    post(world.steering_head, world.congress, "redate", opens_on=NEW_OPENING)

    tasks = {t.plan_item.key: t for t in Task.objects.filter(congress=world.congress)}
    assert tasks["outline"].due_at == outline_due
    assert tasks["outline"].version == applied["outline"].version
    chain = [_local_day(tasks[k].due_at) for k in ("draft", "submit", "review")]
    assert chain == sorted(chain)
    world.congress.refresh_from_db()
    # The superior review item follows the congress's own deadline.
    assert chain[-1] == world.congress.superior_review_due
    # The draft was 5 working days after the outline: it moves with the opening, not with the
    # finished outline (15 working days later: 3 weeks).
    assert (_local_day(applied["draft"].due_at), chain[0]) == (date(2025, 7, 1), date(2025, 7, 22))


def test_redate_moves_the_closing_and_records_the_history(world, post, applied):
    world.congress.closes_on = date(2025, 9, 20)
    world.congress.save(update_fields=["closes_on"])

    post(world.steering_head, world.congress, "redate", opens_on=NEW_OPENING)

    world.congress.refresh_from_db()
    assert (world.congress.opens_on, world.congress.closes_on) == (
        date(2025, 10, 9),
        date(2025, 10, 11),
    )
    assert world.congress.plan_opens_on == date(2025, 10, 9)
    venue = applied["venue"]
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(Task),
        object_id=venue.pk,
        transition="redate",
    )
    assert entry.actor == world.steering_head
    assert "04/09/2025 → 25/09/2025" in entry.note
    assert "18/09/2025 → 09/10/2025" in entry.note
    assert Event.objects.filter(type="congress.updated", object_id=world.congress.pk).exists()
    updated = Event.objects.filter(type="task.updated", object_id=venue.pk).get()
    assert updated.payload["changed"] == ["due_at", "starts_on"]
    assert updated.payload["summarized"] is True


def test_each_affected_person_gets_one_summary(
    world, post, applied, django_capture_on_commit_callbacks
):
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        post(world.steering_head, world.congress, "redate", opens_on=NEW_OPENING)

    # draft -> docs_head; submit, review -> sc_head; venue is unassigned in a body without a
    # head (nobody to tell).
    notes = {n.recipient.username: n for n in Notification.objects.select_related("recipient")}
    assert sorted(notes) == ["docs_head", "sc_head"]
    assert notes["sc_head"].text.count("• ") == 2
    assert "18/09/2025" in notes["sc_head"].text and "09/10/2025" in notes["sc_head"].text


def test_after_a_plain_edit_of_the_opening_the_plan_follows_from_its_own_date(
    world, api, post, applied
):
    api(world.steering_head).patch(
        f"/api/v1/congresses/{world.congress.pk}/", {"opens_on": NEW_OPENING}, format="json"
    )

    preview = _preview(api, world.steering_head, world.congress).json()
    response = post(world.steering_head, world.congress, "redate", opens_on=NEW_OPENING)

    assert preview["old_opens_on"] == "2025-09-18"
    assert len(preview["moves"]) == 4
    assert response.json()["moves"] == preview["moves"]


def test_redating_to_the_same_day_moves_nothing(world, post, applied, trail):
    response = post(world.steering_head, world.congress, "redate", opens_on="2025-09-18")

    assert response.json()["moves"] == []
    assert (
        not AuditEntry.objects.filter(transition="redate")
        .exclude(object_id=world.congress.pk)
        .exists()
    )


def test_tasks_not_from_the_plan_stay(world, post, applied, make_task):
    own = make_task(congress=world.congress)
    due = own.due_at

    post(world.steering_head, world.congress, "redate", opens_on=NEW_OPENING)

    own.refresh_from_db()
    assert own.due_at == due


def test_a_bad_date_is_a_bad_request(world, api, post, applied):
    assert _preview(api, world.steering_head, world.congress, "18/09/2025").status_code == 400
    assert post(world.steering_head, world.congress, "redate").status_code == 400
