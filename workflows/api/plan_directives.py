"""`GET, POST /api/v1/organizations/{id}/plan-directives/`: the plans the organization's office
pushed to the congresses under it, who applied them and when; push one
(workflows.services.plan_directives)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from congress.models import PlanDirective
from congress.validation import validate_date
from workflows.services import plan_directives as service


class PlanDirectiveSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="congress.organization.name", read_only=True)
    congress_title = serializers.CharField(source="congress.title", read_only=True)
    template_name = serializers.CharField(source="template.name", read_only=True)

    class Meta:
        model = PlanDirective
        fields = [
            "id",
            "congress",
            "congress_title",
            "organization_name",
            "template",
            "template_name",
            "deadline",
            "pushed_by",
            "pushed_at",
            "applied_at",
        ]
        read_only_fields = fields


class PushInputSerializer(serializers.Serializer):
    template = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    deadline = serializers.DateField(validators=[validate_date])
    congresses = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        allow_null=True,
        max_length=service.MOST_CONGRESSES,
        help_text="The congresses to push it to; left out: every open congress under yours.",
    )


class PlanDirectivesView(APIView):
    @extend_schema(responses=PlanDirectiveSerializer(many=True))
    def get(self, request, pk: int):
        organization = service.organization_for_pushing(request.user, pk)
        rows = service.directives_of(organization)
        return Response(PlanDirectiveSerializer(rows, many=True).data)

    @extend_schema(request=PushInputSerializer, responses={201: PlanDirectiveSerializer(many=True)})
    def post(self, request, pk: int):
        data = PushInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pushed = service.plan_push(
            actor=request.user,
            organization_id=pk,
            template_id=data.validated_data["template"],
            deadline=data.validated_data["deadline"],
            congress_ids=data.validated_data.get("congresses"),
        )
        return Response(
            PlanDirectiveSerializer(pushed, many=True).data, status=status.HTTP_201_CREATED
        )
