"""Two leaders applying the same plan, or re-dating, at the same moment: the congress row lock
lets exactly one apply win (the other gets a 409) and runs re-dates one after the other.
Needs PostgreSQL (real row locks across connections)."""

import threading
from datetime import date

import pytest
from django.db import connections

from congress.errors import Conflict
from congress.models import Congress, PlanItem, PlanTemplate
from workflows.models import Task
from workflows.services.plans import Applied, plan_apply, plan_redate

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def race(*calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as error:  # the losing side's Conflict is the point of the test
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return results


@pytest.fixture
def template(db):
    template = PlanTemplate.objects.create(name="Kế hoạch rút gọn")
    first = PlanItem.objects.create(
        template=template, key="a", title="Đề cương", body_kind="documents", offset_days=30
    )
    PlanItem.objects.create(
        template=template,
        key="b",
        title="Dự thảo",
        body_kind="documents",
        anchor="item",
        after=first,
        offset_days=5,
    )
    return template


@pytest.mark.parametrize("round_", range(3))
def test_two_leaders_applying_the_plan_at_once_create_it_once(world, template, round_):
    results = race(
        lambda: plan_apply(
            actor=world.steering_head, congress_id=world.congress.pk, template_id=template.pk
        ),
        lambda: plan_apply(
            actor=world.staff, congress_id=world.congress.pk, template_id=template.pk
        ),
    )

    won = [r for r in results if isinstance(r, Applied)]
    lost = [r for r in results if isinstance(r, Conflict)]
    assert (len(won), len(lost)) == (1, 1)
    assert lost[0].code == "plan_already_applied"
    assert Task.objects.filter(congress=world.congress).count() == 2


def test_two_redates_at_once_run_one_after_the_other(world, template):
    plan_apply(actor=world.staff, congress_id=world.congress.pk, template_id=template.pk)

    results = race(
        lambda: plan_redate(
            actor=world.steering_head, congress_id=world.congress.pk, opens_on=date(2025, 10, 2)
        ),
        lambda: plan_redate(
            actor=world.staff, congress_id=world.congress.pk, opens_on=date(2025, 10, 9)
        ),
    )

    assert not [r for r in results if isinstance(r, Exception)]
    congress = Congress.objects.get(pk=world.congress.pk)
    final = next(r for r in results if r.new_opens_on == congress.opens_on)
    first = next(r for r in results if r is not final)
    # The second re-date waited for the first and moved the plan from where it had left it.
    assert (first.old_opens_on, final.old_opens_on) == (date(2025, 9, 18), first.new_opens_on)
    assert congress.plan_opens_on == congress.opens_on
    assert sorted(Task.objects.values_list("due_at", flat=True)) == sorted(
        m.new_due_at for m in final.moves
    )
