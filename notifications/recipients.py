"""Who hears of an event, under which category and with which title (ARCHITECTURE §§3 and 5).

The event's kind says who (notifications.registry, declared by the app that records it), and
everything needed is on the event (audience, mentions, and the reviewers the recording
service named by its rules), so this module never looks into another app. Every list is
filtered by the visibility rule: a confidential event never reaches someone who may not see
it.
"""

from django.utils.translation import gettext_lazy as _

from congress.selectors import body_head_ids, users_seeing_work_of
from notifications import registry
from notifications.models import Category, Event
from notifications.registry import Told

SUMMARIZED = "summarized"  # the key notifications.summaries sets on such events

# Whoever an event mentions hears of it first, whatever its kind.
MENTIONED = Told(registry.MENTIONS, Category.MENTION, _("You were mentioned: %(title)s"))


def recipients_for(event: Event) -> dict[int, str]:
    """user id -> category, without the actor, filtered by visibility."""
    return {user_id: told.category for user_id, told in told_by_user(event).items()}


def told_by_user(event: Event) -> dict[int, Told]:
    """user id -> what they are told, without the actor, filtered by visibility. Nobody for
    an event of a bulk change whose people are told by one summary each
    (notifications.summaries)."""
    if event.payload.get(SUMMARIZED):
        return {}
    wanted: dict[int, Told] = {}
    for told in (MENTIONED, *_kind(event).told_of(event.payload)):
        for user_id in _who(event, told.who):
            # The first reason wins: a mention outranks the kind's own reasons.
            if user_id:
                wanted.setdefault(user_id, told)
    wanted.pop(event.actor_id, None)
    visible = users_seeing_work_of(
        congress_id=event.congress_id, body=event.body, user_ids=wanted.keys()
    )
    return {user_id: told for user_id, told in wanted.items() if user_id in visible}


def link_for(event: Event) -> str:
    """Where the event's notifications lead."""
    return _kind(event).link_of(event.payload)


def _kind(event: Event) -> registry.EventKind:
    # An event written before its kind was withdrawn tells nobody rather than stopping
    # dispatch (event_record refuses new ones).
    try:
        return registry.kind_of(event.type)
    except registry.UndeclaredEventKind:
        return registry.EventKind(event.type)


def _who(event: Event, rule: str) -> list[int]:
    data = event.payload
    if rule == registry.MENTIONS:
        return data.get("mentions", [])
    if rule == registry.ASSIGNEE:
        return [data.get("assignee")]
    if rule == registry.NEW_ASSIGNEE:
        return [data.get("assignee")] if "assignee" in data.get("changed", []) else []
    if rule == registry.REVIEWERS:
        return data.get("reviewers", [])
    if rule == registry.RAPPORTEUR:
        return [data.get("rapporteur")]
    if rule == registry.AUDIENCE:
        return event.audience
    if rule == registry.HEADS and event.body is not None:
        return sorted(body_head_ids(event.body))
    return []
