"""Documents by state, a document's page (versions, diff, comments and their answers, the
reviewer's buttons, history), uploads, and the comment summary report."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.api.common import download
from congress.errors import Conflict, DomainError, NotFound
from workflows import compare, reports, rules
from workflows.diff import diff_versions_html, too_large_message
from workflows.models import Document
from workflows.selectors import consultations
from workflows.selectors import documents as selectors
from workflows.selectors.bodies import bodies_for_documents
from workflows.services.documents import (
    document_comment_add,
    document_comment_answer,
    document_transition,
    document_version_add,
)
from workflows.uploads import version_download
from workflows.web.actions import DOCUMENT_LABELS, document_actions
from workflows.web.forms import (
    CommentAnswerForm,
    DocumentCommentForm,
    VersionUploadForm,
)
from workflows.web.views.base import (
    current_congress,
    form_marked,
    form_refuse,
    no_congress,
    page_of,
    refuse,
    render_page,
    web_view,
)
from workflows.web.views.comments import comment_post
from workflows.web.views.transitions import transition_view

PAGE_SIZE = 50
LIST_FRAGMENTS = {"document-list": "web/documents/_list.html"}
DETAIL_FRAGMENTS = {"document-detail": "web/documents/_detail.html"}
# Which of the page's flags shows each form (a failed form is shown again only where it is).
SHOWN_IF = {"upload_form": "may_upload", "comment_form": "may_comment", "answer": "may_answer"}


@web_view
def document_list_page(request):
    """The documents of the congress by state, a page of PAGE_SIZE at a time (as the task
    list): each state's heading counts all its documents, not only those on the page."""
    congress = current_congress(request)
    if congress is None:
        return no_congress(request)
    wanted = request.GET.get("status", "")
    documents = selectors.document_list(request.user).filter(congress=congress)
    totals = selectors.documents_by_state(request.user, congress)
    if wanted:
        documents = documents.filter(status=wanted)
        totals = {wanted: totals.get(wanted, 0)}
    # The same documents, counted by state already.
    count = sum(totals.values())
    page = page_of(request, selectors.in_state_order(documents), PAGE_SIZE, count=count)
    context = {
        "congress": congress,
        "groups": _groups(page.object_list, totals),
        "page": page,
        "status": wanted,
        "statuses": Document.Status.choices,
        "may_start": bool(bodies_for_documents(request.user, congress)),
        "nav": "documents",
    }
    return render_page(request, "web/documents/list.html", context, LIST_FRAGMENTS)


def _groups(documents, totals: dict[str, int]) -> list[dict]:
    """The page's documents under the heading of their state, in the states' order."""
    groups = []
    for value, label in Document.Status.choices:
        members = [d for d in documents if d.status == value]
        if members:
            total = max(totals.get(value, 0), len(members))  # one added since it counted
            groups.append({"status": value, "label": label, "documents": members, "total": total})
    return groups


def _number(value) -> int | None:
    return int(value) if value and str(value).isdecimal() and len(str(value)) <= 9 else None


def _diff(document, request, versions) -> dict:
    """The diff section: the two versions compared (by default the latest and the one
    before), or why there is nothing to compare."""
    old, new = _number(request.GET.get("from")), _number(request.GET.get("to"))
    numbers = [v.number for v in versions]
    try:
        first, second = selectors.document_versions_to_compare(document, old, new, numbers)
    except (Conflict, NotFound) as error:
        return {"error": str(error.message)}
    result, html = diff_versions_html(first, second)
    if result.get("too_large"):
        return {"old": first, "new": second, "error": too_large_message(result)}
    return {"old": first, "new": second, "html": html, "stats": result["stats"]}


@web_view
def document_page(request, pk):
    document = selectors.document_get(request.user, pk)
    return document_page_render(request, document)


def document_page_render(request, document, extra: dict | None = None, status: int = 200):
    """The document's page; `extra` holds a refused form's error and what was typed."""
    context = {**_page_context(request, document), **(extra or {})}
    response = render_page(request, "web/documents/detail.html", context, DETAIL_FRAGMENTS)
    response.status_code = status
    return response


def _page_context(request, document, **bound) -> dict:
    """What the document's page shows; `bound` holds the form that failed (upload_form,
    comment_form, or answer: (comment id, form)), re-shown with its errors and what was typed."""
    congress = current_congress(request, document.congress_id)
    document.congress = congress  # the same row: the consultation panel reads its organization
    user = request.user
    versions = list(selectors.document_versions(document))
    drafter = rules.may_draft_document(document, user)
    is_open = document.status not in Document.FINAL_STATES
    # Each comment's version without its text: the page shows the number and round only.
    comments = list(selectors.document_comments(document).defer("version__text"))
    answer_for, answer_form = bound.get("answer", (None, None))
    for comment in comments:
        comment.typed = answer_form if comment.pk == answer_for else None
    history = list(selectors.document_history(document))  # the stepper and the reason read it too
    diff = _diff(document, request, versions) if len(versions) >= 2 else None
    return {
        "congress": congress,
        "document": document,
        "actions": document_actions(document, user),
        "steps": _steps(document, history),
        "last_reason": _last_reason(document, history),
        "versions": versions,
        "diff": diff,
        "comments": comments,
        "comment_sections": consultations.comments_by_section(
            comments, _latest_text(document, versions, diff) if comments else ""
        ),
        "comment_sources": consultations.counts_by_source(comments),
        "rounds": sorted({v.round for v in versions}, reverse=True),
        "pending_count": sum(1 for c in comments if c.disposition == "pending"),
        "may_upload": drafter and document.status == Document.Status.DRAFTING,
        "may_answer": drafter and is_open,
        "may_comment": is_open and bool(versions),
        "upload_form": bound.get("upload_form") or VersionUploadForm(),
        "comment_form": bound.get("comment_form")
        or DocumentCommentForm(versions=versions, drafter=drafter),
        "answer_form": CommentAnswerForm(),
        "consultation": _consultation(document, user),
        "history": history,
        "nav": "documents",
    }


def _page_again(request, document, status: int, **bound):
    """The document's page again, with the form that failed where it was (not redirected to
    an anchor with the error at the top and the input lost)."""
    forms = {name: value[1] if isinstance(value, tuple) else value for name, value in bound.items()}
    context = _page_context(request, document, **bound)
    if not all(context[SHOWN_IF[name]] for name in forms):
        # The form is not on the page for this user (any more): say it at the top instead.
        for form in forms.values():
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("web-document", pk=document.pk)
    for form in forms.values():
        form_marked(form)
    response = render_page(request, "web/documents/detail.html", context)
    response.status_code = status
    return response


def _latest_text(document, versions, diff) -> str:
    """The text of the latest version that has one (the comments' sections are ordered as it
    holds them): the diff's newer version when that is the latest, already read."""
    compared = (diff or {}).get("new")
    if compared is not None and compared.number == versions[-1].number and compared.text:
        return compared.text
    return (
        document.versions.exclude(text="")
        .order_by("-number")
        .values_list("text", flat=True)
        .first()
        or ""
    )


def _consultation(document, user) -> dict | None:
    """The consultation panel, for those who may invite, on a kind that goes out for comment."""
    if not rules.consultation_allowed(document) or not rules.may_invite(document, user):
        return None
    now = timezone.now()
    invitations = consultations.invitations_of(document, now)
    current = [i for i in invitations if i.round == document.round]
    live = ("waiting", "sent", "opened")
    outside_bodies = consultations.outside_bodies_of(document.congress_id)
    return {
        "invitations": invitations,
        "current": current,
        "not_answered": [i for i in current if i.status in live],
        "answered": [i for i in current if i.answered_at is not None],
        "may_invite": consultations.may_invite_now(document, now),
        "choices": consultations.invitation_choices(
            document, {i.email for i in current if i.revoked_at is None}, outside_bodies
        ),
        "may_close": document.status == Document.Status.CONSULTATION
        and rules.may_close_consultation(document, user),
        "may_keep_bodies": rules.may_keep_outside_bodies(document.congress_id, user),
        "outside_bodies": outside_bodies,
    }


def _last_reason(document, history) -> dict | None:
    """Why the draft is where it is, when someone said so: the last return, withdrawal or
    early close of the consultation, while the document is still in the state it led to."""
    entry = _last_of(history, REASONED)
    if entry is None or entry.to_state != document.status:
        return None
    text = entry.note if entry.transition == "close_consultation" else document.status_reason
    return {"entry": entry, "text": text} if text else None


REASONED = ("return", "withdraw", "close_consultation")


def _last_of(history: list, transitions: tuple[str, ...]):
    """The latest of the history's entries (in their order: at, id) with one of these
    transitions, or None."""
    return next((e for e in reversed(history) if e.transition in transitions), None)


def _steps(document, history) -> list[dict]:
    """The stepper: the draft of the current round, the review steps of the document's kind,
    approval; while out for comment, the consultation is a step of its own after the review
    it was opened from, and the steps before it stay passed."""
    chain = list(document.kind_steps().chain)
    labels = dict(Document.Status.choices)
    status = document.status
    steps = [{"key": "drafting", "label": _("Draft, round %(n)s") % {"n": document.round}}]
    steps += [{"key": step, "label": labels[step]} for step in chain]
    if status == Document.Status.CONSULTATION:
        opened = _last_of(history, ("open_consultation",))
        after = opened.from_state if opened and opened.from_state in chain else chain[-1]
        at = next(i for i, s in enumerate(steps) if s["key"] == after) + 1
        steps.insert(at, {"key": "consultation", "label": labels[status]})
    steps.append({"key": "approved", "label": labels[Document.Status.APPROVED]})
    keys = [s["key"] for s in steps]
    position = keys.index(status) if status in keys else -1
    for i, step in enumerate(steps):
        if status == Document.Status.WITHDRAWN:
            step["state"] = "todo"
        elif status == Document.Status.APPROVED:
            step["state"] = "done"
        else:
            step["state"] = "done" if i < position else "current" if i == position else "todo"
    return steps


document_transition_page = transition_view(
    selectors.document_get,
    labels=DOCUMENT_LABELS,
    service=document_transition,
    id_field="document_id",
    page="web-document",
    nav="documents",
    extra=("consultation_closes_at",),
)


@require_POST
@web_view
def version_add_page(request, pk):
    document = selectors.document_get(request.user, pk)
    form = VersionUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page_again(request, document, 400, upload_form=form)
    data = form.cleaned_data
    source = {"file": data["file"]} if data.get("file") else {"text": data["text"]}
    try:
        version = document_version_add(
            actor=request.user, document_id=document.pk, note=data.get("note") or "", **source
        )
    except DomainError as error:
        form_refuse(form, error)
        return _page_again(request, document, error.status, upload_form=form)
    messages.success(request, _("Version %(number)s was added.") % {"number": version.number})
    return redirect(reverse("web-document", args=[pk]) + "#diff")


@web_view
def version_file(request, pk, number):
    document = selectors.document_get(request.user, pk)
    return version_download(selectors.document_version_get(document, number))


@require_POST
@web_view
def comment_add_page(request, pk):
    document = selectors.document_get(request.user, pk)
    versions = list(selectors.document_versions(document))
    drafter = rules.may_draft_document(document, request.user)
    form = DocumentCommentForm(request.POST, versions=versions, drafter=drafter)

    def add(data):
        return document_comment_add(
            actor=request.user,
            document_id=document.pk,
            text=data["text"],
            section=data.get("section") or "",
            source=data.get("source") or "",
            version=data.get("version"),
        )

    return comment_post(
        request,
        form,
        add,
        reverse("web-document", args=[pk]),
        again=lambda status: _page_again(request, document, status, comment_form=form),
    )


@require_POST
@web_view
def comment_answer_page(request, pk, cid):
    document = selectors.document_get(request.user, pk)
    form = CommentAnswerForm(request.POST)
    if form.is_valid():
        try:
            document_comment_answer(
                actor=request.user,
                document_id=document.pk,
                comment_id=cid,
                disposition=form.cleaned_data["disposition"],
                response=form.cleaned_data["response"] or "",
            )
        except DomainError as error:
            form_refuse(form, error)
            return _page_again(request, document, error.status, answer=(cid, form))
        messages.success(request, _("The answer was saved."))
        return redirect(reverse("web-document", args=[pk]) + f"#comment-{cid}")
    return _page_again(request, document, 400, answer=(cid, form))


@web_view
def comment_summary(request, pk, fmt):
    """The summary of comments taken in and explained (.docx or .xlsx), as the API makes it."""
    if fmt not in reports.SUMMARY_FORMATS:
        raise NotFound("Not found.")
    document = selectors.document_get(request.user, pk)
    round_ = _number(request.GET.get("round"))
    return download(
        *reports.comment_summary_file(document, round=round_, fmt=fmt, user=request.user)
    )


@web_view
def compare_docx(request, pk):
    """The Word comparison of two versions, as the API makes it; a refusal comes back to the
    diff on the document page with its message."""
    document = selectors.document_get(request.user, pk)
    old, new = _number(request.GET.get("from")), _number(request.GET.get("to"))
    try:
        return download(*compare.compare_file(document, old, new))
    except DomainError as error:
        refuse(request, error)
    query = request.GET.urlencode()
    return redirect(reverse("web-document", args=[pk]) + (f"?{query}" if query else "") + "#diff")
