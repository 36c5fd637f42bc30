"""Bodies and their members. The view lives above the core because a body's changes are
audited (workflows.services.bodies); creating bodies and changing members stay core services."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from congress import services
from congress.api import serializers as s
from congress.api.common import ID
from congress.api.viewsets import ListCreatePatchViewSet
from congress.models import Body
from congress.selectors import bodies_visible_to, memberships_of_body
from workflows.api.serializers import AuditEntrySerializer
from workflows.selectors.bodies import body_history
from workflows.services.bodies import body_update


class BodyFilter(filters.FilterSet):
    congress = filters.NumberFilter(field_name="congress_id", min_value=1, max_value=10**18)

    class Meta:
        model = Body
        fields = ["congress", "kind"]


class BodyViewSet(ListCreatePatchViewSet):
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    filterset_class = BodyFilter
    search_fields = ["name"]

    def get_queryset(self):
        return bodies_visible_to(self.request.user).order_by("congress_id", "id")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return s.BodyUpdateSerializer
        if self.action in ("members", "member_remove"):
            return s.MemberSerializer
        if self.action == "history":
            return AuditEntrySerializer
        return s.BodySerializer

    def destroy(self, request, *args, **kwargs):
        return self.http_method_not_allowed(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.body_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = body_update(
            actor=self.request.user, body_id=serializer.instance.pk, **serializer.validated_data
        )

    @extend_schema(methods=["GET"], responses=s.MemberSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=s.MemberSerializer, responses={201: s.MemberSerializer}
    )
    @action(detail=True, methods=["get", "post"])
    def members(self, request, pk=None):
        body = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(memberships_of_body(body))
            return self.get_paginated_response(s.MemberSerializer(page, many=True).data)
        serializer = s.MemberSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        membership = services.membership_add(
            actor=request.user, body=body, **serializer.validated_data
        )
        return Response(s.MemberSerializer(membership).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["delete"], url_path=rf"members/(?P<user_id>{ID})")
    def member_remove(self, request, pk=None, user_id=None):
        body = self.get_object()
        services.membership_remove(actor=request.user, body=body, user_id=int(user_id))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=AuditEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """Who changed the body's name, kind, place or confidentiality, and when."""
        body = self.get_object()
        page = self.paginate_queryset(body_history(body))
        return self.get_paginated_response(AuditEntrySerializer(page, many=True).data)
