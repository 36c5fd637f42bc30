"""Warnings upward (issue 22, flow 4): the city's office and standing committee hear, exactly
once each, of a congress forecast to miss the superior-review deadline, of a document waiting
for the city's decision too long, and of a pushed plan not applied by its date."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.contenttypes.models import ContentType

from congress.models import PlanDirective
from congress.plans import builtin_template_install
from notifications.models import Notification
from workflows.models import AuditEntry, Document
from workflows.services.plans import plan_apply
from workflows.upward_warnings import upward_warnings_sweep

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def _titles(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_a_congress_forecast_late_is_told_upward_once(
    world, city, django_capture_on_commit_callbacks
):
    # The built-in plan applied with its opening in six weeks: far too late.
    world.congress.opens_on = date(2025, 7, 15)
    world.congress.save(update_fields=["opens_on"])
    with time_machine.travel(datetime(2025, 6, 2, 9, tzinfo=HANOI), tick=False):
        template = builtin_template_install()
        plan_apply(
            actor=world.steering_head, congress_id=world.congress.pk, template_id=template.pk
        )
        with django_capture_on_commit_callbacks(execute=True):
            first = upward_warnings_sweep()
            again = upward_warnings_sweep()
    assert first["superior_late"] == 1 and again["superior_late"] == 0
    for user in (city.office, city.head, city.member):
        titles = _titles(user)
        assert len(titles) == 1 and "late for the superior review" in titles[0], user
    # Lê Chân's own people are told by their own warnings, not by this one.
    assert not any("late for the superior review" in t for t in _titles(world.sc_head))


def test_a_document_waiting_too_long_and_a_plan_not_applied_are_told_once(
    world, city, django_capture_on_commit_callbacks
):
    report = Document.objects.create(
        congress=world.congress,
        body=world.docs,
        kind="political_report",
        title="Báo cáo chính trị",
        status="superior_review",
    )
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Document),
        object_id=report.pk,
        congress_id=world.congress.pk,
        transition="approve",
        from_state="standing_committee_review",
        to_state="superior_review",
        at=datetime(2025, 6, 2, 9, tzinfo=HANOI),
    )
    hidden = Document.objects.create(
        congress=world.congress,
        body=world.personnel,
        kind="personnel_plan",
        title="Đề án nhân sự",
        status="superior_review",
    )
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Document),
        object_id=hidden.pk,
        congress_id=world.congress.pk,
        transition="approve",
        to_state="superior_review",
        at=datetime(2025, 6, 2, 9, tzinfo=HANOI),
    )
    PlanDirective.objects.create(
        congress=world.congress,
        template=builtin_template_install(),
        organization=city.org,
        deadline=date(2025, 6, 10),
    )
    with (
        time_machine.travel(datetime(2025, 6, 11, 9, tzinfo=HANOI), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        early = upward_warnings_sweep()  # 7 working days: not yet for the report
    assert early["superior_waiting"] == 0 and early["plan_not_applied"] == 1
    with (
        time_machine.travel(datetime(2025, 6, 20, 9, tzinfo=HANOI), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        later = upward_warnings_sweep()
        upward_warnings_sweep()
    assert later["superior_waiting"] == 1 and later["plan_not_applied"] == 0
    titles = _titles(city.office)
    assert any(t.startswith("Pushed plan not applied by 10/06/2025") for t in titles)
    waiting = [t for t in titles if "Waiting for the superior's decision" in t]
    assert waiting == ["Waiting for the superior's decision for 14 working days: Báo cáo chính trị"]
    # The personnel plan's wait is told to nobody who may not see it.
    assert not any("Đề án nhân sự" in t for t in titles + _titles(city.head))


def test_nothing_is_told_upward_for_a_superior_outside_the_product(world, city):
    city.committee.memberships.all().delete()
    assert upward_warnings_sweep(now=datetime(2025, 6, 20, tzinfo=HANOI) + timedelta(0)) == {
        "superior_late": 0,
        "superior_waiting": 0,
        "plan_not_applied": 0,
    }
