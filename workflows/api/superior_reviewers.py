"""The superior's reviewers of a subordinate congress: `GET, POST
/api/v1/congresses/{id}/superior-reviewers/`, `DELETE .../{reviewer_id}/`, for the superior
organization's office (workflows.services.superior_reviewers)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from congress.models import SuperiorReviewer
from workflows.services import superior_reviewers as service


class SuperiorReviewerSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    full_name = serializers.CharField(source="user.get_full_name", read_only=True)

    class Meta:
        model = SuperiorReviewer
        fields = ["id", "user", "username", "full_name", "document_kind", "named_by", "named_at"]
        read_only_fields = fields


class NameInputSerializer(serializers.Serializer):
    user = serializers.CharField(max_length=254, help_text="The account's username or email.")
    document_kind = serializers.ChoiceField(
        choices=service.KINDS,
        default="",
        help_text="A kind of document; empty: every kind but the personnel plan.",
    )


class SuperiorReviewersView(APIView):
    @extend_schema(responses=SuperiorReviewerSerializer(many=True))
    def get(self, request, pk: int):
        congress = service.congress_for_naming(request.user, pk)
        rows = service.reviewers_of(congress)
        return Response(SuperiorReviewerSerializer(rows, many=True).data)

    @extend_schema(request=NameInputSerializer, responses={201: SuperiorReviewerSerializer})
    def post(self, request, pk: int):
        data = NameInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reviewer = service.superior_reviewer_name(
            actor=request.user, congress_id=pk, **data.validated_data
        )
        return Response(SuperiorReviewerSerializer(reviewer).data, status=status.HTTP_201_CREATED)


class SuperiorReviewerView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, pk: int, reviewer_id: int):
        service.superior_reviewer_remove(
            actor=request.user, congress_id=pk, reviewer_id=reviewer_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
