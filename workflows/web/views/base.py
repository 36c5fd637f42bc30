"""What every page needs: login, the user's language, the 404 page for what the user may not
see, the congress the page is about, page fragments for live updates, and going back after a
form."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from congress.api.pagination import MAX_PAGE, counted_page
from congress.errors import DomainError, Invalid, NotFound
from congress.selectors import congresses_visible_to
from notifications.selectors import last_event_id

SESSION_CONGRESS = "web_congress"
# Where current_congress leaves the congress it chose, for the page's header.
REQUEST_CONGRESS = "_web_congress"


def in_user_language(view):
    """Logged-in users read the pages in the language they chose (saved on their account),
    whatever their browser asks for."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        language = getattr(request.user, "language", "")
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return view(request, *args, **kwargs)

    return wrapper


def web_view(view):
    """A page behind the login, in the user's language; a missing or invisible object is the
    same 404 page."""

    @login_required
    @in_user_language
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (NotFound, Http404):
            return render(request, "web/404.html", status=404)

    return wrapper


def error_text(error: DomainError, *, action=None, obj=None) -> str:
    """A refused action as one sentence: field errors say more than "Invalid input.", and a
    message the service worded from a template says it again with the page's words: the
    button's label for the transition's name, the state as the page shows it."""
    if error.wording is not None and (action is not None or obj is not None):
        template, words = error.wording
        words = dict(words)
        if action is not None:
            words["name"] = action.label
        if obj is not None and "state" in words:
            words["state"] = obj.get_status_display()
        return _(template) % words
    text = str(error.message)
    if isinstance(error, Invalid):
        fields = error.details.get("fields", {})
        texts = [str(m) for msgs in fields.values() for m in msgs]
        if texts:
            text = " ".join(texts)
    return text


def refuse(request, error: DomainError, *, action=None, obj=None) -> None:
    messages.error(request, error_text(error, action=action, obj=obj))


def current_congress(request, congress_id=None):
    """The congress a page is about: the one asked for (remembered for the next pages), else
    the one last visited, else the first the user belongs to; None for someone in none."""
    visible = congresses_visible_to(request.user)
    wanted = (
        congress_id or _int(request.GET.get("congress")) or request.session.get(SESSION_CONGRESS)
    )
    congress = visible.filter(pk=wanted).first() if wanted else None
    if congress is None and (congress_id or request.GET.get("congress")):
        raise NotFound("Not found.")
    congress = congress or visible.first()
    if congress is not None and request.session.get(SESSION_CONGRESS) != congress.pk:
        request.session[SESSION_CONGRESS] = congress.pk
    setattr(request, REQUEST_CONGRESS, congress)
    return congress


def congress_chosen(request):
    """The congress `current_congress` chose for this request, if it was asked (None if not,
    or if the user belongs to none)."""
    return getattr(request, REQUEST_CONGRESS, None)


def _int(value) -> int | None:
    return int(value) if value and value.isdecimal() and len(value) <= 18 else None


def page_of(request, items, size: int, *, count: int | None = None) -> Page:
    """The page `?page=` of a list, as Paginator.get_page gives it (the first when the number
    is not one, the last when past the end), with its count folded into the page query, or
    taken from `count` when the page has counted these rows already. The page links:
    web/_pagination.html."""
    raw = request.GET.get("page")
    paginator = Paginator(items, size)
    if count is not None:
        paginator.count = count
        return paginator.get_page(raw)
    number = _int(raw) if raw else 1
    page = counted_page(items, number, size) if number and number <= MAX_PAGE else None
    return page or paginator.get_page(raw)


def page_path(request) -> str:
    """The page's own address without the fragment parameter: where forms come back to."""
    params = request.GET.copy()
    params.pop("fragment", None)
    query = params.urlencode()
    return f"{request.path}?{query}" if query else request.path


def render_page(request, template: str, context: dict, fragments: dict[str, str] | None = None):
    """The page, or one fragment of it (`?fragment=name`) for live updates: the same context
    rendered through the fragment's own template, never cached."""
    context.setdefault("page_path", page_path(request))
    name = request.GET.get("fragment")
    if name is not None:
        if not fragments or name not in fragments:
            raise NotFound("Not found.")
        response = render(request, fragments[name], context)
        response["Cache-Control"] = "no-store"
        return response
    congress = context.get("congress")
    if congress is not None:
        context["live_after"] = last_event_id(request.user, congress)
    return render(request, template, context)


def redirect_back(request, default: str) -> HttpResponse:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = default
    return redirect(target)


def no_congress(request):
    return render(request, "web/no_congress.html")


def form_refuse(form, error: DomainError) -> None:
    """A service's refusal shown in the form that asked for it: a field's message beside that
    field, anything else at the top of the form."""
    fields = error.details.get("fields", {}) if isinstance(error, Invalid) else {}
    placed = False
    for name, texts in fields.items():
        if name in form.fields:
            for text in texts:
                form.add_error(name, str(text))
            placed = True
    if not placed:
        form.add_error(None, error_text(error))


def form_marked(form):
    """A form that failed, ready to be shown again: its invalid fields say so to screen
    readers, and the first of them (or the form's first field) takes the focus, which also
    scrolls the page to it."""
    first = None
    for name, field in form.fields.items():
        if name in form.errors:
            field.widget.attrs["aria-invalid"] = "true"
            first = first or field
    first = first or next(iter(form.fields.values()), None)
    if first is not None and not first.widget.is_hidden:
        first.widget.attrs["autofocus"] = True
    return form
