from rest_framework import serializers

from notifications.models import Event


class EventSerializer(serializers.ModelSerializer):
    """The same shape as a live websocket message, plus `id` for convenience."""

    event = serializers.IntegerField(source="id", read_only=True)
    data = serializers.JSONField(source="payload", read_only=True)
    at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Event
        fields = ["event", "id", "type", "congress", "data", "at"]
        read_only_fields = fields
