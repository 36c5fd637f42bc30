"""Bodies and their members. The view lives above the core because a body's changes are
audited and may wait for the standing committee (workflows.services.bodies, .memberships):
such a change answers 202 with the proposal it made."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from congress.api import serializers as s
from congress.api.common import ID
from congress.api.viewsets import ListCreatePatchViewSet
from congress.models import Body
from congress.selectors import bodies_visible_to, memberships_of_body
from workflows.api.proposals import ProposalSerializer
from workflows.api.serializers import AuditEntrySerializer
from workflows.models import RightsProposal
from workflows.selectors.bodies import body_history
from workflows.services.bodies import body_create, body_update
from workflows.services.memberships import membership_remove, membership_set


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

    @extend_schema(responses={201: s.BodySerializer, 202: ProposalSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        made = body_create(actor=request.user, **serializer.validated_data)
        if isinstance(made, RightsProposal):
            return self._proposed(made)
        return Response(s.BodySerializer(made).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: s.BodyUpdateSerializer, 202: ProposalSerializer})
    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        change = body_update(actor=request.user, body_id=instance.pk, **serializer.validated_data)
        if change.proposal is not None:
            return self._proposed(change.proposal, body=s.BodyUpdateSerializer(change.body).data)
        return Response(s.BodyUpdateSerializer(change.body).data)

    def _proposed(self, proposal, **extra) -> Response:
        data = ProposalSerializer(proposal, context=self.get_serializer_context()).data
        return Response({**data, **extra}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(methods=["GET"], responses=s.MemberSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=s.MemberSerializer,
        responses={201: s.MemberSerializer, 202: ProposalSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def members(self, request, pk=None):
        body = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(memberships_of_body(body))
            return self.get_paginated_response(s.MemberSerializer(page, many=True).data)
        serializer = s.MemberSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        made = membership_set(actor=request.user, body=body, **serializer.validated_data)
        if isinstance(made, RightsProposal):
            return self._proposed(made)
        return Response(s.MemberSerializer(made).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None, 202: ProposalSerializer})
    @action(detail=True, methods=["delete"], url_path=rf"members/(?P<user_id>{ID})")
    def member_remove(self, request, pk=None, user_id=None):
        body = self.get_object()
        proposal = membership_remove(actor=request.user, body=body, user_id=int(user_id))
        if proposal is not None:
            return self._proposed(proposal)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=AuditEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """Who changed the body's name, kind, place or confidentiality, and when."""
        body = self.get_object()
        page = self.paginate_queryset(body_history(body))
        return self.get_paginated_response(AuditEntrySerializer(page, many=True).data)
