"""What a notification says, in the recipient's language (Vietnamese unless they chose English).

Confidential work (the personnel subcommittee) is named in the in-app inbox, which only people
allowed to see it reach, but never described in an email: the email says where to look.
"""

from datetime import datetime

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from notifications.models import Category, Event


def link_for(kind: str, object_id: int, data: dict | None = None) -> str:
    if kind == "comment" and data and data.get("task"):
        return f"/tasks/{data['task']}/"
    if kind == "comment" and data and data.get("document"):
        return f"/documents/{data['document']}/"
    return {
        "task": f"/tasks/{object_id}/",
        "document": f"/documents/{object_id}/",
        "congress": f"/congresses/{object_id}/",
        "proposal": "/proposals/",
    }.get(kind, "/")


def _title(event: Event, category: str) -> str:
    data = event.payload
    title = data.get("title") or ""
    transition = data.get("transition")
    if category == Category.MENTION:
        return _("You were mentioned: %(title)s") % {"title": title}
    if category == Category.ASSIGNMENT:
        return _("New task assigned to you: %(title)s") % {"title": title}
    if event.type == "body.proposal_made":
        return _("To confirm: %(title)s") % {"title": title}
    if event.type == "body.proposal_decided":
        decided = {"confirmed": _("Confirmed: %(title)s"), "rejected": _("Rejected: %(title)s")}
        return decided.get(data.get("status"), _("Updated: %(title)s")) % {"title": title}
    if category == Category.REVIEW:
        return _("Waiting for your review: %(title)s") % {"title": title}
    if category == Category.COMMENT:
        return _("New comment on: %(title)s") % {"title": title}
    labels = {
        "approve": _("Approved: %(title)s"),
        "return": _("Returned for more work: %(title)s"),
        "cancel": _("Cancelled: %(title)s"),
        "reopen": _("Reopened: %(title)s"),
        "block": _("Blocked: %(title)s"),
        "unblock": _("Unblocked: %(title)s"),
    }
    return labels.get(transition, _("Updated: %(title)s")) % {"title": title}


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


def render(event: Event, category: str, language: str) -> tuple[str, str]:
    """(title, text) of the notification for one recipient."""
    with translation.override(language or "vi"):
        return _title(event, category)[:300], _text(event)
