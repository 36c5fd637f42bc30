"""A user's deadlines as an iCalendar feed at /calendar/<token>.ics, for any calendar client.

The feed holds the user's open tasks (due dates), the tasks waiting for their review, the
opening and superior-review dates of the congresses they belong to, and the deadlines of the
documents they report on or whose body they belong to; all through the visibility rule. The
secret token in the URL is the only credential (calendar clients cannot log in): unknown or
rotated tokens get a 404. Each entry's UID is stable, so clients update entries in place.

A calendar feed leaves the system (clients sync it to outside services), so like an email it
never describes a confidential body's work: such an entry says only whose it is.

The dated entries (tasks due, tasks to review, documents due, consultations closing) are those
of a window around the moment the feed is read: from `FEED_DAYS_PAST` days ago to
`FEED_DAYS_AHEAD` days ahead. Without it a feed grows with every task a congress ever had (and a
leader's feed with every task waiting for review), and calendar clients fetch it again every
few hours; an older overdue task is in the app's overdue list, a later deadline enters the feed
as its day comes near. The congresses' opening and superior-review dates are always there.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from congress.models import Congress
from congress.roles import roles_of
from congress.selectors import visible_q
from congress.workdays import WorkingCalendar, superior_review_due
from notifications.models import Preference
from workflows.events import page_link
from workflows.models import Document, Task
from workflows.selectors.tasks import tasks_to_review_query, tasks_visible_to

UID_DOMAIN = "congress-prep"
FEED_DAYS_PAST = 30
FEED_DAYS_AHEAD = 180
REVIEWS_GROUPED_FROM = 4  # tasks to review due on one day, shown as one entry from this many
HIDDEN_CONGRESS = (Congress.Status.CANCELLED, Congress.Status.TRANSFERRED)


@dataclass(frozen=True)
class Entry:
    uid: str
    summary: str
    start: date | datetime
    link: str
    end: date | None = None  # all-day entries end on this (exclusive) day
    description: str = ""


@require_safe
def calendar_view(request, token: str) -> HttpResponse:
    preference = (
        Preference.objects.select_related("user")
        .filter(calendar_token=token, user__is_active=True)
        .first()
    )
    if preference is None:
        raise Http404
    response = HttpResponse(
        calendar_for(preference.user), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="congress-prep.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


def calendar_for(user, now: datetime | None = None) -> bytes:
    """The user's feed, its texts in the user's language."""
    now = now or timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//Congress Prep//Chuan bi Dai hoi//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        calendar.add("x-wr-calname", _("Congress Prep: my deadlines"))
        for entry in entries_for(user, now):
            calendar.add_component(_event(entry, now))
    return calendar.to_ical()


def entries_for(user, now: datetime | None = None) -> list[Entry]:
    now = now or timezone.now()
    window = (now - timedelta(days=FEED_DAYS_PAST), now + timedelta(days=FEED_DAYS_AHEAD))
    return [
        *_task_entries(user, window),
        *_review_entries(user, window),
        *_congress_entries(user),
        *_document_entries(user, window),
    ]


def _event(entry: Entry, now: datetime) -> Event:
    event = Event()
    event.add("uid", f"{entry.uid}@{UID_DOMAIN}")
    event.add("dtstamp", now.astimezone(UTC))
    if isinstance(entry.start, datetime):
        # A deadline is a moment: no DTEND, the event ends when it starts (RFC 5545 3.6.1).
        event.add("dtstart", entry.start.astimezone(UTC))
    else:
        event.add("dtstart", entry.start)
        event.add("dtend", entry.end or entry.start + timedelta(days=1))
    event.add("summary", entry.summary)
    if entry.description:
        event.add("description", entry.description)
    event.add("url", f"{settings.SITE_URL}{entry.link}")
    event.add("transp", "TRANSPARENT")
    return event


def _what(title: str, body) -> str:
    if body.confidential:
        return _("a confidential item of %(body)s") % {"body": body.name}
    return title


def _task_entries(user, window: tuple[datetime, datetime]) -> list[Entry]:
    tasks = (
        tasks_visible_to(user)
        .filter(assignee=user, status__in=Task.OPEN_STATES, due_at__range=window)
        .select_related("body")
    )
    return [
        Entry(
            uid=f"task-{task.pk}-due",
            summary=_("Due: %(title)s") % {"title": _what(task.title, task.body)},
            start=task.due_at,
            link=page_link("task", task.pk),
            description=task.body.name,
        )
        for task in tasks
    ]


def _review_entries(user, window: tuple[datetime, datetime]) -> list[Entry]:
    """A task waiting for the user's review is an entry of its own; but a day with
    `REVIEWS_GROUPED_FROM` or more of them is one all-day entry saying how many, linking to
    the review list (a leader of a large congress has thousands: a calendar of them is
    unreadable and the feed would weigh megabytes). Counted per local day by the database."""
    to_review = tasks_to_review_query(user, due_within=window).annotate(day=TruncDate("due_at"))
    per_day = to_review.order_by().values_list("day").annotate(n=Count("id"))
    crowded = {day: n for day, n in per_day if n >= REVIEWS_GROUPED_FROM}
    entries = [
        Entry(
            uid=f"review-{day:%Y%m%d}",
            summary=ngettext("%(n)s task to review", "%(n)s tasks to review", crowded[day])
            % {"n": crowded[day]},
            start=day,
            link="/tasks/?scope=review",
        )
        for day in sorted(crowded)
    ]
    singles = to_review.exclude(day__in=list(crowded)).select_related("body")
    entries += [
        Entry(
            uid=f"task-{task.pk}-review",
            summary=_("To review: %(title)s") % {"title": _what(task.title, task.body)},
            start=task.due_at,
            link=page_link("task", task.pk),
            description=task.body.name,
        )
        for task in singles.order_by("due_at", "id")
    ]
    return entries


def _congress_entries(user) -> list[Entry]:
    congresses = (
        Congress.objects.filter(pk__in=list(roles_of(user).kind_roles))
        .exclude(status__in=HIDDEN_CONGRESS)
        .select_related("organization")
    )
    working_days = WorkingCalendar()
    entries = []
    for congress in congresses:
        link = page_link("congress", congress.pk)
        last_day = congress.closes_on or congress.opens_on
        entries.append(
            Entry(
                uid=f"congress-{congress.pk}-opening",
                summary=_("Congress opens: %(title)s") % {"title": congress.title},
                start=congress.opens_on,
                end=last_day + timedelta(days=1),
                link=link,
                description=congress.venue,
            )
        )
        review_due = superior_review_due(congress, working_days)
        entries.append(
            Entry(
                uid=f"congress-{congress.pk}-superior-review",
                summary=_("Superior review deadline: %(title)s") % {"title": congress.title},
                start=review_due,
                link=link,
            )
        )
    return entries


def _document_entries(user, window: tuple[datetime, datetime]) -> list[Entry]:
    """Deadlines of the documents the user reports on or whose owning body they belong to."""
    consulting = Q(status=Document.Status.CONSULTATION, consultation_closes_at__range=window)
    documents = (
        Document.objects.filter(visible_q(user))
        .filter(Q(rapporteur=user) | Q(body__memberships__user=user))
        .filter(Q(due_at__range=window) | consulting)
        .exclude(status__in=Document.FINAL_STATES)
        .select_related("body")
        .distinct()
    )
    entries = []
    for document in documents:
        what = _what(document.title, document.body)
        link = page_link("document", document.pk)
        if document.due_at and window[0] <= document.due_at <= window[1]:
            entries.append(
                Entry(
                    uid=f"document-{document.pk}-due",
                    summary=_("Document due: %(title)s") % {"title": what},
                    start=document.due_at,
                    link=link,
                    description=document.body.name,
                )
            )
        closes = document.consultation_closes_at
        if (
            document.status == Document.Status.CONSULTATION
            and closes
            and window[0] <= closes <= window[1]
        ):
            entries.append(
                Entry(
                    uid=f"document-{document.pk}-consultation",
                    summary=_("Comments close: %(title)s") % {"title": what},
                    start=document.consultation_closes_at,
                    link=link,
                    description=document.body.name,
                )
            )
    return entries
