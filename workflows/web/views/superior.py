"""The superior level's review in the pages (issue 22, flow 2): `/superior/reviews/`, the
documents of the congresses under the user's organization that wait for their review, and
`/superior/reviews/{id}/`, one of them: its version under review by section, as the
consultation page shows it, where the reviewers comment and the standing committee's head or
deputy approves or returns it with comments."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from congress.errors import DomainError, NotFound
from workflows import rules
from workflows.selectors.superior import (
    reviewed_document_get,
    superior_review_detail,
    superior_reviews,
    waiting_rows,
)
from workflows.services.superior import DECISIONS, superior_comments_add, superior_decide
from workflows.web.actions import actions_for
from workflows.web.views.base import error_text, page_of, render_page, web_view
from workflows.web.views.transitions import transition_page

NAV = "superior"
PAGE_SIZE = 50
FIELD = "section-"
LABELS = {
    "approve": gettext_lazy("Approve"),
    "return": gettext_lazy("Return with comments"),
}
CONFIRMS = {
    "approve": gettext_lazy(
        "Approve this draft for the superior level? The congress is told and the document is "
        "approved."
    ),
}


@web_view
def reviews_page(request):
    page = page_of(request, superior_reviews(request.user), PAGE_SIZE)
    context = {"rows": waiting_rows(page.object_list), "page": page, "nav": NAV}
    return render_page(request, "web/superior/list.html", context)


def decisions(document, user) -> list:
    return [a for a in actions_for(document, user, LABELS, CONFIRMS) if a.name in DECISIONS]


@web_view
def review_page(request, pk):
    """GET: the review. POST: the reviewer's comments, one per section written on, plus the
    general one."""
    if request.method == "POST":
        return _comment(request, pk)
    return _review(request, pk)


def _review(request, pk, *, typed=None, error: str = "", status: int = 200):
    try:
        review = superior_review_detail(request.user, pk)
    except NotFound:
        return _left_the_queue(request, pk)
    user, typed = request.user, typed or {}
    sections = [
        {
            "section": section,
            "field": f"{FIELD}{section.index}",
            "typed": typed.get(f"{FIELD}{section.index}", ""),
            "sent": review.comments.get(section.reference, []),
        }
        for section in review.sections
    ]
    context = {
        "review": review,
        "document": review.document,
        "congress": review.document.congress,  # the header names the congress under review
        "row": review.waiting,
        "sections": sections,
        "general_sent": review.comments.get("", []),
        "general_typed": typed.get("general", ""),
        "may_comment": rules.reviews_for_superior(review.document, user),
        "actions": decisions(review.document, user),
        "error": error,
        "nav": NAV,
    }
    response = render_page(request, "web/superior/review.html", context)
    response.status_code = status
    return response


def _left_the_queue(request, pk):
    """A document that no longer waits (decided meanwhile, or an old link): back to the
    queue, saying what became of it, for who reviews it; a 404 for anyone else."""
    document = reviewed_document_get(request.user, pk)
    messages.info(
        request,
        _("“%(title)s” no longer waits for the superior level's review; it is now “%(status)s”.")
        % {"title": document.title, "status": document.get_status_display()},
    )
    return redirect("web-superior-reviews")


def _comment(request, pk):
    texts = {}
    for name, value in request.POST.items():
        if name.startswith(FIELD) and name[len(FIELD) :].isdecimal() and len(name) < 20:
            texts[int(name[len(FIELD) :])] = value
    try:
        review = superior_review_detail(request.user, pk)
    except NotFound:
        return _left_the_queue(request, pk)
    references = {s.index: s.reference for s in review.sections}
    comments = [(references[i], t) for i, t in sorted(texts.items()) if i in references]
    comments.append(("", request.POST.get("general", "")))
    try:
        made = superior_comments_add(actor=request.user, document_id=pk, comments=comments)
    except DomainError as error:
        return _review(request, pk, typed=request.POST, error=error_text(error), status=400)
    count = len(made)
    recorded = ngettext("%(count)s comment recorded.", "%(count)s comments recorded.", count)
    messages.success(request, recorded % {"count": count})
    return redirect("web-superior-review", pk)


@web_view
def review_transition_page(request, pk, name):
    if name not in DECISIONS:
        raise NotFound("Not found.")
    return transition_page(
        request,
        reviewed_document_get(request.user, pk),
        name,
        labels=LABELS,
        service=superior_decide,
        id_field="document_id",
        page="web-superior-review",
        nav=NAV,
    )
