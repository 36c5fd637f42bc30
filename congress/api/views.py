from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from congress import accounts, login_throttle, services
from congress.api import serializers as s
from congress.api.auth import TokenAuthentication
from congress.api.common import ID
from congress.api.viewsets import ListCreatePatchViewSet
from congress.selectors import (
    congresses_visible_to,
    organizations_visible_to,
    users_visible_to,
)


class TokenView(APIView):
    """POST: exchange a username and password for a new API token (one per login, so one per
    device). DELETE: revoke the token the call is made with."""

    authentication_classes = [TokenAuthentication]

    def initialize_request(self, request, *args, **kwargs):
        # Logging in reads no credentials but the body's: a stale token left in the header
        # must not turn the login into a 401.
        self.logging_in = request.method == "POST"
        return super().initialize_request(request, *args, **kwargs)

    def get_authenticators(self):
        return [] if getattr(self, "logging_in", False) else super().get_authenticators()

    def get_permissions(self):
        return [AllowAny()] if self.logging_in else super().get_permissions()

    def get_authenticate_header(self, request):
        return "Token"  # so a wrong password is a 401, not a 403

    @extend_schema(request=s.TokenRequestSerializer, responses=s.TokenSerializer)
    def post(self, request):
        serializer = s.TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        username = serializer.validated_data["username"]
        wait = login_throttle.seconds_locked(username, login_throttle.client_address(request))
        if wait:
            raise Throttled(wait=wait, detail=login_throttle.wait_message(wait))
        user = authenticate(request, **serializer.validated_data)
        if user is None or not user.is_active:
            raise AuthenticationFailed(_("Wrong username or password."))
        instance, token = accounts.token_issue(user)
        return Response({"token": token, "expiry": instance.expiry})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        accounts.token_revoke(actor=request.user, token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Users who share a congress with you; staff see and create all."""

    lookup_value_regex = ID
    search_fields = ["username", "first_name", "last_name", "email"]
    ordering_fields = ["username", "last_name", "id"]
    ordering = ["username"]

    def get_queryset(self):
        return users_visible_to(self.request.user).order_by("username")

    def get_serializer_class(self):
        return s.UserCreateSerializer if self.action == "create" else s.UserSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_create(actor=request.user, **serializer.validated_data)
        return Response(s.UserSerializer(user).data, status=status.HTTP_201_CREATED)


class OrganizationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.OrganizationSerializer
    lookup_value_regex = ID
    search_fields = ["name"]
    filterset_fields = ["level"]

    def get_queryset(self):
        return organizations_visible_to(self.request.user).order_by("name", "id")

    def perform_create(self, serializer):
        serializer.instance = services.organization_create(
            actor=self.request.user, **serializer.validated_data
        )


class CongressViewSet(ListCreatePatchViewSet):
    filterset_fields = ["organization", "status"]
    ordering_fields = ["opens_on", "id"]

    def get_queryset(self):
        return congresses_visible_to(self.request.user).order_by("opens_on", "id")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return s.CongressUpdateSerializer
        return s.CongressSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        s.reject_status_writes(serializer)
        data = serializer.validated_data
        data.pop("status", None)
        with transaction.atomic():  # what the answer shows is derived: saved only if it renders
            congress = services.congress_create(actor=request.user, **data)
            body = self.get_serializer(congress).data
        return Response(body, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        congress = self.get_object()
        serializer = self.get_serializer(congress, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        s.reject_status_writes(serializer)
        with transaction.atomic():
            congress = services.congress_update(
                actor=request.user, congress_id=congress.pk, **serializer.validated_data
            )
            body = self.get_serializer(congress).data
        return Response(body)
