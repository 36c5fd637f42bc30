from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from congress.api.pagination import CountInPagePagination
from congress.api.serializers import (
    TransitionInputSerializer,
)
from congress.api.viewsets import ListCreatePatchViewSet
from workflows.api import serializers as s
from workflows.api.filters import TaskFilter
from workflows.api.writes import ServiceWritesMixin, service_writes
from workflows.selectors.tasks import (
    task_comments,
    task_get,
    task_history,
    task_list,
)
from workflows.services.tasks import task_comment_add, task_create, task_transition, task_update


@service_writes(representation=s.TaskSerializer, transition_input=TransitionInputSerializer)
class TaskViewSet(ServiceWritesMixin, ListCreatePatchViewSet):
    """Tasks of the congresses you belong to, through the visibility rule."""

    filterset_class = TaskFilter
    pagination_class = CountInPagePagination  # the page and its count in one query
    search_fields = ["title", "description"]
    ordering_fields = ["due_at", "priority", "status", "title", "created_at", "updated_at", "id"]
    ordering = ["due_at", "id"]

    def get_queryset(self):
        return task_list(self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return s.TaskCreateSerializer
        if self.action in ("update", "partial_update"):
            return s.TaskWriteSerializer
        if self.action == "comments":
            return s.CommentSerializer
        if self.action == "transition":
            return TransitionInputSerializer
        return s.TaskSerializer

    getter = staticmethod(task_get)
    create_service = staticmethod(task_create)
    update_service = staticmethod(task_update)
    transition_service = staticmethod(task_transition)
    id_field = "task_id"

    @extend_schema(responses=s.AuditEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        task = self.get_object()
        page = self.paginate_queryset(task_history(task))
        return self.get_paginated_response(s.AuditEntrySerializer(page, many=True).data)

    @extend_schema(methods=["GET"], responses=s.CommentSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=s.CommentSerializer, responses={201: s.CommentSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        task = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(task_comments(task))
            return self.get_paginated_response(s.CommentSerializer(page, many=True).data)
        serializer = s.CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = task_comment_add(actor=request.user, task_id=task.pk, **serializer.validated_data)
        return Response(s.CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
