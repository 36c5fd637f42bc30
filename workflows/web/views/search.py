"""The search page: what the user may see that matches `q`, grouped by kind
(workflows.selectors.search)."""

from congress.errors import Invalid
from workflows.selectors.search import DEFAULT_LIMIT, KINDS, MAX_LIMIT, search
from workflows.web.views.base import error_text, render_page, web_view


@web_view
def search_page(request):
    """An empty `q` shows the search box; a query that is too short or too long is said next
    to the box, which keeps what was typed. `?kind=` shows one kind, up to MAX_LIMIT."""
    q = request.GET.get("q", "")
    kind = request.GET.get("kind", "")
    kind = kind if kind in KINDS else ""
    context = {"q": q, "kind": kind, "results": None, "error": "", "nav": "search"}
    if q.strip():
        try:
            context["results"] = search(
                request.user,
                q,
                kinds=(kind,) if kind else KINDS,
                limit=MAX_LIMIT if kind else DEFAULT_LIMIT,
            )
        except Invalid as error:
            context["error"] = error_text(error)
    status = 400 if context["error"] else 200
    response = render_page(request, "web/search/results.html", context)
    response.status_code = status
    return response
