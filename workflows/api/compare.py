"""`GET /api/v1/documents/{id}/compare.docx?from=N&to=M`: version M with the changes since
version N as Word tracked changes (workflows/compare.py). The document is read through
`document_get`, so one the user may not see is the same 404 as on its other routes, unless it
waits for their review at the superior level (workflows.selectors.superior)."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.views import APIView

from congress.api.common import DOWNLOAD_RENDERERS, download, in_user_language
from congress.errors import Invalid, NotFound
from workflows.compare import compare_file
from workflows.selectors.documents import document_get
from workflows.selectors.superior import superior_review_get


def version_number(request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    if not value.isdecimal() or len(value) > 9:
        raise Invalid({name: [_("Give a version number.")]})
    return int(value)


class DocumentCompareView(APIView):
    renderer_classes = DOWNLOAD_RENDERERS

    @extend_schema(
        operation_id="documents_compare_docx",
        tags=["documents"],
        parameters=[
            OpenApiParameter("from", int, description="Older version number (default: previous)"),
            OpenApiParameter("to", int, description="Newer version number (default: latest)"),
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request, pk):
        """Version `to` as a Word file in which the changes since version `from` are tracked
        changes by its drafter, to accept or reject one by one."""
        try:
            document = document_get(request.user, pk)
        except NotFound:
            # The superior's reviewers compare what waits for their review, even a document
            # they do not otherwise see (the personnel plan).
            document = superior_review_get(request.user, pk)
        with in_user_language(request):
            old, new = version_number(request, "from"), version_number(request, "to")
            return download(*compare_file(document, old, new))
