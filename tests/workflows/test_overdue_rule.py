""" "Overdue" is one rule (workflows.models.tasks.overdue_q / is_overdue): open and past its due
moment. The API filter, the task's `is_overdue`, the task list page's filter, the dashboard's
count and the digest agree on every state and due moment, the boundary included."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from workflows.digest import digest_for
from workflows.models import Task
from workflows.selectors.tasks import congress_dashboard, tasks_for_page

S = Task.Status
NOW = timezone.make_aware(timezone.datetime(2025, 8, 10, 9, 0))


@pytest.fixture
def tasks(world, make_task):
    made = {}
    for status in S.values:
        for when, due in (
            ("past", NOW - timedelta(hours=1)),
            ("now", NOW),  # due at this very moment: not yet late
            ("soon", NOW + timedelta(hours=5)),
            ("none", None),
        ):
            made[(status, when)] = make_task(status=status, due_at=due, title=f"{status} {when}")
    return made


def test_every_reader_of_overdue_agrees(world, api, tasks):
    expected = {
        t.pk
        for (status, when), t in tasks.items()
        if when == "past"
        and status
        in (
            S.TODO,
            S.IN_PROGRESS,
            S.IN_REVIEW,
            S.BLOCKED,
        )
    }
    assert len(expected) == 4
    user = world.docs_member
    with time_machine.travel(NOW, tick=False):
        listed = api(user).get("/api/v1/tasks/", {"overdue": "true", "page_size": 100}).json()
        by_filter = {row["id"] for row in listed["results"]}
        everything = api(user).get("/api/v1/tasks/", {"page_size": 100}).json()["results"]
        by_field = {row["id"] for row in everything if row["is_overdue"]}
        by_property = {t.pk for t in Task.objects.filter(congress=world.congress) if t.is_overdue}
        by_queryset = set(Task.objects.overdue().values_list("pk", flat=True))
        on_page = set(
            tasks_for_page(user, world.congress, scope="all", due="overdue").values_list(
                "pk", flat=True
            )
        )
        counted = congress_dashboard(user, world.congress)
        digest = digest_for(user, timezone.now())

    assert by_filter == by_field == by_property == by_queryset == on_page == expected
    assert counted["tasks"]["overdue"] == len(expected)
    assert {t.pk for t in digest.overdue} == expected
