"""Members from a spreadsheet, in the web: upload → the dry run's table → "Import" → the
result. The uploaded file is kept in the cache for a short time under its sha256 (scoped to
the user and the congress), so "Import" runs on exactly the file that was previewed without a
second upload; when it is gone the page asks for the file again."""

import hashlib

from django import forms
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import member_import
from congress.errors import DomainError
from congress.exports import XLSX_TYPE
from congress.spreadsheets import max_upload_bytes
from workflows.api.member_import import row_action
from workflows.services.member_import import members_import
from workflows.web.setup_forms import show_error
from workflows.web.views.base import current_congress, error_text, render_page, web_view

KEEP_SECONDS = 30 * 60


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
        help_text=gettext_lazy(
            "Columns: Họ và tên, Email, Số điện thoại (optional), Tiểu ban, Vai trò; in any "
            "order, the header in Vietnamese or English."
        ),
    )


def _key(request, congress, digest: str) -> str:
    return f"member-import:{request.user.pk}:{congress.pk}:{digest}"


@web_view
def members_import_page(request, pk):
    congress = current_congress(request, pk)
    context = {"congress": congress, "nav": "setup", "form": UploadForm()}
    if not member_import.may_import(request.user, congress):
        context["refused"] = str(member_import.may_import.description)
        return render(request, "web/setup/member_import.html", context, status=403)
    if request.method == "POST":
        if request.POST.get("action") == "import":
            _import(request, congress, context)
        else:
            _preview(request, congress, context)
    return render_page(request, "web/setup/member_import.html", context)


def _preview(request, congress, context) -> None:
    form = UploadForm(request.POST, request.FILES)
    context["form"] = form
    if not form.is_valid():
        return
    uploaded = form.cleaned_data["file"]
    if uploaded.size > max_upload_bytes():  # refused by the reader, without keeping it
        data = b""
    else:
        data = uploaded.read(max_upload_bytes() + 1)
        uploaded.seek(0)
    try:
        plan = members_import(
            actor=request.user, congress=congress, uploaded=uploaded, dry_run=True
        )
    except DomainError as error:
        show_error(form, error)
        return
    digest = hashlib.sha256(data).hexdigest()
    cache.set(_key(request, congress, digest), (uploaded.name, data), KEEP_SECONDS)
    context.update(_plan_context(plan), digest=digest, file_name=uploaded.name)


def _import(request, congress, context) -> None:
    digest = request.POST.get("digest", "")[:64]
    kept = cache.get(_key(request, congress, digest)) if digest.isalnum() else None
    if kept is None:
        context["upload_error"] = _(
            "The file is no longer kept (after 30 minutes): upload it again."
        )
        return
    name, data = kept
    try:
        plan = members_import(
            actor=request.user,
            congress=congress,
            uploaded=SimpleUploadedFile(name, data),
            dry_run=False,
        )
    except member_import.RowsInvalid as refused:
        context.update(_plan_context(refused.plan), refused_import=str(refused.message))
        return
    except DomainError as error:  # the file was read before: a change since, or a refusal
        context["upload_error"] = error_text(error)
        return
    cache.delete(_key(request, congress, digest))
    context.update(_plan_context(plan), done=True, file_name=name)


def _plan_context(plan) -> dict:
    for row in plan.rows:
        row.action = row_action(row)
    return {"plan": plan, "summary": plan.summary()}


@web_view
def template_xlsx(request, pk):
    congress = current_congress(request, pk)
    response = HttpResponse(member_import.template_xlsx(congress), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-thanh-vien.xlsx"'
    return response
