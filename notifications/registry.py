"""The one list of event kinds (after Saleor's `webhook/event_types.py`).

Each app declares the kinds it emits, once, in its own `events.py`: the name written in the
outbox, who hears of such an event, under which category and with which title, and the page
its notification leads to. `event_record` refuses a kind nobody declared, and dispatch reads
the declaration, so notifications never knows another app's transitions or pages.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.urls import reverse

# Who hears of an event: rules reading the event alone (its payload, audience and body).
MENTIONS = "mentions"  # the payload's "mentions" (every kind tells them, first)
ASSIGNEE = "assignee"  # the payload's "assignee"
NEW_ASSIGNEE = "new_assignee"  # the same, when the event changed the assignee
REVIEWERS = "reviewers"  # the payload's "reviewers", named by the recording service
RAPPORTEUR = "rapporteur"  # the payload's "rapporteur"
AUDIENCE = "audience"  # the event's audience
HEADS = "heads"  # the heads of the event's body
RULES = (MENTIONS, ASSIGNEE, NEW_ASSIGNEE, REVIEWERS, RAPPORTEUR, AUDIENCE, HEADS)


class UndeclaredEventKind(LookupError):
    pass


@dataclass(frozen=True)
class Told:
    """One group of people an event tells: who, under which category (a
    notifications.models.Category), and their notification's title (a lazy msgid taking
    %(title)s)."""

    who: str
    category: str
    title: str

    def __post_init__(self):
        if self.who not in RULES:
            raise ValueError(f"Unknown recipients rule {self.who!r}")


@dataclass(frozen=True)
class EventKind:
    """An event kind: `told` lists who hears of it, first reason first (a person named twice
    is told once, for the first). When what it tells depends on one of its payload's fields
    (a transition, a decision), `by` names the field and `told_by` gives the groups per
    value; `told` then applies to the values not listed. `links` are (URL name, payload
    field of its argument, "" for none): the first whose field the event has is where its
    notification leads; "/" when none has."""

    name: str
    told: tuple[Told, ...] = ()
    by: str = ""
    told_by: Mapping[str, tuple[Told, ...]] = field(default_factory=dict)
    links: tuple[tuple[str, str], ...] = ()

    def told_of(self, payload: dict) -> tuple[Told, ...]:
        if self.by:
            return self.told_by.get(payload.get(self.by), self.told)
        return self.told

    def link_of(self, payload: dict) -> str:
        for url_name, argument in self.links:
            if not argument:
                return reverse(url_name)
            if payload.get(argument):
                return reverse(url_name, args=[payload[argument]])
        return "/"


_KINDS: dict[str, EventKind] = {}


def register(kind: EventKind | str) -> str:
    """Declare an event kind (a bare name for a kind that tells nobody: the live stream and
    the events API carry it) and return its name, for the emitting app's constant."""
    if isinstance(kind, str):
        kind = EventKind(kind)
    known = _KINDS.setdefault(kind.name, kind)
    if known != kind:
        raise ValueError(f"Event kind {kind.name!r} is declared twice")
    return kind.name


def kind_of(name: str) -> EventKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise UndeclaredEventKind(f"No app declares the event kind {name!r}") from None


def declared() -> dict[str, EventKind]:
    return dict(_KINDS)
