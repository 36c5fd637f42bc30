"""Small template helpers of the pages: status badges, mentions, dates in words."""

import re

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congress.numerals import roman as to_roman
from congress.selectors import plan_dated_for_other_opening

register = template.Library()

_MENTION = re.compile(r"(?<![\w@])@([\w.+-]{1,150})")


@register.filter
def roman(number) -> str:
    return to_roman(int(number))


@register.filter
def mentions(text: str) -> str:
    """Escape the text, keep its line breaks, and set @mentions apart."""
    escaped = escape(text or "")
    marked = _MENTION.sub(lambda m: f'<span class="mention">@{m.group(1)}</span>', escaped)
    return mark_safe(marked.replace("\n", "<br>"))


@register.filter
def days_left(days: int) -> str:
    days = int(days)
    if days > 0:
        return ngettext("%(n)s day left", "%(n)s days left", days) % {"n": days}
    if days == 0:
        return _("today")
    return ngettext("%(n)s day ago", "%(n)s days ago", -days) % {"n": -days}


@register.simple_tag
def due_class(obj) -> str:
    """`overdue` for an open task past its deadline, `soon` for one due within 3 days."""
    due = getattr(obj, "due_at", None)
    if due is None:
        return ""
    if getattr(obj, "is_overdue", False):
        return "overdue"
    open_states = getattr(type(obj), "OPEN_STATES", ())
    if obj.status in open_states and (due - timezone.now()).days < 3:
        return "soon"
    return ""


@register.filter
def user_name(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.username


@register.filter
def initials(user) -> str:
    name = user_name(user)
    parts = [p for p in name.split() if p]
    return (parts[-1][:1] if parts else "?").upper()


def _state_labels() -> dict:
    from workflows.models import Document, Task

    return {**dict(Task.Status.choices), **dict(Document.Status.choices)}


@register.filter
def state_label(value: str) -> str:
    return str(_state_labels().get(value, value))


@register.filter
def history_verb(transition: str) -> str:
    from workflows.web.actions import HISTORY_VERBS

    return str(HISTORY_VERBS.get(transition, transition))


@register.filter
def plan_stale_opening(congress):
    """The opening the plan is dated for, when the congress now opens on another day."""
    return plan_dated_for_other_opening(congress) if congress else None
