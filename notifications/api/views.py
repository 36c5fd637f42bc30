from django_filters import rest_framework as filters
from rest_framework import mixins, viewsets

from notifications.api.serializers import EventSerializer
from notifications.models import Event
from notifications.selectors import events_visible_to

MAX_ID = 10**18


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
