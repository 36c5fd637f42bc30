"""Deadlines by month, and the personal iCalendar feed's address."""

from datetime import date, timedelta

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.validation import in_date_range
from congress.workdays import superior_review_due
from notifications.api.views import calendar_url
from notifications.services import calendar_token_rotate, preference_for
from workflows.web.month import month_grid
from workflows.web.views.base import current_congress, no_congress, render_page, web_view

FRAGMENTS = {"calendar": "web/calendar/_month.html"}


def _month(value: str | None, default: date) -> date:
    """`?month=2025-09`, from 2000 to 2100; anything else is the current month (a month of
    year 1 or 9999 has no month before or after it to link to)."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        first = date(year, month, 1)
    except (TypeError, ValueError):
        return default.replace(day=1)
    return first if in_date_range(first) else default.replace(day=1)


@web_view
def calendar_page(request):
    congress = current_congress(request)
    if congress is None:
        return no_congress(request)
    first = _month(request.GET.get("month"), timezone.localdate())
    mine = request.GET.get("mine") == "1"
    review_due = superior_review_due(congress)
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


@require_POST
@web_view
def calendar_link_rotate(request):
    calendar_token_rotate(user=request.user)
    messages.success(request, _("A new calendar link was issued; the old one no longer works."))
    return redirect("web-calendar")
