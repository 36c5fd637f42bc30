"""Deadlines by month, one day's deadlines in full, and the personal iCalendar feed's
address."""

import re
from datetime import date, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.validation import in_date_range
from congress.workdays import superior_review_due
from notifications.api.views import calendar_url
from notifications.services import calendar_token_rotate, preference_for
from workflows.selectors.deadlines import DayDeadlines
from workflows.web.month import milestones_between, month_grid
from workflows.web.views.base import current_congress, no_congress, render_page, web_view

FRAGMENTS = {"calendar": "web/calendar/_month.html"}
DAY_FRAGMENTS = {"calendar-day": "web/calendar/_day.html"}
DAY_PAGE_SIZE = 50
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _month(value: str | None, default: date) -> date:
    """`?month=2025-09`, from 2000 to 2100; anything else is the current month (a month of
    year 1 or 9999 has no month before or after it to link to)."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        first = date(year, month, 1)
    except (TypeError, ValueError):
        return default.replace(day=1)
    return first if in_date_range(first) else default.replace(day=1)


def _day(value: str | None) -> date | None:
    """`?day=2026-12-03`, from 2000 to 2100; anything else is no day (the month page)."""
    if not value or not ISO_DAY.fullmatch(value):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if in_date_range(day) else None


@web_view
def calendar_page(request):
    """The month's grid (`?month=`), or with `?day=` that day's deadlines in full; `?mine=1`
    keeps only the user's own."""
    congress = current_congress(request)
    if congress is None:
        return no_congress(request)
    mine = request.GET.get("mine") == "1"
    review_due = superior_review_due(congress)
    day = _day(request.GET.get("day"))
    if day is not None:
        return _day_page(request, congress, day, mine=mine, review_due=review_due)
    first = _month(request.GET.get("month"), timezone.localdate())
    context = {
        "congress": congress,
        "month": first,
        "previous": (first - timedelta(days=1)).replace(day=1),
        "following": (first + timedelta(days=32)).replace(day=1),
        "mine": mine,
        "weeks": month_grid(request.user, congress, first, mine=mine, review_due=review_due),
        "review_due": review_due,
        "calendar_url": calendar_url(preference_for(request.user), request),
        "nav": "calendar",
    }
    return render_page(request, "web/calendar/month.html", context, FRAGMENTS)


def _day_page(request, congress, day: date, *, mine: bool, review_due: date):
    deadlines = DayDeadlines(request.user, congress, day, mine=mine)
    page = Paginator(deadlines, DAY_PAGE_SIZE).get_page(request.GET.get("page"))
    before, after = day - timedelta(days=1), day + timedelta(days=1)
    context = {
        "congress": congress,
        "day": day,
        "month": day.replace(day=1),
        "previous": before if in_date_range(before) else None,
        "following": after if in_date_range(after) else None,
        "mine": mine,
        "milestones": milestones_between(congress, review_due, day, after).get(day, []),
        "page": page,
        "today": timezone.localdate(),
        "nav": "calendar",
    }
    return render_page(request, "web/calendar/day.html", context, DAY_FRAGMENTS)


@require_POST
@web_view
def calendar_link_rotate(request):
    calendar_token_rotate(user=request.user)
    messages.success(request, _("A new calendar link was issued; the old one no longer works."))
    return redirect("web-calendar")
