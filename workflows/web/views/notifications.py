"""The inbox (read one, read all, open), the unread count of the bell, and the notification
preferences."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.errors import DomainError
from notifications.models import Category
from notifications.selectors import notifications_of, unread_count
from notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    preference_for,
    preference_update,
)
from workflows.web.context_processors import header_of
from workflows.web.forms import PreferenceForm
from workflows.web.views.base import (
    current_congress,
    page_of,
    redirect_back,
    refuse,
    render_page,
    web_view,
)

PAGE_SIZE = 30
FRAGMENTS = {"inbox": "web/notifications/_list.html"}


@web_view
def inbox_page(request):
    if request.GET.get("fragment") == "bell":
        response = HttpResponse(str(unread_count(request.user)), content_type="text/plain")
        response["Cache-Control"] = "no-store"
        return response
    unread_only = request.GET.get("unread") == "1"
    unread = header_of(request).unread  # the bell's count, shown on the tab too
    items = notifications_of(request.user)
    if unread_only:
        items = items.filter(read_at__isnull=True)
    # Only unread ones: the same rows the bell counted.
    page = page_of(request, items, PAGE_SIZE, count=unread if unread_only else None)
    context = {
        "congress": current_congress(request),
        "page": page,
        "unread_only": unread_only,
        "unread": unread,
        "nav": "notifications",
    }
    return render_page(request, "web/notifications/inbox.html", context, FRAGMENTS)


@require_POST
@web_view
def mark_read(request, pk):
    try:
        notification_mark_read(user=request.user, notification_id=pk)
    except DomainError as error:
        refuse(request, error)
    return redirect_back(request, "/notifications/")


@require_POST
@web_view
def read_all(request):
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect_back(request, "/notifications/")


@web_view
def open_link(request, pk):
    """Follow a notification to what it is about, marking it read on the way."""
    notification = notification_mark_read(user=request.user, notification_id=pk)
    link = notification.link or "/"
    if not url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        link = "/"
    return HttpResponseRedirect(link)


@web_view
def preferences_page(request):
    preference = preference_for(request.user)
    initial = {
        "email": [c for c in Category.values if c not in preference.email_off],
        "digest_hour": preference.digest_hour,
        "quiet_start": preference.quiet_start,
        "quiet_end": preference.quiet_end,
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            preference_update(
                user=request.user,
                email={c: c in data["email"] for c in Category.values},
                digest_hour=data["digest_hour"],
                quiet_start=data["quiet_start"],
                quiet_end=data["quiet_end"],
            )
        except DomainError as error:
            refuse(request, error)
        else:
            messages.success(request, _("Your notification settings were saved."))
            return redirect("web-preferences")
    context = {"congress": current_congress(request), "form": form, "nav": "notifications"}
    return render(request, "web/notifications/preferences.html", context)
