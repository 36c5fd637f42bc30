"""A new document with its first draft, in one form (/documents/new/): the bodies the user may
start documents in, their possible rapporteurs, and the draft; a refusal is shown next to the
field it is about, with what was typed kept."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from congress.errors import DomainError, Forbidden
from workflows.selectors.bodies import bodies_for_documents, people_for_bodies
from workflows.services.documents import document_create_with_version
from workflows.web.document_forms import DocumentCreateForm
from workflows.web.setup_forms import show_error
from workflows.web.views.base import current_congress, no_congress, web_view

# Refusals about the draft rather than the document: shown under the file field.
DRAFT_CODES = {"version_add_forbidden", "not_drafting"}


@web_view
def document_new_page(request):
    congress = current_congress(request)
    if congress is None:
        return no_congress(request)
    bodies = bodies_for_documents(request.user, congress)
    if not bodies:
        messages.error(
            request,
            _("Only the leaders and secretaries of a body (or the office) start its documents."),
        )
        return redirect("web-documents")
    people, bodies_of = people_for_bodies(request.user, bodies)
    form = DocumentCreateForm(
        request.POST or None,
        request.FILES or None,
        bodies=bodies,
        people=people,
        bodies_of=bodies_of,
        initial={"body": request.GET.get("body")},
    )
    if request.method == "POST" and form.is_valid():
        document = _create(request, form, congress, bodies, people)
        if document is not None:
            return redirect("web-document", pk=document.pk)
    context = {"congress": congress, "form": form, "nav": "documents"}
    return render(request, "web/documents/new.html", context)


def _create(request, form, congress, bodies, people):
    data = form.cleaned_data
    body = next(b for b in bodies if b.pk == data["body"])
    rapporteur = next((p for p in people if p.pk == data["rapporteur"]), None)
    draft = data["file"]
    try:
        document = document_create_with_version(
            actor=request.user,
            congress=congress,
            body=body,
            kind=data["kind"],
            title=data["title"],
            rapporteur=rapporteur,
            due_at=data["due_at"],
            file=draft,
            note=data["note"],
        )
    except DomainError as error:
        if isinstance(error, Forbidden) and error.code in DRAFT_CODES:
            form.add_error("file", str(error.message))
        else:
            show_error(form, error)
        if draft is not None:
            form.add_error("file", _("Nothing was created: choose the file again."))
        return None
    if draft is not None:
        text = _("Document created with its first draft (version 1): %(title)s")
    else:
        text = _("Document created: %(title)s")
    messages.success(request, text % {"title": document.title})
    return document
