"""The superior level following the congresses under an organization (issue 22, flow 3): one
row per congress of the organizations under it, with how its preparation stands.

Every figure is of what the reader may see (ARCHITECTURE §5): the tasks and documents through
the visibility selectors, the forecast from the schedule of the tasks they may see. The
superior's standing committee and office are in no body of a subordinate congress, so its
personnel subcommittee's work is in none of their counts.

The figures are counted in the database across the congresses, grouped by congress: the page
costs the same queries for 3 congresses as for 300. The forecast is the exception: a schedule
per congress, cached under the key of what it depends on (workflows.schedule
.schedule_inputs_keys, computed for all the congresses at once), so only a congress whose plan
changed since the last view is scheduled again.
"""

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.collation import sort_key
from congress.errors import NotFound
from congress.models import Congress, Organization, User
from congress.roles import OFFICE_REACH
from congress.selectors import congresses_under_q, congresses_visible_to
from congress.workdays import WorkingCalendar, superior_review_due
from workflows.models import AuditEntry, Document, Task, overdue_q
from workflows.rules import may_oversee, organizations_overseen_by
from workflows.schedule import (
    SUPERIOR_REVIEW,
    WorkdayIndex,
    congress_schedule,
    driving_chain,
    schedule_inputs_keys,
)
from workflows.selectors.documents import documents_visible_to
from workflows.selectors.tasks import tasks_visible_to

logger = logging.getLogger(__name__)

ORDERINGS = ("opening", "days_to_deadline", "late_by", "done_share")
CACHE_SECONDS = 24 * 3600  # the key holds the day: an entry is never read the day after
CACHE_PREFIX = "oversight-forecast:1:"
WAITING = str(Document.Status.SUPERIOR_REVIEW.value)
DONE = str(Task.Status.DONE.value)


@dataclass(frozen=True)
class Forecast:
    """The schedule's forecast against the superior-review deadline: `slack` working days to
    spare (negative: late by that many; None when no task of the plan is tied to it) and the
    first open task of the chain that drives it."""

    slack: int | None = None
    finishes_on: date | None = None
    driver_id: int | None = None
    driver_title: str = ""

    @property
    def late_by(self) -> int | None:
        return None if self.slack is None else max(0, -self.slack)

    @property
    def late(self) -> bool:
        return self.slack is not None and self.slack < 0


@dataclass(frozen=True)
class WaitingDocument:
    """A document at the superior-review step, since it last entered it."""

    id: int
    title: str
    kind: str
    since: datetime | None
    working_days: int | None  # working days it has waited, today not counted


@dataclass
class OversightRow:
    congress: Congress
    superior_review_due: date
    days_to_deadline: int  # working days from today; negative once the deadline has passed
    forecast: Forecast
    tasks: int  # every task the reader sees but the cancelled ones
    done: int
    overdue: int
    documents_by_state: dict[str, int]
    waiting: list[WaitingDocument]

    @property
    def organization(self) -> Organization:
        return self.congress.organization

    @property
    def done_share(self) -> float | None:
        """Done tasks over tasks (the cancelled left out); None for a congress without any."""
        return self.done / self.tasks if self.tasks else None


def organization_for_oversight(user: User, organization_id: int) -> Organization:
    """An organization the user may oversee (workflows.rules.may_oversee); any other, like a
    missing one, is the same 404. Its parents come with it: the rule walks up to the offices
    above it without a query per level."""
    parents = "__".join(["parent"] * OFFICE_REACH)
    organization = Organization.objects.select_related(parents).filter(pk=organization_id).first()
    if organization is None or not may_oversee(user, organization):
        raise NotFound(_("Not found."))
    return organization


def organizations_to_oversee(user: User) -> list[Organization]:
    """The organizations the user may oversee that have organizations under them, the
    highest level first, in Vietnamese order within a level: what the oversight page offers
    to choose from (the first is the one it shows at first)."""
    found = organizations_overseen_by(user).filter(children__isnull=False).distinct()
    levels = Organization.Level.values
    return sorted(found, key=lambda o: (-levels.index(o.level), sort_key(o.name), o.pk))


def congresses_under(user: User, organization: Organization) -> QuerySet[Congress]:
    """The congresses the user sees of the organizations under `organization`, one level down
    and as far as congress.roles.OFFICE_REACH (its own congresses are not among them)."""
    return congresses_visible_to(user).filter(congresses_under_q(organization))


def oversight_rows(
    user: User,
    organization: Organization,
    *,
    levels: Sequence[str] = (),
    statuses: Sequence[str] = (),
    late: bool | None = None,
    ordering: str = "opening",
    today: date | None = None,
    calendar: WorkingCalendar | None = None,
) -> list[OversightRow]:
    """One row per congress under the organization (congresses_under), of the levels and
    states asked for (all when none), late or not on the forecast, in the order asked for
    (ORDERINGS, "-" first for the reverse; a row without the figure comes last)."""
    today = today or timezone.localdate()
    calendar = calendar or WorkingCalendar()
    congresses = congresses_under(user, organization).select_related("organization")
    if levels:
        congresses = congresses.filter(organization__level__in=levels)
    if statuses:
        congresses = congresses.filter(status__in=statuses)
    listed = list(congresses.order_by("opens_on", "id"))
    ids = [c.pk for c in listed]
    tasks = _task_figures(user, ids)
    states = _documents_by_state(user, ids)
    index = WorkdayIndex(calendar, today)
    waiting = _waiting_documents(user, ids, index, today)
    forecasts = _forecasts(user, listed, today=today, calendar=calendar)
    rows = []
    for congress in listed:
        due = superior_review_due(congress, calendar)
        assert due is not None  # a saved congress has its opening date
        figures = tasks.get(congress.pk, {})
        rows.append(
            OversightRow(
                congress=congress,
                superior_review_due=due,
                days_to_deadline=index.on_or_before(due) - index.on_or_after(today),
                forecast=forecasts[congress.pk],
                tasks=figures.get("tasks", 0),
                done=figures.get("done", 0),
                overdue=figures.get("overdue", 0),
                documents_by_state=states.get(congress.pk, {}),
                waiting=waiting.get(congress.pk, []),
            )
        )
    if late is not None:
        rows = [row for row in rows if row.forecast.late == late]
    return ordered(rows, ordering)


def ordered(rows: list[OversightRow], ordering: str) -> list[OversightRow]:
    """`rows` sorted by one of ORDERINGS ("-" first: descending), the congress's id breaking
    ties; rows without the figure (no forecast, no task) last either way."""
    name = ordering.removeprefix("-")
    if name not in ORDERINGS:
        raise ValueError(ordering)
    value: Callable[[OversightRow], Any] = {
        "opening": lambda row: row.congress.opens_on,
        "days_to_deadline": lambda row: row.days_to_deadline,
        # By the days to spare: the most late first when descending, then the least spare.
        "late_by": lambda row: None if row.forecast.slack is None else -row.forecast.slack,
        "done_share": lambda row: row.done_share,
    }[name]
    known = [row for row in rows if value(row) is not None]
    unknown = [row for row in rows if value(row) is None]
    known.sort(key=lambda row: row.congress.pk)
    known.sort(key=value, reverse=ordering.startswith("-"))
    return known + sorted(unknown, key=lambda row: row.congress.pk)


def _task_figures(user: User, congress_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per congress, of the tasks the user sees: how many (the cancelled left out), done,
    overdue (workflows.models.overdue_q). One query."""
    rows = (
        tasks_visible_to(user)
        .filter(congress_id__in=congress_ids)
        .order_by()
        .values("congress_id")
        .annotate(
            tasks=Count("id", filter=~Q(status=Task.Status.CANCELLED)),
            done=Count("id", filter=Q(status=Task.Status.DONE)),
            overdue=Count("id", filter=overdue_q()),
        )
    )
    return {row.pop("congress_id"): row for row in rows}


def _documents_by_state(user: User, congress_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per congress, how many documents the user sees in each state. One query."""
    found: defaultdict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        documents_visible_to(user)
        .filter(congress_id__in=congress_ids)
        .order_by()
        .values_list("congress_id", "status")
        .annotate(n=Count("id"))
    )
    for congress_id, status, count in rows:
        found[congress_id][status] = count
    return found


def _waiting_documents(
    user: User, congress_ids: list[int], index: WorkdayIndex, today: date
) -> dict[int, list[WaitingDocument]]:
    """Per congress, the documents the user sees that wait for the superior level, each with
    the moment it last entered the superior-review step (its audit entry). One query."""
    entered = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Document),
        object_id=OuterRef("pk"),
        to_state=WAITING,
    ).order_by("-at", "-id")
    rows = (
        documents_visible_to(user)
        .filter(congress_id__in=congress_ids, status=WAITING)
        .annotate(since=Subquery(entered.values("at")[:1]))
        .order_by("congress_id", "id")
        .values_list("congress_id", "id", "title", "kind", "since")
    )
    found: defaultdict[int, list[WaitingDocument]] = defaultdict(list)
    now = index.on_or_after(today)
    for congress_id, pk, title, kind, since in rows:
        days = None
        if since is not None:
            days = now - index.on_or_after(timezone.localdate(since))
        found[congress_id].append(WaitingDocument(pk, title, kind, since, days))
    return found


def _forecasts(
    user: User, congresses: list[Congress], *, today: date, calendar: WorkingCalendar
) -> dict[int, Forecast]:
    """Each congress's forecast, from the cache when its schedule's inputs have not changed
    (one read for all), else computed and kept."""
    inputs = schedule_inputs_keys(user, congresses, today=today, calendar=calendar)
    keys = {pk: CACHE_PREFIX + key for pk, key in inputs.items()}
    cached = _cache_get_many(keys.values())
    forecasts, fresh = {}, {}
    for congress in congresses:
        key = keys[congress.pk]
        found = cached.get(key)
        if found is None:
            found = fresh[key] = _forecast_of(user, congress, today=today, calendar=calendar)
        forecasts[congress.pk] = Forecast(**found)
    _cache_set_many(fresh)
    return forecasts


def _forecast_of(
    user: User, congress: Congress, *, today: date, calendar: WorkingCalendar
) -> dict[str, Any]:
    """The forecast against the superior-review deadline as plain values (what is cached):
    the milestone's slack, the forecast finish and the first open task of its driving chain,
    on the tasks the user may see."""
    schedule = congress_schedule(user, congress, today=today, calendar=calendar)
    milestone = next((m for m in schedule.milestones if m.key == SUPERIOR_REVIEW), None)
    if milestone is None or milestone.forecast is None or milestone.driver is None:
        return {}
    chain = [schedule.nodes[i] for i in driving_chain(schedule, milestone.driver)]
    first = next((node for node in chain if not node.done), None)
    return {
        "slack": milestone.slack,
        "finishes_on": schedule.date(milestone.forecast),
        "driver_id": first.id if first else None,
        "driver_title": first.title if first else "",
    }


def _cache_get_many(keys: Iterable[str]) -> dict[str, Any]:
    try:
        return cache.get_many(list(keys))
    except Exception:  # the cache is down: the forecasts are computed, the page still answers
        logger.warning("oversight cache: get failed", exc_info=True)
        return {}


def _cache_set_many(entries: dict[str, Any]) -> None:
    if not entries:
        return
    try:
        cache.set_many(entries, CACHE_SECONDS)
    except Exception:
        logger.warning("oversight cache: set failed", exc_info=True)
