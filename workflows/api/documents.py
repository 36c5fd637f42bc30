"""The documents API (ARCHITECTURE §6): documents, versions and their files, diffs, comments
and their answers, transitions, history and the comment summary report. Every route goes
through `document_get` first, so a document the user may not see is the same 404 everywhere."""

from django.core.exceptions import RequestDataTooBig
from django.utils.html import escape
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import renderers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from congress.api.common import DOWNLOAD_RENDERERS, MAX_ID, download
from congress.api.viewsets import ListCreatePatchViewSet
from congress.errors import Invalid
from workflows import reports
from workflows.api import document_serializers as s
from workflows.api.compare import version_number
from workflows.api.serializers import AuditEntrySerializer
from workflows.api.writes import ServiceWritesMixin, service_writes
from workflows.diff import diff_versions, diff_versions_html
from workflows.models import Comment, Document
from workflows.selectors.documents import (
    document_comments,
    document_get,
    document_history,
    document_list,
    document_version_get,
    document_versions,
    document_versions_to_compare,
)
from workflows.services.documents import (
    document_comment_add,
    document_comment_answer,
    document_create,
    document_transition,
    document_update,
    document_version_add,
)
from workflows.uploads import refused, version_download

NUMBER = r"[0-9]{1,9}"


class DocumentFilter(filters.FilterSet):
    congress = filters.NumberFilter(field_name="congress_id", min_value=1, max_value=MAX_ID)
    body = filters.NumberFilter(field_name="body_id", min_value=1, max_value=MAX_ID)
    kind = filters.MultipleChoiceFilter(choices=Document.Kind.choices)
    status = filters.MultipleChoiceFilter(choices=Document.Status.choices)
    rapporteur = filters.CharFilter(
        method="filter_rapporteur", max_length=20, help_text="A user id, or `me`."
    )

    class Meta:
        model = Document
        fields = ["congress", "body", "kind", "status", "rapporteur"]

    def filter_rapporteur(self, queryset, name, value):
        if value == "me":
            return queryset.filter(rapporteur=self.request.user)
        if not value.isdecimal() or int(value) > MAX_ID:
            raise Invalid({"rapporteur": [_("Give a user id or “me”.")]})
        return queryset.filter(rapporteur_id=int(value))


class DiffHTMLRenderer(renderers.BaseRenderer):
    """`?format=html` or `Accept: text/html`: the diff as an HTML fragment for web pages."""

    media_type = "text/html"
    format = "html"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode(self.charset)
        detail = data.get("detail", "") if isinstance(data, dict) else data
        return f'<p class="diff-error">{escape(str(detail))}</p>'.encode(self.charset)


def _upload_data(request):
    try:
        return request.data
    except RequestDataTooBig as error:
        # Django caps non-file request bodies (DATA_UPLOAD_MAX_MEMORY_SIZE); files are not.
        raise refused(
            _("The text is too large to send as JSON: upload it as a file."), "text"
        ) from error


@service_writes(
    representation=s.DocumentSerializer, transition_input=s.DocumentTransitionInputSerializer
)
class DocumentViewSet(ServiceWritesMixin, ListCreatePatchViewSet):
    """Congress documents you may see, their drafts, comments and approval chain."""

    filterset_class = DocumentFilter
    search_fields = ["title"]
    ordering_fields = ["title", "kind", "status", "due_at", "created_at", "updated_at", "id"]
    ordering = ["id"]

    def get_queryset(self):
        return document_list(self.request.user)

    def get_serializer_class(self):
        if self.action == "create":
            return s.DocumentCreateSerializer
        if self.action in ("update", "partial_update"):
            return s.DocumentWriteSerializer
        if self.action == "transition":
            return s.DocumentTransitionInputSerializer
        return s.DocumentSerializer

    getter = staticmethod(document_get)
    create_service = staticmethod(document_create)
    update_service = staticmethod(document_update)
    transition_service = staticmethod(document_transition)
    id_field = "document_id"

    @extend_schema(responses=AuditEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        document = self.get_object()
        page = self.paginate_queryset(document_history(document))
        return self.get_paginated_response(AuditEntrySerializer(page, many=True).data)

    @extend_schema(methods=["GET"], responses=s.DocumentVersionSerializer(many=True), request=None)
    @extend_schema(
        methods=["POST"],
        request={
            "multipart/form-data": s.DocumentVersionUploadSerializer,
            "application/json": s.DocumentVersionUploadSerializer,
        },
        responses={201: s.DocumentVersionDetailSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def versions(self, request, pk=None):
        document = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(document_versions(document))
            return self.get_paginated_response(s.DocumentVersionSerializer(page, many=True).data)
        serializer = s.DocumentVersionUploadSerializer(data=_upload_data(request))
        serializer.is_valid(raise_exception=True)
        version = document_version_add(
            actor=request.user, document_id=document.pk, **serializer.validated_data
        )
        return Response(
            s.DocumentVersionDetailSerializer(version).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(responses=s.DocumentVersionDetailSerializer)
    @action(detail=True, methods=["get"], url_path=rf"versions/(?P<number>{NUMBER})")
    def version_detail(self, request, pk=None, number=None):
        version = document_version_get(self.get_object(), int(number))
        return Response(s.DocumentVersionDetailSerializer(version).data)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(
        detail=True,
        methods=["get"],
        url_path=rf"versions/(?P<number>{NUMBER})/file",
        url_name="version-file",
        renderer_classes=DOWNLOAD_RENDERERS,
    )
    def version_file(self, request, pk=None, number=None):
        return version_download(document_version_get(self.get_object(), int(number)))

    @extend_schema(
        parameters=[
            OpenApiParameter("from", int, description="Older version number (default: previous)"),
            OpenApiParameter("to", int, description="Newer version number (default: latest)"),
        ],
        responses={200: OpenApiTypes.OBJECT, (200, "text/html"): OpenApiTypes.STR},
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[renderers.JSONRenderer, DiffHTMLRenderer],
    )
    def diff(self, request, pk=None):
        document = self.get_object()
        old, new = document_versions_to_compare(
            document, version_number(request, "from"), version_number(request, "to")
        )
        if request.accepted_renderer.format == "html":
            return Response(diff_versions_html(old, new)[1])
        result = diff_versions(old, new)
        return Response(
            {
                "document": document.pk,
                "from": {"number": old.number, "round": old.round},
                "to": {"number": new.number, "round": new.round},
                **result,
            }
        )

    @extend_schema(
        methods=["GET"],
        parameters=[
            OpenApiParameter("version", int),
            OpenApiParameter("round", int),
            OpenApiParameter("disposition", str, enum=Comment.Disposition.values),
            OpenApiParameter("section", str),
        ],
        responses=s.DocumentCommentSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        request=s.DocumentCommentCreateSerializer,
        responses={201: s.DocumentCommentSerializer},
    )
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        document = self.get_object()
        if request.method == "GET":
            page = self.paginate_queryset(self._filter_comments(document_comments(document)))
            return self.get_paginated_response(s.DocumentCommentSerializer(page, many=True).data)
        serializer = s.DocumentCommentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = document_comment_add(
            actor=request.user, document_id=document.pk, **serializer.validated_data
        )
        return Response(s.DocumentCommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    def _filter_comments(self, comments):
        params = self.request.query_params
        if (number := version_number(self.request, "version")) is not None:
            comments = comments.filter(version__number=number)
        if (round_ := version_number(self.request, "round")) is not None:
            comments = comments.filter(version__round=round_)
        disposition = params.get("disposition")
        if disposition:
            if disposition not in Comment.Disposition.values:
                raise Invalid(
                    {"disposition": [_("One of: %s.") % ", ".join(Comment.Disposition.values)]}
                )
            comments = comments.filter(disposition=disposition)
        if params.get("section"):
            comments = comments.filter(section=params["section"][:255])
        return comments

    @extend_schema(request=s.DocumentCommentAnswerSerializer, responses=s.DocumentCommentSerializer)
    @action(
        detail=True,
        methods=["patch"],
        url_path=r"comments/(?P<cid>[0-9]{1,18})",
        url_name="comment-detail",
    )
    def comment_detail(self, request, pk=None, cid=None):
        document = self.get_object()
        serializer = s.DocumentCommentAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = document_comment_answer(
            actor=request.user,
            document_id=document.pk,
            comment_id=int(cid),
            **serializer.validated_data,
        )
        return Response(s.DocumentCommentSerializer(comment).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(reports.SUMMARY_FORMATS)),
            OpenApiParameter("round", int, description="Only comments on drafts of this round"),
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"comment-summary/(?P<fmt>docx|xlsx)",
        url_name="comment-summary",
        renderer_classes=DOWNLOAD_RENDERERS,
    )
    def comment_summary(self, request, pk=None, fmt=None):
        """The summary of comments taken in and explained, as Word or Excel."""
        document = self.get_object()
        return download(
            *reports.comment_summary_file(
                document, round=version_number(request, "round"), fmt=fmt, user=request.user
            )
        )
