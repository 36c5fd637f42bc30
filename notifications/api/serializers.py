from datetime import time

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from notifications import wire
from notifications.models import Category, Event, Notification

# Both serializers write what notifications.wire writes for the live websocket; their fields
# are here for the OpenAPI schema, their docstrings are its descriptions.


class EventSerializer(serializers.ModelSerializer):
    """The same shape as a live websocket message, plus `id` for convenience."""

    event = serializers.IntegerField(source="id", read_only=True)
    data = serializers.JSONField(source="payload", read_only=True)
    at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Event
        fields = ["event", "id", "type", "congress", "data", "at"]
        read_only_fields = fields

    def to_representation(self, event):
        return wire.event_message(event)


class NotificationSerializer(serializers.ModelSerializer):
    event = serializers.IntegerField(source="event_id", read_only=True, allow_null=True)
    unread = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "category",
            "title",
            "text",
            "link",
            "congress",
            "event",
            "created_at",
            "read_at",
            "unread",
        ]
        read_only_fields = fields

    def to_representation(self, notification):
        return wire.notification_data(notification)


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
        "example": "22:00",
    }
)
class ClockTimeField(serializers.TimeField):
    """A time of day on the wall clock ("22:00"), not an RFC 3339 time with an offset."""


class PreferenceSerializer(serializers.Serializer):
    email = serializers.DictField(
        child=serializers.BooleanField(),
        required=False,
        help_text="Email on (true) or off (false) per category.",
    )
    digest_hour = serializers.IntegerField(
        min_value=0, max_value=23, allow_null=True, required=False
    )
    quiet_start = ClockTimeField(allow_null=True, required=False)
    quiet_end = ClockTimeField(allow_null=True, required=False)
    categories = serializers.SerializerMethodField()

    def get_categories(self, preference) -> dict[str, str]:
        return {value: str(label) for value, label in Category.choices}

    def to_representation(self, preference):
        return {
            "email": {c: c not in preference.email_off for c in Category.values},
            "digest_hour": preference.digest_hour,
            "quiet_start": _time(preference.quiet_start),
            "quiet_end": _time(preference.quiet_end),
            "categories": self.get_categories(preference),
        }

    def validate_email(self, value):
        unknown = sorted(set(value) - set(Category.values))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown categories: %(names)s. Known: %(known)s.")
                % {"names": ", ".join(unknown)[:200], "known": ", ".join(Category.values)}
            )
        return value

    def validate(self, attrs):
        given = [name for name in ("quiet_start", "quiet_end") if name in attrs]
        values = [attrs.get("quiet_start"), attrs.get("quiet_end")]
        if given and (len(given) == 1 or (values[0] is None) != (values[1] is None)):
            raise serializers.ValidationError(
                {"quiet_end": [_("Give both the start and the end of quiet hours.")]}
            )
        return attrs


def _time(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value else None
