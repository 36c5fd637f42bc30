"""Deadline reminders: record each reminder once and deliver it to the people it concerns.

The sweep that finds what is due lives in workflows (it knows tasks and documents) and hands
this module plain `ReminderSpec`s; nothing here looks into workflows.

Exactly once, whatever the retries and however many sweeps run at the same time: a reminder's
row is inserted with `INSERT ... ON CONFLICT DO NOTHING RETURNING id` on its unique key
(object kind, object id, kind, deadline), and only the sweep whose insert returned the id
creates the reminder's notifications and emails, in the same transaction. A concurrent sweep
inserting the same key waits for the winner's commit, then gets no id and creates nothing.
Each chunk is a transaction of its own that inserts its rows in key order, so two sweeps
never wait for each other in a cycle.

Work goes in chunks with a constant number of queries each, never a query per reminder.
"""

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congress.selectors import roles_of_users
from notifications.delivery import About, notification_build, notifications_deliver
from notifications.models import Notification, Reminder

CHUNK = 500


@dataclass(frozen=True, eq=False)
class ReminderSpec:
    """One reminder the sweep found due. `recipients` maps user id to the notification
    category; they are filtered here by the visibility rule of the object's body."""

    congress_id: int
    object_kind: str  # task, document, congress
    object_id: int
    kind: str  # due_3d, overdue, escalation, consultation_1d, superior_review_7d...
    deadline: datetime
    recipients: Mapping[int, str]
    subject: str  # what is due: the task's or document's title, the congress's title
    days: int | None = None
    body_id: int | None = None
    confidential: bool = False
    link: str = ""
    # What the text may mention: "person" (whose work, for an escalation), "opens_on" and
    # "working_days" (for the superior review).
    facts: Mapping[str, object] = field(default_factory=dict)

    @property
    def key(self) -> tuple:
        return (self.object_kind, self.object_id, self.kind, self.deadline)


@dataclass
class Sent:
    reminders: list[Reminder] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)


def reminder_send(**spec) -> Sent:
    """Record and deliver one reminder (keyword arguments of ReminderSpec), exactly once."""
    return reminders_send([ReminderSpec(**spec)])


def reminders_send(
    specs: Iterable[ReminderSpec], *, limit: int | None = None, until: float | None = None
) -> Sent:
    """Record and deliver the reminders not sent yet: the Reminder row, an inbox notification
    per recipient who may see the object, a queued email (the recipient's preferences, the
    batching window and quiet hours apply) and a live message after the commit.

    The specs are taken in the order given, so the caller puts the most urgent first. With a
    `limit`, at most that many reminders are sent; the others are not recorded, so the next
    call finds them again (a backlog is spread over several sweeps, none lost, none twice).
    With `until` (a time.monotonic() instant), no chunk starts after it once some reminder
    is sent (so that each call sends something while anything is due).

    A reminder none of whose recipients may see its object is not recorded, so it still goes
    out once someone may see it (a head appointed, a member added back)."""
    unique: dict[tuple, ReminderSpec] = {}
    for spec in specs:
        unique.setdefault(spec.key, spec)
    ordered = list(unique.values())
    sent = Sent()
    for start in range(0, len(ordered), CHUNK):
        room = None if limit is None else limit - len(sent.reminders)
        if room is not None and room <= 0:
            break
        if sent.reminders and until is not None and time.monotonic() >= until:
            break
        chunk = _send_chunk(ordered[start : start + CHUNK], room)
        sent.reminders += chunk.reminders
        sent.notifications += chunk.notifications
    return sent


def _send_chunk(specs: list[ReminderSpec], room: int | None) -> Sent:
    wanted, users = _visible_recipients(_not_yet_sent(specs))
    if room is not None:
        wanted = wanted[:room]  # a concurrent sweep may win some: then this one sends fewer
    if not wanted:
        return Sent()
    # Rows are inserted in key order, whatever the urgency order of the chunks.
    wanted.sort(key=lambda item: item[0].key)
    with transaction.atomic():
        inserted = _insert([spec for spec, _recipients in wanted])
        sent = Sent(reminders=list(inserted.values()))
        for spec, recipients in wanted:
            reminder = inserted.get(spec.key)
            if reminder is not None:  # else a concurrent sweep won it and notifies
                sent.notifications += _notifications(spec, reminder, recipients, users)
        notifications_deliver(sent.notifications)
    return sent


def _visible_recipients(specs: list[ReminderSpec]) -> tuple[list, dict]:
    """[(spec, {user id: category})] for the specs that someone who may see them receives,
    and the users by id."""
    if not specs:
        return [], {}
    users, roles = _recipients_of(specs)
    wanted = []
    for spec in specs:
        visible = {
            user_id: category
            for user_id, category in spec.recipients.items()
            if user_id in users and _sees(users[user_id], roles[user_id], spec)
        }
        if visible:
            wanted.append((spec, visible))
    return wanted, users


def _not_yet_sent(specs: list[ReminderSpec]) -> list[ReminderSpec]:
    """Drop the reminders already recorded (one query), so that a sweep that finds nothing
    new writes nothing."""
    ids_by_kind: dict[str, set[int]] = {}
    for spec in specs:
        ids_by_kind.setdefault(spec.object_kind, set()).add(spec.object_id)
    lookup = Q()
    for object_kind, ids in ids_by_kind.items():
        lookup |= Q(object_kind=object_kind, object_id__in=sorted(ids))
    recorded = set(
        Reminder.objects.filter(lookup).values_list("object_kind", "object_id", "kind", "deadline")
    )
    return [spec for spec in specs if spec.key not in recorded]


def _recipients_of(specs: list[ReminderSpec]) -> tuple[dict, dict]:
    """The active recipients (one query) and their roles in these congresses (one query)."""
    user_ids = {user_id for spec in specs for user_id in spec.recipients}
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True).in_bulk()
    congress_ids = {spec.congress_id for spec in specs}
    return users, roles_of_users(users, congress_ids=congress_ids)


def _sees(user, roles, spec: ReminderSpec) -> bool:
    """ARCHITECTURE §5, the in-memory form of congress.selectors.users_seeing_work_of."""
    return user.is_staff or roles.sees_work(spec.congress_id, spec.body_id, spec.confidential)


def _insert(specs: list[ReminderSpec]) -> dict[tuple, Reminder]:
    """Insert the reminders' rows, skipping keys that exist; return the rows this call
    inserted, by key. Specs come sorted by key: each transaction locks its rows in ascending
    key order, so two sweeps never wait for each other in a cycle."""
    deadline = Reminder._meta.get_field("deadline")
    now = timezone.now()
    created_at = deadline.get_db_prep_value(now, connection)
    columns = ("object_kind", "object_id", "kind", "deadline", "congress_id", "created_at")
    params = []
    for spec in specs:
        params += [
            spec.object_kind,
            spec.object_id,
            spec.kind,
            deadline.get_db_prep_value(spec.deadline, connection),
            spec.congress_id,
            created_at,
        ]
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = (
        f"INSERT INTO {quote(Reminder._meta.db_table)} ({', '.join(map(quote, columns))}) "
        f"VALUES {', '.join([row] * len(specs))} "
        f"ON CONFLICT ({', '.join(map(quote, columns[:4]))}) DO NOTHING "
        f"RETURNING {quote('id')}, {', '.join(map(quote, columns[:3]))}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        inserted = {tuple(key): row_id for row_id, *key in cursor.fetchall()}
    if not inserted:
        return {}
    if len({spec.key[:3] for spec in specs}) < len(specs):
        # The same object and kind with two deadlines: tell the rows apart by reading them.
        return {
            (r.object_kind, r.object_id, r.kind, r.deadline): r
            for r in Reminder.objects.filter(pk__in=inserted.values())
        }
    # Otherwise the rows are built from the specs and the returned ids, not read back.
    by_key = {}
    for spec in specs:
        row_id = inserted.get(spec.key[:3])
        if row_id is not None:
            reminder = Reminder(
                id=row_id,
                object_kind=spec.object_kind,
                object_id=spec.object_id,
                kind=spec.kind,
                deadline=spec.deadline,
                congress_id=spec.congress_id,
                created_at=now,
            )
            reminder._state.adding, reminder._state.db = False, connection.alias
            by_key[spec.key] = reminder
    return by_key


def _notifications(spec, reminder, recipients: dict[int, str], users) -> list[Notification]:
    about = About(
        congress_id=spec.congress_id,
        body_id=spec.body_id,
        confidential=spec.confidential,
        link=spec.link,
        reminder=reminder,
    )
    rendered: dict[str, tuple[str, str]] = {}
    notifications = []
    for user_id, category in sorted(recipients.items()):
        user = users[user_id]
        language = user.language or settings.LANGUAGE_CODE
        if language not in rendered:
            rendered[language] = render(spec, language)
        title, text = rendered[language]
        notifications.append(
            notification_build(
                recipient=user, category=category, title=title, text=text, about=about
            )
        )
    return notifications


def day_format(moment) -> str:
    """A date as DATE_FORMAT writes it, dd/mm/yyyy (local time for a datetime)."""
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment)
    return formats.date_format(moment)


def time_format(moment: datetime) -> str:
    """A deadline as DATETIME_FORMAT writes it: 17:00 20/08/2025, local time."""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def render(spec: ReminderSpec, language: str) -> tuple[str, str]:
    """(title, text) of a reminder in the recipient's language."""
    with translation.override(language):
        return _title(spec)[:300], _text(spec)


def _title(spec: ReminderSpec) -> str:
    days = spec.days or 0
    args = {"title": spec.subject, "days": days, "date": day_format(spec.deadline)}
    kind = spec.kind
    if kind.startswith("superior_review"):
        return (
            ngettext(
                "Superior review deadline in %(days)s day (%(date)s)",
                "Superior review deadline in %(days)s days (%(date)s)",
                days,
            )
            % args
        )
    if kind == "forecast_late":
        return (
            ngettext(
                "Forecast %(days)s working day late: %(title)s",
                "Forecast %(days)s working days late: %(title)s",
                days,
            )
            % args
        )
    if kind == "superior_late":
        return (
            ngettext(
                "Forecast %(days)s working day late for the superior review: %(title)s",
                "Forecast %(days)s working days late for the superior review: %(title)s",
                days,
            )
            % args
        )
    if kind == "superior_waiting":
        return (
            ngettext(
                "Waiting for the superior's decision for %(days)s working day: %(title)s",
                "Waiting for the superior's decision for %(days)s working days: %(title)s",
                days,
            )
            % args
        )
    if kind == "plan_not_applied":
        return _("Pushed plan not applied by %(date)s: %(title)s") % args
    if kind == "overdue":
        return _("Overdue: %(title)s") % args
    if kind == "escalation":
        return (
            ngettext(
                "Escalation: overdue for %(days)s working day: %(title)s",
                "Escalation: overdue for %(days)s working days: %(title)s",
                days,
            )
            % args
        )
    if kind == "consultation_closed":
        return _("The comment period has ended: %(title)s") % args
    if kind.startswith("consultation"):
        return (
            ngettext(
                "Comments close in %(days)s day: %(title)s",
                "Comments close in %(days)s days: %(title)s",
                days,
            )
            % args
        )
    if spec.object_kind == "document":
        return (
            ngettext(
                "Document due in %(days)s day: %(title)s",
                "Document due in %(days)s days: %(title)s",
                days,
            )
            % args
        )
    return (
        ngettext(
            "Task due in %(days)s day: %(title)s", "Task due in %(days)s days: %(title)s", days
        )
        % args
    )


def _text(spec: ReminderSpec) -> str:
    facts = spec.facts
    if spec.kind.startswith("superior_review"):
        return _(
            "%(congress)s opens on %(opens)s. The superior level must review its contents "
            "at least %(working_days)s working days before, by %(date)s."
        ) % {
            "congress": spec.subject,
            "opens": day_format(facts["opens_on"]),
            "working_days": facts["working_days"],
            "date": day_format(spec.deadline),
        }
    if spec.kind == "forecast_late":
        return _forecast_text(spec)
    if spec.kind == "superior_late":
        return _("The superior-review deadline is %(date)s.") % {"date": day_format(spec.deadline)}
    if spec.kind == "superior_waiting":
        return _("In the superior's review since %(when)s.") % {"when": time_format(spec.deadline)}
    if spec.kind == "plan_not_applied":
        return _("To apply by %(date)s.") % {"date": day_format(spec.deadline)}
    lines = [_("Deadline: %(when)s") % {"when": time_format(spec.deadline)}]
    if facts.get("person"):
        lines.append(_("Assigned to: %(name)s") % {"name": facts["person"]})
    return "\n".join(lines)


def _forecast_text(spec: ReminderSpec) -> str:
    """Why the schedule says it will be late: the chain of tasks behind it, first one first."""
    lines = [
        _("If nothing changes it will finish on %(date)s, later than it may.")
        % {"date": day_format(spec.facts["finish"])}
    ]
    if len(spec.facts.get("chain", ())) > 1:
        lines.append(_("Because of: %(chain)s") % {"chain": " → ".join(spec.facts["chain"])})
    return "\n".join(lines)
