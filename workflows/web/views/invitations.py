"""The consultation on the document page, for the drafters: invite organizations (from those
under the congress's own, from the congress's outside bodies, or by name and email), revoke
and re-send a link, download a written opinion, close the consultation early, and keep the
list of outside bodies. Every change goes through workflows.services; a refusal is shown next
to the form that failed, with what was typed kept."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.errors import DomainError, Invalid, NotFound
from congress.models import Organization
from workflows import rules
from workflows.models import OutsideBody
from workflows.selectors import documents as selectors
from workflows.services.invitations import (
    consultation_close_early,
    invitation_create,
    invitation_resend,
    invitation_revoke,
)
from workflows.services.opinions import opinion_download
from workflows.services.outside_bodies import (
    outside_bodies_import,
    outside_body_create,
    outside_body_delete,
)
from workflows.web.views.base import refuse, web_view
from workflows.web.views.documents import document_page_render

ANCHOR = "#consultation"
FIELDS = ("choice", "name", "email", "contact")


def _back(pk: int, anchor: str = ANCHOR):
    return redirect(reverse("web-document", args=[pk]) + anchor)


def _error_text(error: DomainError) -> str:
    if isinstance(error, Invalid):
        return " ".join(str(m) for msgs in error.details["fields"].values() for m in msgs)
    return str(error.message)


def _chosen(document, choice: str):
    """(organization, outside body) named by the select: "org:ID", "body:ID" or nothing."""
    kind, _sep, number = (choice or "").partition(":")
    if not number.isdecimal() or len(number) > 18:
        return None, None
    if kind == "org":
        return Organization.objects.filter(pk=int(number)).first(), None
    if kind == "body":
        body = OutsideBody.objects.filter(pk=int(number), congress=document.congress_id).first()
        return None, body
    return None, None


@require_POST
@web_view
def invitation_add_page(request, pk):
    document = selectors.document_get(request.user, pk)
    typed = {name: request.POST.get(name, "")[:300] for name in FIELDS}
    organization, body = _chosen(document, typed["choice"])
    name = typed["name"] or (body.name if body else "")
    email = typed["email"] or (body.email if body else "")
    contact = typed["contact"] or (body.contact if body else "")
    try:
        issued = invitation_create(
            actor=request.user,
            document_id=document.pk,
            organization=organization,
            name=name,
            email=email,
            contact=contact,
        )
    except DomainError as error:
        extra = {"invite_typed": typed, "invite_error": _error_text(error)}
        return document_page_render(request, document, extra, status=error.status)
    invitation = issued.invitation
    if issued.url:
        text = _("%(name)s is invited: the link was sent to %(email)s.")
    else:
        text = _("%(name)s is invited: the link goes out when the consultation opens.")
    messages.success(request, text % {"name": invitation.name, "email": invitation.email})
    return _back(pk)


@require_POST
@web_view
def invitation_revoke_page(request, pk, iid):
    document = selectors.document_get(request.user, pk)
    try:
        invitation = invitation_revoke(
            actor=request.user, document_id=document.pk, invitation_id=iid
        )
    except DomainError as error:
        refuse(request, error)
    else:
        messages.success(
            request, _("The link of %(name)s no longer works.") % {"name": invitation.name}
        )
    return _back(pk)


@require_POST
@web_view
def invitation_resend_page(request, pk, iid):
    document = selectors.document_get(request.user, pk)
    try:
        issued = invitation_resend(actor=request.user, document_id=document.pk, invitation_id=iid)
    except DomainError as error:
        refuse(request, error)
    else:
        messages.success(
            request,
            _("A new link was sent to %(email)s; the old one no longer works.")
            % {"email": issued.invitation.email},
        )
    return _back(pk)


@web_view
def opinion_file(request, pk, oid):
    """A written opinion, for those who may invite (the drafters and the leaders); for
    anyone else it does not exist."""
    document = selectors.document_get(request.user, pk)
    if not rules.may_invite(document, request.user):
        raise NotFound(_("Not found."))
    return opinion_download(document, oid)


@require_POST
@web_view
def consultation_close_page(request, pk):
    document = selectors.document_get(request.user, pk)
    reason = request.POST.get("reason", "")[:3000]
    try:
        consultation_close_early(actor=request.user, document_id=document.pk, reason=reason)
    except DomainError as error:
        extra = {"close_typed": reason, "close_error": _error_text(error)}
        return document_page_render(request, document, extra, status=error.status)
    messages.success(request, _("The consultation is closed; the draft is back in drafting."))
    return _back(pk, "")


@require_POST
@web_view
def outside_body_add_page(request, pk):
    document = selectors.document_get(request.user, pk)
    typed = {name: request.POST.get(name, "")[:300] for name in ("name", "email", "contact")}
    try:
        outside_body_create(actor=request.user, congress_id=document.congress_id, **typed)
    except DomainError as error:
        extra = {"body_typed": typed, "body_error": _error_text(error)}
        return document_page_render(request, document, extra, status=error.status)
    messages.success(request, _("%(name)s was added to the outside bodies.") % typed)
    return _back(pk, "#outside-bodies")


@require_POST
@web_view
def outside_body_remove_page(request, pk, bid):
    document = selectors.document_get(request.user, pk)
    try:
        outside_body_delete(
            actor=request.user, congress_id=document.congress_id, outside_body_id=bid
        )
    except DomainError as error:
        refuse(request, error)
    else:
        messages.success(request, _("Removed from the outside bodies."))
    return _back(pk, "#outside-bodies")


@require_POST
@web_view
def outside_bodies_import_page(request, pk):
    document = selectors.document_get(request.user, pk)
    try:
        rows = outside_bodies_import(
            actor=request.user, congress_id=document.congress_id, file=request.FILES.get("file")
        )
    except DomainError as error:
        extra = {"import_error": _error_text(error)}
        return document_page_render(request, document, extra, status=error.status)
    added = sum(1 for row in rows if row.outcome == "added")
    already = sum(1 for row in rows if row.outcome == "already")
    messages.success(
        request,
        _("Outside bodies imported: %(added)s added, %(already)s already on the list.")
        % {"added": added, "already": already},
    )
    refused = [row for row in rows if row.outcome == "refused"]
    if refused:
        lines = [
            _("Row %(number)s (%(name)s): %(message)s")
            % {"number": row.number, "name": row.name or "—", "message": row.message}
            for row in refused[:20]
        ]
        messages.warning(request, _("Not added:") + " " + "; ".join(lines))
    return _back(pk, "#outside-bodies")
