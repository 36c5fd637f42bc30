"""What of the outbox and the inbox a user may see: the visibility rule of congress.selectors,
applied with the body's confidentiality of now, not the flag copied when the row was made
(ARCHITECTURE §5: a body made confidential later hides its past events and notifications)."""

from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Coalesce

from congress.selectors import visible_q
from notifications.models import Event, Notification


def _with_confidential_now(queryset: QuerySet) -> QuerySet:
    # A row whose body was deleted keeps the flag it was made with.
    return queryset.annotate(confidential_now=Coalesce("body__confidential", "confidential"))


def events_visible_to(user) -> QuerySet[Event]:
    return _with_confidential_now(Event.objects.all()).filter(
        visible_q(user, congress="congress_id", body="body_id", confidential="confidential_now")
    )


def notifications_of(user) -> QuerySet[Notification]:
    """The user's inbox as they may read it today: a notification about a congress they have
    left, or about the work of a body they may no longer see, is not shown (nor counted)."""
    own = _with_confidential_now(Notification.objects.filter(recipient=user))
    visible = Q(congress_id__isnull=True) | visible_q(
        user, congress="congress_id", body="body_id", confidential="confidential_now"
    )
    return own.filter(visible).order_by("-created_at", "-id")


def last_event_id(user, congress) -> int:
    """The newest event of the congress the user may see: a page rendered now has seen it, so
    its live connection asks only for what comes after."""
    found = events_visible_to(user).filter(congress=congress).aggregate(last=Max("id"))
    return found["last"] or 0


def unread_count(user) -> int:
    return notifications_of(user).filter(read_at__isnull=True).count()
