"""TaskSerializer builds its dict directly (for speed); it must be exactly what DRF's generic
ModelSerializer loop over the same declared fields gives."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from workflows.api.serializers import TaskSerializer
from workflows.models import Task
from workflows.selectors.tasks import task_list

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
S = Task.Status


def _both(user, tasks):
    request = APIRequestFactory().get("/api/v1/tasks/")
    request.user = user
    fast, generic = [], []
    for task in task_list(user).filter(pk__in=[t.pk for t in tasks]).order_by("id"):
        serializer = TaskSerializer(task, context={"request": request})
        fast.append(serializer.to_representation(task))
        generic.append(dict(serializers.ModelSerializer.to_representation(serializer, task)))
    return fast, generic


@pytest.mark.parametrize("who", ["docs_member", "docs_head", "steering_head", "staff"])
def test_task_representation_is_the_generic_one(world, make_task, who):
    first = make_task(status=S.DONE, completed_at=datetime(2025, 7, 1, 9, 30, tzinfo=HANOI))
    tasks = [
        first,
        make_task(depends_on=[first], starts_on=date(2025, 7, 2), parent=first),
        make_task(status=S.IN_PROGRESS, requires_review=False, due_at=None, description=""),
        make_task(status=S.IN_REVIEW, assignee=None),
        make_task(status=S.BLOCKED, body=world.personnel, assignee=world.personnel_member),
        make_task(status=S.TODO, depends_on=[first], due_at=datetime(2020, 1, 1, tzinfo=HANOI)),
    ]
    fast, generic = _both(getattr(world, who), tasks)
    assert fast == generic
    assert [list(row) for row in fast] == [list(row) for row in generic]  # same key order
    assert fast
