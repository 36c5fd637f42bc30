"""Summary notifications: one inbox notification (and email) per person for a change that
touches many tasks at once (a plan applied or re-dated, a congress cancelled or handed over),
instead of one per task.

The bulk operation records its per-object events as usual (the live stream needs them),
marks them as covered by a summary (`events_summarize`) so that dispatch notifies nobody one
by one (notifications.recipients), and calls `summaries_send` with what each person should
read, all in the same transaction: the change, its events and its summaries commit together.
Nothing here looks into workflows: the caller hands over plain `SummaryLine`s.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congress.models import Congress
from congress.selectors import roles_of_users
from notifications.delivery import About, notification_build, notifications_deliver
from notifications.models import Category, Event, Notification
from notifications.recipients import SUMMARIZED
from notifications.reminders import day_format

MAX_LINES = 30

PLAN_APPLIED = "plan_applied"
PLAN_REDATED = "plan_redated"
CONGRESS_CANCELLED = "congress_cancelled"
CONGRESS_TRANSFERRED = "congress_transferred"
# Bulk actions on the task list (workflows.services.task_bulk)
TASKS_ASSIGNED = "tasks_assigned"  # to the new assignee
TASKS_HANDED_OVER = "tasks_handed_over"  # to those who had them
TASKS_MOVED = "tasks_moved"
TASKS_CANCELLED = "tasks_cancelled"


@dataclass(frozen=True)
class SummaryLine:
    """One task or document a person should hear about."""

    title: str
    congress_id: int
    body_id: int | None
    body_name: str = ""
    confidential: bool = False
    due_at: datetime | None = None
    old_due_at: datetime | None = None
    detail: str = ""  # e.g. "Tiểu ban Văn kiện → Tiểu ban Văn kiện", already in plain words
    object_kind: str = "task"  # or "document"


@dataclass(frozen=True)
class Summary:
    """What happened, the same for everyone; each person gets their own lines."""

    kind: str
    congress: Congress
    category: str = Category.STATUS
    successor: Congress | None = None
    facts: Mapping[str, object] = field(default_factory=dict)  # reason, template, dates
    link: str = ""  # where the notification leads; the congress's dashboard when empty


def events_summarize(*, object_kind: str, object_ids: Iterable[int], type: str) -> int:
    """Mark the latest undispatched `type` event of each object as told by a summary.

    Call it in the transaction that recorded those events, with the objects locked (or just
    created) by it: then the latest event of each object is the one this transaction wrote.
    """
    latest = (
        Event.objects.filter(
            object_kind=object_kind,
            object_id__in=list(object_ids),
            type=type,
            dispatched_at__isnull=True,
        )
        .values("object_id")
        .annotate(last=Max("id"))
        .values_list("last", flat=True)
    )
    events = list(Event.objects.filter(pk__in=list(latest)))
    for event in events:
        event.payload = {**event.payload, SUMMARIZED: True}
    Event.objects.bulk_update(events, ["payload"])
    return len(events)


def summaries_send(
    *,
    summary: Summary,
    lines_by_user: Mapping[int, Sequence[SummaryLine]],
    everyone: Iterable[int] = (),
    actor=None,
) -> list[Notification]:
    """One notification per person: those in `lines_by_user` about their lines (only those
    they may see), and those in `everyone` even without a line. Never the actor, never an
    inactive user. Emails are queued (preferences, batching and quiet hours apply) and the
    live message leaves after the commit."""
    everyone = set(everyone)
    wanted = {user_id: list(lines) for user_id, lines in lines_by_user.items() if user_id}
    for user_id in everyone:
        wanted.setdefault(user_id, [])
    if actor is not None:
        wanted.pop(actor.pk, None)
    if not wanted:
        return []
    users, roles = _people(wanted, summary)
    notifications = []
    for user_id in sorted(wanted):
        user = users.get(user_id)
        if user is None:
            continue
        lines = [line for line in wanted[user_id] if _sees(user, roles[user_id], line)]
        if not lines and user_id not in everyone:
            continue
        notifications.append(_notification(summary, user, lines))
    return notifications_deliver(notifications)


def _people(wanted: Mapping[int, list], summary: Summary) -> tuple[dict, dict]:
    """The active users (one query) and their roles in the congresses concerned (one query)."""
    users = get_user_model().objects.filter(pk__in=list(wanted), is_active=True).in_bulk()
    congress_ids = {summary.congress.pk} | {
        line.congress_id for lines in wanted.values() for line in lines
    }
    return users, roles_of_users(users, congress_ids=congress_ids)


def _sees(user, roles, line: SummaryLine) -> bool:
    return user.is_staff or roles.sees_work(line.congress_id, line.body_id, line.confidential)


def _notification(summary: Summary, user, lines: list[SummaryLine]) -> Notification:
    congress_id = lines[0].congress_id if lines else summary.congress.pk
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        title, text = _title(summary, len(lines)), _text(summary, lines)
    about = About(congress_id=congress_id, link=summary.link or f"/congresses/{congress_id}/")
    return notification_build(
        recipient=user, category=summary.category, title=title, text=text, about=about
    )


def _day(moment: datetime | date | None) -> str:
    return day_format(moment) if moment is not None else "-"


def _title(summary: Summary, count: int) -> str:
    args = {"congress": str(summary.congress.title), "count": count}
    if summary.kind in _BULK_TITLES:
        return _bulk_title(summary, count)
    if summary.kind == PLAN_APPLIED:
        return (
            ngettext(
                "%(count)s new task for you in the plan of %(congress)s",
                "%(count)s new tasks for you in the plan of %(congress)s",
                count,
            )
            % args
        )
    if summary.kind == PLAN_REDATED:
        return (
            ngettext(
                "%(count)s of your tasks moved with the opening of %(congress)s",
                "%(count)s of your tasks moved with the opening of %(congress)s",
                count,
            )
            % args
        )
    if summary.kind == CONGRESS_TRANSFERRED:
        successor = str(summary.successor.title) if summary.successor else ""
        return _("%(congress)s has been handed over to %(successor)s") % {
            **args,
            "successor": successor,
        }
    return _("%(congress)s has been cancelled") % args


def _intro(summary: Summary, count: int) -> list[str]:
    facts = summary.facts
    if summary.kind in _BULK_TITLES:
        return _bulk_intro(summary)
    if summary.kind == PLAN_APPLIED:
        return [_("Plan: %(template)s") % {"template": facts.get("template", "")}]
    if summary.kind == PLAN_REDATED:
        return [
            _("The opening moved from %(old)s to %(new)s; your deadlines moved with it.")
            % {"old": _day(facts.get("old_opens_on")), "new": _day(facts.get("new_opens_on"))}
        ]
    lines = []
    if facts.get("reason"):
        lines.append(_("Reason: %(reason)s") % {"reason": facts["reason"]})
    if count and summary.kind == CONGRESS_CANCELLED:
        lines.append(
            ngettext(
                "Your open task was cancelled:", "Your %(count)s open tasks were cancelled:", count
            )
            % {"count": count}
        )
    elif count:
        lines.append(
            ngettext(
                "This work moved with it:", "These %(count)s pieces of work moved with it:", count
            )
            % {"count": count}
        )
    return lines


def _line(summary: Summary, line: SummaryLine) -> str:
    name = line.title
    if line.confidential and line.object_kind == "document":
        name = _("a confidential document of %(body)s") % {"body": line.body_name}
    elif line.confidential:
        name = _("a confidential task of %(body)s") % {"body": line.body_name}
    if summary.kind in (PLAN_REDATED, TASKS_MOVED):
        return f"• {name}: {_day(line.old_due_at)} → {_day(line.due_at)}"
    if line.detail:
        return f"• {name}: {line.detail}"
    if line.due_at is not None:
        return "• " + _("%(title)s (%(body)s), due %(date)s") % {
            "title": name,
            "body": line.body_name,
            "date": _day(line.due_at),
        }
    return f"• {name} ({line.body_name})"


def _text(summary: Summary, lines: list[SummaryLine]) -> str:
    # Confidential work is named only generically: the same text goes out by email.
    parts = _intro(summary, len(lines))
    parts += [_line(summary, line) for line in lines[:MAX_LINES]]
    if len(lines) > MAX_LINES:
        more = len(lines) - MAX_LINES
        parts.append(
            ngettext("…and %(count)s more.", "…and %(count)s more.", more) % {"count": more}
        )
    return "\n".join(parts)


# Bulk actions on the task list ---------------------------------------------------------------

_BULK_TITLES = {
    TASKS_ASSIGNED: lambda n: ngettext(
        "%(count)s task assigned to you in %(congress)s",
        "%(count)s tasks assigned to you in %(congress)s",
        n,
    ),
    TASKS_HANDED_OVER: lambda n: ngettext(
        "%(count)s of your tasks was given to someone else",
        "%(count)s of your tasks were given to someone else",
        n,
    ),
    TASKS_MOVED: lambda n: ngettext(
        "The deadline of %(count)s of your tasks moved",
        "The deadlines of %(count)s of your tasks moved",
        n,
    ),
    TASKS_CANCELLED: lambda n: ngettext(
        "%(count)s of your tasks was cancelled",
        "%(count)s of your tasks were cancelled",
        n,
    ),
}


def _bulk_title(summary: Summary, count: int) -> str:
    return _BULK_TITLES[summary.kind](count) % {
        "count": count,
        "congress": str(summary.congress.title),
    }


def _bulk_intro(summary: Summary) -> list[str]:
    facts, lines = summary.facts, []
    if facts.get("actor"):
        lines.append(_("By: %(name)s") % {"name": facts["actor"]})
    if summary.kind == TASKS_HANDED_OVER and facts.get("assignee"):
        lines.append(_("Now assigned to: %(name)s") % {"name": facts["assignee"]})
    if summary.kind == TASKS_MOVED and facts.get("days"):
        days = int(facts["days"])
        text = (
            ngettext(
                "Moved %(count)s working day later:", "Moved %(count)s working days later:", days
            )
            if days > 0
            else ngettext(
                "Moved %(count)s working day earlier:",
                "Moved %(count)s working days earlier:",
                -days,
            )
        )
        lines.append(text % {"count": abs(days)})
    if facts.get("note"):
        lines.append(_("Note: %(note)s") % {"note": facts["note"]})
    if facts.get("reason"):
        lines.append(_("Reason: %(reason)s") % {"reason": facts["reason"]})
    return lines
