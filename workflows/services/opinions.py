"""The signed written opinions (*văn bản góp ý*) invited organizations upload through their
link, and the drafters' download of them.

A file is checked by its content as a version is (workflows.uploads: type, size, the bounded
reading of a .docx) and only .pdf or .docx is kept: a signed letter is a scan or a Word file.
The check runs before the transaction that stores it. The stored name is ours; nothing of the
uploaded name reaches the file system.
"""

import uuid

from django.core.files.base import ContentFile
from django.http import FileResponse
from django.utils.translation import gettext as _

from congress.errors import Invalid, NotFound
from congress.files import Readable
from workflows import uploads
from workflows.models import ConsultationInvitation, Document, WrittenOpinion
from workflows.services.transitions import audit_record

OPINION_TYPES = ("pdf", "docx")


def opinion_check(file: Readable) -> uploads.CheckedFile:
    """Read and check an uploaded written opinion; Invalid (400) on the field `opinion`."""
    try:
        checked = uploads.check_upload(file)
    except Invalid as error:
        messages = [str(m) for m in error.details["fields"].get("file", [error.message])]
        raise Invalid({"opinion": messages}, error.message, code="file_refused") from error
    if checked.file_type not in OPINION_TYPES:
        raise Invalid(
            {"opinion": [_("A written opinion is a PDF (.pdf) or Word (.docx) file.")]},
            code="file_refused",
        )
    return checked


def opinion_store(
    invitation: ConsultationInvitation, document: Document, checked: uploads.CheckedFile
) -> WrittenOpinion:
    """Keep the checked file under the invitation; inside the caller's transaction."""
    opinion = WrittenOpinion(
        invitation=invitation,
        original_name=checked.name,
        file_type=checked.file_type,
        size=checked.size,
        sha256=checked.sha256,
    )
    stored = f"{document.congress_id}/{uuid.uuid4().hex}.{checked.file_type}"
    opinion.file.save(stored, ContentFile(checked.data), save=False)
    try:
        opinion.save()
    except Exception:
        opinion.file.delete(save=False)
        raise
    audit_record(
        document,
        transition="invitation_opinion",
        actor=None,
        note=f"{invitation.name}: {checked.name}",
    )
    return opinion


def opinion_download(document: Document, opinion_id: int) -> FileResponse:
    """A written opinion sent on `document` (the caller checked who asks), as an attachment."""
    opinion = WrittenOpinion.objects.filter(pk=opinion_id, invitation__document=document).first()
    if opinion is None:
        raise NotFound(_("Not found."))
    try:
        handle = opinion.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise NotFound(_("The file of this written opinion is missing from storage.")) from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=opinion.original_name,
        content_type=uploads.MIME[opinion.file_type],
    )
    response["Cache-Control"] = "private, no-store"
    return response
