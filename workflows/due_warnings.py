"""Warnings about a deadline being planned: not refusals (a late task may still be planned,
some work is due after the superior review), but what the planner should know before saving."""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from congress.workdays import superior_review_due


def due_warnings(congress, due_at: datetime | None, *, now: datetime | None = None) -> list[str]:
    """What is worth a warning about this deadline of an open task of the congress: in the
    past, or after the superior-review deadline (Directive 35-CT/TW)."""
    if due_at is None:
        return []
    now = now or timezone.now()
    warnings = []
    if due_at < now:
        warnings.append(
            _("This deadline (%(date)s) is already past: the task will show as overdue.")
            % {"date": date_format(timezone.localtime(due_at), "SHORT_DATETIME_FORMAT")}
        )
    review_due = superior_review_due(congress)
    if review_due is not None and timezone.localtime(due_at).date() > review_due:
        warnings.append(
            _(
                "This deadline is after the superior-review deadline (%(date)s): the superior "
                "level reviews the congress's contents by then."
            )
            % {"date": date_format(review_due)}
        )
    return warnings
