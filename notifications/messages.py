"""What a notification says, in the recipient's language (Vietnamese unless they chose English).

Confidential work (the personnel subcommittee) is named in the in-app inbox, which only people
allowed to see it reach, but never described in an email: the email says where to look.
"""

from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from congress.validation import fold_line
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


def email_content(notifications, language: str, site_url: str) -> tuple[str, str, str]:
    """(subject, text, html) of one email for one or several notifications of one recipient."""
    with translation.override(language or "vi"):
        if len(notifications) == 1:
            first = notifications[0]
            subject = (
                _("[Congress Prep] Confidential update") if first.confidential else first.title
            )
        else:
            subject = _("[Congress Prep] %(count)s new notifications") % {
                "count": len(notifications)
            }
        # A header holds one line: a title written before titles were checked
        # (congress.validation) may still hold a line break.
        subject = fold_line(subject)
        context = {"notifications": notifications, "site_url": site_url, "subject": subject}
        text = render_to_string("notifications/email.txt", context)
        html = render_to_string("notifications/email.html", context)
        return subject[:200], text, html
