from django.db.models import QuerySet

from congress.selectors import visible_q
from notifications.models import Event


def events_visible_to(user) -> QuerySet[Event]:
    return Event.objects.filter(
        visible_q(user, congress="congress_id", body="body_id", confidential="confidential")
    )


def notifications_of(user):
    from notifications.models import Notification

    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
