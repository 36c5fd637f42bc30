"""Task and document deadlines in a period, of what the user may see (the dashboard's next
deadlines and the month calendar)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from workflows.models import Document, Task
from workflows.selectors.documents import document_list
from workflows.selectors.tasks import tasks_visible_to


@dataclass
class Deadline:
    when: datetime
    kind: str  # "task", "document", "consultation"
    title: str
    url: str
    body: str
    status: str
    status_label: str
    overdue: bool = False
    mine: bool = False


def deadlines_between(user, congress, start: datetime, end: datetime) -> list[Deadline]:
    """Task and document deadlines (and consultations closing) in [start, end), of what the
    user may see, in time order."""
    entries = _task_deadlines(user, congress, start, end)
    entries += _document_deadlines(user, congress, start, end)
    return sorted(entries, key=lambda e: (e.when, e.title))


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


def _task_deadlines(user, congress, start: datetime, end: datetime) -> list[Deadline]:
    return _task_entries(user, _task_deadline_rows(user, congress, start, end))


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
        document_list(user)
        .filter(congress=congress)
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
