from django.conf import settings
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from congress.api import serializers as s
from congress.api.common import MAX_ID
from congress.selectors import memberships_of_user
from notifications import services
from notifications.api.serializers import (
    EventSerializer,
    NotificationSerializer,
    PreferenceSerializer,
)
from notifications.models import Category, Event, Notification
from notifications.selectors import events_visible_to, notifications_of


class EventFilter(filters.FilterSet):
    congress = filters.NumberFilter(field_name="congress_id", min_value=1, max_value=MAX_ID)
    after = filters.NumberFilter(field_name="id", lookup_expr="gt", min_value=0, max_value=MAX_ID)
    type = filters.CharFilter(max_length=64)

    class Meta:
        model = Event
        fields = ["congress", "after", "type"]


class EventViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Events you may see, in sequence order: catch up with `?after=<last event id>`."""

    serializer_class = EventSerializer
    filterset_class = EventFilter
    filter_backends = [filters.DjangoFilterBackend]

    def get_queryset(self):
        return events_visible_to(self.request.user).order_by("id")


class NotificationFilter(filters.FilterSet):
    unread = filters.TypedChoiceFilter(
        choices=[("true", "true"), ("false", "false"), ("1", "1"), ("0", "0")],
        coerce=lambda value: value in ("true", "1"),
        method="filter_unread",
    )
    category = filters.MultipleChoiceFilter(choices=Category.choices)

    class Meta:
        model = Notification
        fields = ["unread", "category"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value)


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your in-app inbox, newest first."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    filter_backends = [filters.DjangoFilterBackend]
    lookup_value_regex = "[0-9]{1,18}"

    queryset = Notification.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        return notifications_of(self.request.user)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        response.data["unread_count"] = (
            notifications_of(request.user).filter(read_at__isnull=True).count()
        )
        return response

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.notification_mark_read(user=request.user, notification_id=pk)
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses=dict)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked_read": services.notifications_mark_all_read(user=request.user)})


class PreferenceView(APIView):
    @extend_schema(responses=PreferenceSerializer)
    def get(self, request):
        return Response(PreferenceSerializer(services.preference_for(request.user)).data)

    @extend_schema(request=PreferenceSerializer, responses=PreferenceSerializer)
    def put(self, request):
        serializer = PreferenceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        preference = services.preference_update(user=request.user, **serializer.validated_data)
        return Response(PreferenceSerializer(preference).data)


class CalendarTokenView(APIView):
    """Issue a new calendar feed URL; the old one stops working."""

    @extend_schema(request=None, responses=dict)
    def post(self, request):
        preference = services.calendar_token_rotate(user=request.user)
        return Response({"calendar_url": calendar_url(preference, request)})


def calendar_url(preference, request=None) -> str:
    """The feed's address: built from the request it answers (the host and port the client
    reached), else from SITE_URL."""
    path = f"/calendar/{preference.calendar_token}.ics"
    return request.build_absolute_uri(path) if request is not None else f"{settings.SITE_URL}{path}"


class MeView(APIView):
    @extend_schema(responses=s.MeSerializer)
    def get(self, request):
        user = request.user
        memberships = memberships_of_user(user)
        return Response(
            {
                **s.UserSerializer(user).data,
                "is_staff": user.is_staff,
                "calendar_url": calendar_url(services.preference_for(user), request),
                "memberships": s.MembershipOfUserSerializer(memberships, many=True).data,
            }
        )
