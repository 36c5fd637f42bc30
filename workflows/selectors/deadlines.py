"""Task and document deadlines in a period, of what the user may see: the dashboard's next
deadlines (`next_deadlines`), and the month calendar's counts per day, first entries per
day and day view (`deadline_counts_by_day`, `deadlines_first_by_day`, `DayDeadlines`)."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, F, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone
from django.utils.functional import Promise

from workflows.models import Document, Task
from workflows.selectors.documents import documents_visible_to
from workflows.selectors.tasks import tasks_visible_to


@dataclass
class Deadline:
    when: datetime
    kind: str  # "task", "document", "consultation"
    title: str
    url: str
    body: str
    status: str
    status_label: str | Promise
    overdue: bool = False
    mine: bool = False


def next_deadlines(user, congress, days: int = 7, limit: int = 10) -> tuple[list[Deadline], int]:
    """The first `limit` open deadlines of the next `days` days the user may see, in time
    order, and how many there are in all: a large congress has hundreds a week, and the
    dashboard shows the first ones with a link to the rest."""
    now = timezone.now()
    end = now + timedelta(days=days)
    tasks = _task_deadline_rows(user, congress, now, end).exclude(status=Task.Status.DONE)
    entries = _task_entries(user, tasks.order_by("due_at", "title", "id")[:limit])
    task_total = len(entries) if len(entries) < limit else tasks.count()
    documents = _document_deadlines(user, congress, now, end)
    entries = sorted(entries + documents, key=lambda e: (e.when, e.title))
    return entries[:limit], task_total + len(documents)


def _task_deadline_rows(user, congress, start: datetime, end: datetime):
    return (
        tasks_visible_to(user)
        .filter(congress=congress, due_at__gte=start, due_at__lt=end)
        .exclude(status=Task.Status.CANCELLED)
        .select_related("body")
    )


def _task_entries(user, tasks) -> list[Deadline]:
    return [
        Deadline(
            when=t.due_at,
            kind="task",
            title=t.title,
            url=f"/tasks/{t.pk}/",
            body=t.body.name,
            status=t.status,
            status_label=t.get_status_display(),
            overdue=t.is_overdue,
            mine=t.assignee_id == user.pk,
        )
        for t in tasks
    ]


def _document_deadlines(user, congress, start: datetime, end: datetime) -> list[Deadline]:
    now = timezone.now()
    documents = (
        documents_visible_to(user)
        .filter(congress=congress)
        .select_related("body")
        .filter(
            Q(due_at__gte=start, due_at__lt=end)
            | Q(
                status=Document.Status.CONSULTATION,
                consultation_closes_at__gte=start,
                consultation_closes_at__lt=end,
            )
        )
        .exclude(status__in=Document.FINAL_STATES)
    )
    entries = []
    for d in documents:
        common = {
            "title": d.title,
            "url": f"/documents/{d.pk}/",
            "body": d.body.name,
            "status": d.status,
            "status_label": d.get_status_display(),
            "mine": d.rapporteur_id == user.pk,
        }
        if d.due_at and start <= d.due_at < end:
            entries.append(
                Deadline(when=d.due_at, kind="document", overdue=d.due_at < now, **common)
            )
        closes = d.consultation_closes_at
        if d.status == Document.Status.CONSULTATION and closes and start <= closes < end:
            entries.append(Deadline(when=closes, kind="consultation", **common))
    return entries


# The month calendar and its day view: counted and cut by the database, so that a congress of
# 20,000 tasks costs the page what a congress of 20 does (docs/DECISIONS.md, Calendar).


@dataclass(frozen=True)
class _Source:
    """One kind of deadline: the rows the user may see, the field holding the moment, the
    field naming whose deadline it is."""

    kind: str
    rows: QuerySet
    field: str
    owner: str


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _local_day(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=timezone.get_current_timezone())


def _sources(user, congress, start: date, end: date, *, mine: bool) -> list[_Source]:
    """Tasks due, documents due and consultations closing on the local days [start, end), of
    what the user may see (the same rows as `next_deadlines`); only the user's own with
    `mine` (the tasks assigned to them, the documents they report on)."""
    since, until = _local_midnight(start), _local_midnight(end)
    tasks = (
        tasks_visible_to(user)
        .filter(congress=congress, due_at__gte=since, due_at__lt=until)
        .exclude(status=Task.Status.CANCELLED)
    )
    documents = (
        documents_visible_to(user)
        .filter(congress=congress)
        .exclude(status__in=Document.FINAL_STATES)
    )
    due = documents.filter(due_at__gte=since, due_at__lt=until)
    closing = documents.filter(
        status=Document.Status.CONSULTATION,
        consultation_closes_at__gte=since,
        consultation_closes_at__lt=until,
    )
    if mine:
        tasks, due, closing = (
            tasks.filter(assignee=user),
            due.filter(rapporteur=user),
            closing.filter(rapporteur=user),
        )
    return [
        _Source("task", tasks, "due_at", "assignee_id"),
        _Source("document", due, "due_at", "rapporteur_id"),
        _Source("consultation", closing, "consultation_closes_at", "rapporteur_id"),
    ]


def deadline_counts_by_day(user, congress, start: date, end: date, *, mine: bool = False):
    """How many deadlines fall on each local day (Asia/Ho_Chi_Minh) of [start, end), of what
    the user may see: one GROUP BY query per kind of deadline, whatever their number."""
    counts: Counter[date] = Counter()
    for source in _sources(user, congress, start, end, mine=mine):
        rows = (
            source.rows.order_by()
            .annotate(day=_local_day(source.field))
            .values("day")
            .annotate(n=Count("pk"))
            .values_list("day", "n")
        )
        counts.update(dict(rows))
    return dict(counts)


def _mine_first(source: _Source, user) -> Case:
    return Case(When(**{source.owner: user.pk}, then=Value(1)), default=Value(0))


def _row_values(rows: QuerySet, source: _Source, user) -> QuerySet:
    """Rows of `source` as the same columns for every kind, so that they can be merged (a
    UNION keeps columns by position: every column is an annotation, in this order)."""
    return (
        rows.order_by()
        .annotate(
            entry_kind=Value(source.kind),
            entry_id=F("pk"),
            entry_title=F("title"),
            entry_when=F(source.field),
            entry_body=F("body__name"),
            entry_status=F("status"),
            entry_mine=_mine_first(source, user),
        )
        .values(*ROW_COLUMNS)
    )


ROW_COLUMNS = (
    "entry_kind",
    "entry_id",
    "entry_title",
    "entry_when",
    "entry_body",
    "entry_status",
    "entry_mine",
)
ROW_ORDER = ("-entry_mine", "entry_when", "entry_title", "entry_id")


def _deadline(row: dict, now: datetime) -> Deadline:
    kind, status, when = row["entry_kind"], row["entry_status"], row["entry_when"]
    if kind == "task":
        label = Task.Status(status).label
        overdue = status in Task.OPEN_STATES and when < now
    else:
        label = Document.Status(status).label
        overdue = kind == "document" and when < now
    return Deadline(
        when=when,
        kind=kind,
        title=row["entry_title"],
        url=f"/{'tasks' if kind == 'task' else 'documents'}/{row['entry_id']}/",
        body=row["entry_body"],
        status=status,
        status_label=label,
        overdue=overdue,
        mine=bool(row["entry_mine"]),
    )


def _order_key(entry: Deadline):
    return (not entry.mine, entry.when, entry.title)


def deadlines_first_by_day(
    user, congress, start: date, end: date, *, per_day: int, mine: bool = False
) -> dict[date, list[Deadline]]:
    """The first `per_day` deadlines of each local day of [start, end): the user's own first,
    then by time. The database ranks each day's rows and returns only the first ones (one
    query per kind of deadline, at most `per_day` rows per day and kind)."""
    now = timezone.now()
    by_day: dict[date, list[Deadline]] = {}
    for source in _sources(user, congress, start, end, mine=mine):
        rank = Window(
            RowNumber(),
            partition_by=[_local_day(source.field)],
            order_by=[
                _mine_first(source, user).desc(),
                F(source.field).asc(),
                F("title").asc(),
                F("pk").asc(),
            ],
        )
        first = source.rows.annotate(rank=rank).filter(rank__lte=per_day)
        for row in _row_values(first, source, user):
            entry = _deadline(row, now)
            by_day.setdefault(timezone.localdate(entry.when), []).append(entry)
    return {day: sorted(entries, key=_order_key)[:per_day] for day, entries in by_day.items()}


class DayDeadlines:
    """Every deadline of one local day, the user's own first then by time, for a paginator:
    counted and sliced by the database (one UNION of the kinds of deadline), so that a page
    loads only its own rows."""

    def __init__(self, user, congress, day: date, *, mine: bool = False):
        sources = _sources(user, congress, day, day + timedelta(days=1), mine=mine)
        first, *others = (_row_values(source.rows, source, user) for source in sources)
        self._rows = first.union(*others, all=True).order_by(*ROW_ORDER)

    def count(self) -> int:
        return self._rows.count()

    def __getitem__(self, index: slice) -> list[Deadline]:
        now = timezone.now()
        return [_deadline(row, now) for row in self._rows[index]]
