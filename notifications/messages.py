"""What a notification says, in the recipient's language (Vietnamese unless they chose English).

Confidential work (the personnel subcommittee) is named in the in-app inbox, which only people
allowed to see it reach, but never described in an email: the email says where to look.
"""

from datetime import datetime

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from notifications.models import Event
from notifications.registry import Told


def _text(event: Event) -> str:
    data = event.payload
    parts = []
    if data.get("note"):
        parts.append(_("Note: %(note)s") % {"note": data["note"]})
    if data.get("due_at"):
        parts.append(_("Due: %(due)s") % {"due": _local_date(data["due_at"])})
    return "\n".join(parts)


def _local_date(iso: str) -> str:
    """An event's ISO timestamp as a local date (DATE_FORMAT: dd/mm/yyyy)."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso[:10]
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return date_format(moment)


def render(event: Event, told: Told, language: str) -> tuple[str, str]:
    """(title, text) of the notification for one recipient, told as their kind says
    (notifications.recipients)."""
    with translation.override(language or "vi"):
        title = str(told.title) % {"title": event.payload.get("title") or ""}
        return title[:300], _text(event)
