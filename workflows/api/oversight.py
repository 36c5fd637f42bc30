"""The superior level's view of the congresses under an organization (issue 22, flow 3):
`GET /api/v1/organizations/{id}/oversight/` (a page of rows) and `.../oversight.xlsx` (all of
them). 404 for an organization the caller may not oversee (workflows.rules.may_oversee).
Thin views: they parse the query, call workflows.selectors.oversight, and render."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.views import APIView

from congress import exports
from congress.api.common import DOWNLOAD_RENDERERS, download
from congress.models import Congress, Organization
from workflows.models import Document
from workflows.oversight_export import oversight_xlsx
from workflows.selectors.oversight import (
    ORDERINGS,
    OversightRow,
    organization_for_oversight,
    oversight_rows,
)

ORDERING_CHOICES = [*ORDERINGS, *(f"-{name}" for name in ORDERINGS)]
FORECASTS = ("late", "on_time", "unknown")


class OversightQuerySerializer(serializers.Serializer):
    ordering = serializers.ChoiceField(ORDERING_CHOICES, required=False)
    level = serializers.ListField(
        child=serializers.ChoiceField(Organization.Level.choices), required=False
    )
    status = serializers.ListField(
        child=serializers.ChoiceField(Congress.Status.choices), required=False
    )
    late = serializers.BooleanField(required=False)


QUERY_PARAMETERS = [
    OpenApiParameter(
        "ordering",
        str,
        enum=ORDERING_CHOICES,
        description="opening date, working days to the superior-review deadline, forecast "
        "delay (by the days to spare) or share of tasks done; '-' first: descending. "
        "Default: opening.",
    ),
    OpenApiParameter(
        "level", str, enum=Organization.Level.values, many=True, description="organization level"
    ),
    OpenApiParameter(
        "status", str, enum=Congress.Status.values, many=True, description="congress state"
    ),
    OpenApiParameter(
        "late", bool, description="late on the forecast against the superior-review deadline"
    ),
]


def oversight_query(request) -> dict:
    """The filters and order of the query string, checked (400 on a wrong one)."""
    params = request.query_params
    data: dict = {key: params[key] for key in ("ordering", "late") if key in params}
    data.update({key: params.getlist(key) for key in ("level", "status") if key in params})
    query = OversightQuerySerializer(data=data)
    query.is_valid(raise_exception=True)
    found = dict(query.validated_data)
    return {
        "levels": found.get("level", []),
        "statuses": found.get("status", []),
        "late": found.get("late"),
        "ordering": found.get("ordering", "opening"),
    }


class DrivingTaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class WaitingDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    since = serializers.DateTimeField(
        allow_null=True, help_text="when it last entered the superior-review step"
    )
    working_days = serializers.IntegerField(
        allow_null=True, help_text="working days it has waited since"
    )


class OversightRowSerializer(serializers.Serializer):
    congress = serializers.IntegerField(source="congress.pk")
    title = serializers.CharField(source="congress.title")
    status = serializers.ChoiceField(Congress.Status.choices, source="congress.status")
    organization = serializers.IntegerField(source="congress.organization_id")
    organization_name = serializers.CharField(source="organization.name")
    level = serializers.ChoiceField(Organization.Level.choices, source="organization.level")
    opens_on = serializers.DateField(source="congress.opens_on")
    superior_review_due = serializers.DateField()
    days_to_deadline = serializers.IntegerField(
        help_text="working days from today to the superior-review deadline; negative once past"
    )
    forecast = serializers.SerializerMethodField()
    late_by = serializers.IntegerField(
        source="forecast.late_by",
        allow_null=True,
        help_text="working days late on the forecast (0 on time; null without a forecast)",
    )
    slack_days = serializers.IntegerField(
        source="forecast.slack",
        allow_null=True,
        help_text="working days to spare before the deadline on the forecast; negative: late",
    )
    forecast_finish = serializers.DateField(source="forecast.finishes_on", allow_null=True)
    driving_task = serializers.SerializerMethodField()
    tasks = serializers.IntegerField(help_text="tasks the caller sees, the cancelled left out")
    tasks_done = serializers.IntegerField(source="done")
    done_share = serializers.FloatField(allow_null=True, help_text="0 to 1; null without tasks")
    overdue_tasks = serializers.IntegerField(source="overdue")
    documents_by_state = serializers.SerializerMethodField()
    waiting_for_superior = WaitingDocumentSerializer(source="waiting", many=True)

    @extend_schema_field(serializers.ChoiceField(FORECASTS))
    def get_forecast(self, row: OversightRow) -> str:
        if row.forecast.slack is None:
            return "unknown"
        return "late" if row.forecast.late else "on_time"

    @extend_schema_field(DrivingTaskSerializer(allow_null=True))
    def get_driving_task(self, row: OversightRow) -> dict | None:
        forecast = row.forecast
        if forecast.driver_id is None:
            return None
        return {"id": forecast.driver_id, "title": forecast.driver_title}

    @extend_schema_field(
        {
            "type": "object",
            "properties": {state: {"type": "integer"} for state in Document.Status.values},
            "additionalProperties": False,
        }
    )
    def get_documents_by_state(self, row: OversightRow) -> dict[str, int]:
        return dict(row.documents_by_state)


class OversightView(generics.ListAPIView):
    """One row per congress of the organizations under this one, with how its preparation
    stands as the caller may see it: opening, superior-review deadline, the schedule's
    forecast against it, tasks done and overdue, documents by state and those waiting for
    the superior level."""

    serializer_class = OversightRowSerializer
    filter_backends: list = []

    @extend_schema(operation_id="organizations_oversight", parameters=QUERY_PARAMETERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        organization = organization_for_oversight(self.request.user, self.kwargs["pk"])
        return oversight_rows(self.request.user, organization, **oversight_query(self.request))


class OversightExportView(APIView):
    renderer_classes = DOWNLOAD_RENDERERS

    @extend_schema(
        operation_id="organizations_oversight_xlsx",
        parameters=QUERY_PARAMETERS,
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request, pk):
        """Every row of the oversight list (same filters and order), as Excel with Vietnamese
        headers."""
        organization = organization_for_oversight(request.user, pk)
        rows = oversight_rows(request.user, organization, **oversight_query(request))
        today = timezone.localdate()
        content = oversight_xlsx(organization, rows, today)
        name = f"theo-doi-dai-hoi-{organization.pk}-{today}.xlsx"
        return download(content, exports.XLSX_TYPE, name)
