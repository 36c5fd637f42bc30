"""The superior's review (issue 22, flow 2): `GET /api/v1/superior/reviews/` is the queue of
documents waiting for the user's review at the superior level, `GET .../{id}/` one of them
with its version under review by section, `POST .../{id}/comments/` a comment on a section,
`POST .../{id}/transitions/{approve|return}/` the decision. A document not in the user's
queue is the same 404 as a missing one."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from congress.api.common import ID
from congress.api.serializers import TransitionInputSerializer
from congress.fsm import available_transitions
from workflows.api.document_serializers import DocumentCommentSerializer, optional_line_field
from workflows.models import Document
from workflows.selectors.superior import (
    reviewed_document_get,
    superior_review_detail,
    superior_reviews,
    waiting_rows,
)
from workflows.services.superior import DECISIONS, superior_comments_add, superior_decide


def decisions_for(document, user) -> list[str]:
    return [name for name in available_transitions(document, user) if name in DECISIONS]


class WaitingSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="document.pk")
    title = serializers.CharField(source="document.title")
    kind = serializers.CharField(source="document.kind")
    status = serializers.CharField(source="document.status")
    round = serializers.IntegerField(source="document.round")
    version = serializers.IntegerField(source="document.version")
    latest_version = serializers.IntegerField(
        source="document.latest_version_number", allow_null=True
    )
    pending_comments = serializers.IntegerField(source="document.pending_comment_count")
    congress = serializers.IntegerField(source="document.congress_id")
    congress_title = serializers.CharField(source="document.congress.title")
    organization = serializers.CharField(source="document.congress.organization.name")
    body_name = serializers.CharField(source="document.body.name")
    waiting_since = serializers.DateTimeField(source="since", allow_null=True)
    superior_review_due = serializers.DateField(source="due", allow_null=True)
    working_days_left = serializers.IntegerField(source="days_left", allow_null=True)
    available_transitions = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_transitions(self, row) -> list[str]:
        """`approve` and `return` for who decides the superior's review."""
        return decisions_for(row.document, self.context["request"].user)

    def get_url(self, row) -> str:
        return reverse("web-superior-review", args=[row.document.pk])


class SectionSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    reference = serializers.CharField(help_text="What a comment on this section records.")
    heading = serializers.CharField()
    level = serializers.IntegerField()
    text = serializers.CharField()


class ReviewSerializer(serializers.Serializer):
    row = serializers.SerializerMethodField()
    version_under_review = serializers.IntegerField(source="version.number", allow_null=True)
    last_seen_version = serializers.IntegerField(source="seen_number", allow_null=True)
    compare_url = serializers.SerializerMethodField()
    source = serializers.CharField(help_text="The superior organization: its comments' source.")
    sections = SectionSerializer(many=True)
    comments = serializers.SerializerMethodField()
    earlier_comments = DocumentCommentSerializer(source="earlier", many=True)

    def to_representation(self, review):
        data = super().to_representation(review)
        return {**data.pop("row"), **data}

    @extend_schema_field(WaitingSerializer)
    def get_row(self, review) -> dict:
        return WaitingSerializer(review.waiting, context=self.context).data

    def get_compare_url(self, review) -> str | None:
        """The Word comparison of this version with the last one the superior saw."""
        if review.seen_number is None or review.version is None:
            return None
        path = reverse("document-compare-docx", args=[review.document.pk])
        return f"{path}?from={review.seen_number}&to={review.version.number}"

    @extend_schema_field(DocumentCommentSerializer(many=True))
    def get_comments(self, review) -> list:
        """The superior's comments on the version under review."""
        comments = [c for by_section in review.comments.values() for c in by_section]
        comments.sort(key=lambda c: (c.created_at, c.pk))
        return DocumentCommentSerializer(comments, many=True, context=self.context).data


class SuperiorCommentSerializer(serializers.Serializer):
    section = optional_line_field(
        "A section's `reference` from the review; blank for the draft as a whole."
    )
    text = serializers.CharField(max_length=20000)


class SuperiorReviewViewSet(viewsets.GenericViewSet):
    """Documents of the congresses under your organization that wait for your review at the
    superior level: comment on them by section; the standing committee's head or deputy
    approves them or returns them with comments."""

    lookup_value_regex = ID
    http_method_names = ["get", "post", "head", "options"]
    serializer_class = WaitingSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, with no user to ask
            return Document.objects.none()
        return superior_reviews(self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        rows = WaitingSerializer(waiting_rows(page), many=True, context={"request": request})
        return self.get_paginated_response(rows.data)

    @extend_schema(responses=ReviewSerializer)
    def retrieve(self, request, pk=None):
        review = superior_review_detail(request.user, pk)
        return Response(ReviewSerializer(review, context={"request": request}).data)

    @extend_schema(request=SuperiorCommentSerializer, responses=DocumentCommentSerializer)
    @action(detail=True, methods=["post"])
    def comments(self, request, pk=None):
        serializer = SuperiorCommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        [comment] = superior_comments_add(
            actor=request.user, document_id=int(pk), comments=[(data["section"], data["text"])]
        )
        return Response(
            DocumentCommentSerializer(comment, context={"request": request}).data,
            status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=TransitionInputSerializer,
        responses=WaitingSerializer,
        parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH)],
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]{1,40})")
    def transition(self, request, pk=None, name=None):
        """The decision: `approve`, or `return` with a `reason`. The document leaves the
        queue; the answer is the document as it is now in the queue's terms."""
        serializer = TransitionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        superior_decide(
            actor=request.user, document_id=int(pk), name=name, **serializer.validated_data
        )
        [row] = waiting_rows([reviewed_document_get(request.user, pk)])
        return Response(WaitingSerializer(row, context={"request": request}).data)
