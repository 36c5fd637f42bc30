"""The task list answers byte for byte what it answered before it was made fast: the same rows,
count, links and fields, for readers of every kind and the filters clients use.

The reference is the earlier way, kept here: the selector that prefetched the visible
dependencies as Task rows, django-filter's multiple-choice filters with their DISTINCT, DRF's
paginator with its separate COUNT, and DRF's generic serializer loop.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_filters import rest_framework as filters
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from congress.api.pagination import PageNumberPagination
from tests.factories import TaskFactory
from workflows.api.filters import TaskFilter
from workflows.api.serializers import TaskSerializer
from workflows.api.views import TaskViewSet
from workflows.models import Task
from workflows.selectors.tasks import tasks_visible_to

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
S = Task.Status


def reference_task_list(user):
    open_dependencies = (
        Task.depends_on.through.objects.filter(from_task_id=OuterRef("pk"))
        .exclude(to_task__status=Task.Status.DONE)
        .order_by()
        .values("from_task_id")
        .annotate(count=Count("to_task"))
        .values("count")
    )
    visible_dependencies = Prefetch(
        "depends_on", queryset=tasks_visible_to(user).only("pk"), to_attr="visible_dependencies"
    )
    parent_visible = Exists(tasks_visible_to(user).filter(pk=OuterRef("parent_id")))
    return (
        tasks_visible_to(user)
        .select_related("body", "assignee", "congress")
        .prefetch_related(visible_dependencies)
        .annotate(
            open_dependency_count=Coalesce(Subquery(open_dependencies), 0),
            parent_visible=parent_visible,
        )
    )


class ReferenceTaskFilter(TaskFilter):
    status = filters.MultipleChoiceFilter(choices=Task.Status.choices)
    priority = filters.MultipleChoiceFilter(choices=Task.Priority.choices)


class ReferenceTaskSerializer(TaskSerializer):
    def to_representation(self, task):
        return serializers.ModelSerializer.to_representation(self, task)

    def get_depends_on(self, task):
        return sorted(t.pk for t in task.visible_dependencies)


class ReferenceTaskViewSet(TaskViewSet):
    filterset_class = ReferenceTaskFilter
    pagination_class = PageNumberPagination

    def get_queryset(self):
        return reference_task_list(self.request.user)

    def get_serializer_class(self):
        return ReferenceTaskSerializer


@pytest.fixture
def tasks(world):
    """Tasks of every body, state and priority; due in the past, the future or never; with
    parents and dependencies that cross into the confidential personnel subcommittee."""
    now = timezone.now()
    bodies = [world.docs, world.personnel, world.orgbody, world.steering, world.sc]
    assignees = [world.docs_member, world.personnel_member, None, world.sc_head, world.docs_head]
    states = [S.TODO, S.IN_PROGRESS, S.IN_REVIEW, S.BLOCKED, S.DONE, S.CANCELLED]
    priorities = ["low", "normal", "high", "urgent"]
    made = []
    for i in range(36):
        due = None if i % 7 == 3 else now + timedelta(days=(i % 9) - 4, hours=i)
        task = TaskFactory(
            body=bodies[i % len(bodies)],
            assignee=assignees[(i // 2) % len(assignees)],
            created_by=world.steering_head,
            status=states[i % len(states)],
            priority=priorities[i % len(priorities)],
            requires_review=i % 3 != 0,
            due_at=due,
            title=f"{'Báo cáo' if i % 2 else 'Nhiệm vụ'} {i}",
            description="Dự thảo văn kiện" if i % 4 == 0 else "",
            parent=made[i - 3] if i % 5 == 4 else None,
            completed_at=datetime(2025, 7, 1, 9, 30, tzinfo=HANOI) if i % 6 == 4 else None,
        )
        if made:
            task.depends_on.set(made[-3:] if i % 2 else made[-1:])
        made.append(task)
    return made


QUERIES = [
    "",
    "?status=todo&status=in_progress&status=blocked",
    "?status=done&status=cancelled&priority=high&priority=urgent",
    "?assignee=me",
    "?assignee=me&status=todo&status=in_review",
    "?overdue=true",
    "?overdue=false&ordering=-due_at",
    "?search=Báo",
    "?search=văn kiện&ordering=title",
    "?ordering=priority,-id",
    "?ordering=-status&page_size=7&page=2",
    "?page_size=5&page=3",
    "?page_size=5&page=99",
    "?status=todo&page=last&page_size=4",
    "?status=nonsense",
]


@pytest.mark.parametrize("who", ["docs_member", "personnel_member", "sc_head", "staff"])
def test_task_list_answers_what_the_earlier_way_answered(world, tasks, api, who):
    user = getattr(world, who)
    client = api(user)
    token = client._credentials["HTTP_AUTHORIZATION"]
    reference = ReferenceTaskViewSet.as_view({"get": "list"})
    for query in QUERIES:
        answer = client.get(f"/api/v1/tasks/{query}")
        request = APIRequestFactory().get(f"/api/v1/tasks/{query}", HTTP_AUTHORIZATION=token)
        expected = reference(request).render()

        assert (answer.status_code, answer.content) == (expected.status_code, expected.content), (
            who,
            query,
        )
    assert client.get("/api/v1/tasks/?page_size=200").json()["count"] == len(
        reference_task_list(user)
    )
