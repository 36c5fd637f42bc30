"""Resolutions, their targets and the targets' results per period, and an organization's list
of targets (its predecessors' included) with the "X/Y đạt và vượt" summary, as JSON and .xlsx.

Every route reads through congress.targets' selectors: a resolution of an organization the
user has nothing to do with is the same 404 as a missing one.
"""

from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from congress import exports, targets
from congress.api.common import DOWNLOAD_RENDERERS, MAX_ID, download, in_user_language
from congress.api.validated import ValidatedModelSerializer
from congress.api.viewsets import ListCreatePatchViewSet
from congress.errors import Invalid
from congress.models import Resolution, Target, TargetResult
from congress.validation import FIRST_YEAR, LAST_YEAR

Period = TargetResult.Period


class ResolutionSerializer(ValidatedModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = Resolution
        fields = ["id", "organization", "organization_name", "code", "title", "term", "adopted_on"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            from congress.selectors import organizations_visible_to

            fields["organization"].queryset = organizations_visible_to(request.user)
        return fields


class ResolutionUpdateSerializer(ResolutionSerializer):
    class Meta(ResolutionSerializer.Meta):
        read_only_fields = ["organization"]


class TargetResultSerializer(ValidatedModelSerializer):
    status = serializers.SerializerMethodField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4, coerce_to_string=False)
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)

    class Meta:
        model = TargetResult
        fields = ["id", "period", "year", "value", "note", "status", "recorded_at"]
        read_only_fields = ["id", "status", "recorded_at"]

    def get_status(self, result) -> str:
        return targets.target_status(result.target, result.value)


class TargetSerializer(ValidatedModelSerializer):
    resolution_code = serializers.CharField(source="resolution.code", read_only=True)
    organization = serializers.IntegerField(source="resolution.organization_id", read_only=True)
    results = TargetResultSerializer(many=True, read_only=True)
    baseline = serializers.DecimalField(
        max_digits=20, decimal_places=4, coerce_to_string=False, required=False, allow_null=True
    )
    target_value = serializers.DecimalField(max_digits=20, decimal_places=4, coerce_to_string=False)
    position = serializers.IntegerField(min_value=0, max_value=32767, required=False)

    class Meta:
        model = Target
        fields = [
            "id",
            "resolution",
            "resolution_code",
            "organization",
            "code",
            "position",
            "name",
            "unit",
            "baseline",
            "target_value",
            "direction",
            "results",
        ]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["resolution"].queryset = targets.resolutions_visible_to(request.user)
        return fields


class TargetUpdateSerializer(TargetSerializer):
    class Meta(TargetSerializer.Meta):
        read_only_fields = ["resolution"]


class ResolutionFilter(filters.FilterSet):
    organization = filters.NumberFilter(field_name="organization_id", min_value=1, max_value=MAX_ID)

    class Meta:
        model = Resolution
        fields = ["organization", "term"]


class ResolutionViewSet(ListCreatePatchViewSet):
    """Resolutions whose targets the political report reviews (e.g. 10-NQ/QU)."""

    filterset_class = ResolutionFilter
    search_fields = ["code", "title"]

    def get_queryset(self):
        return targets.resolutions_visible_to(self.request.user).order_by("term", "code", "id")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return ResolutionUpdateSerializer
        return ResolutionSerializer

    def perform_create(self, serializer):
        serializer.instance = targets.resolution_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = targets.resolution_update(
            actor=self.request.user,
            resolution_id=serializer.instance.pk,
            **serializer.validated_data,
        )


class TargetFilter(filters.FilterSet):
    resolution = filters.NumberFilter(field_name="resolution_id", min_value=1, max_value=MAX_ID)
    organization = filters.NumberFilter(
        method="filter_organization",
        min_value=1,
        max_value=MAX_ID,
        help_text="The organization's list: its targets and its predecessors'.",
    )

    class Meta:
        model = Target
        fields = ["resolution", "organization", "direction"]

    def filter_organization(self, queryset, name, value):
        organization = targets.organization_for_targets(self.request.user, int(value))
        return queryset.filter(resolution__organization_id__in=targets.lineage(organization))


class TargetViewSet(ListCreatePatchViewSet):
    """Targets of resolutions, with their results; `POST .../results/` records one."""

    filterset_class = TargetFilter
    search_fields = ["code", "name"]

    def get_queryset(self):
        return targets.targets_visible_to(self.request.user).order_by(
            "resolution__organization_id", "resolution__code", "position", "id"
        )

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return TargetUpdateSerializer
        if self.action == "results":
            return TargetResultSerializer
        return TargetSerializer

    def perform_create(self, serializer):
        serializer.instance = targets.target_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = targets.target_update(
            actor=self.request.user, target_id=serializer.instance.pk, **serializer.validated_data
        )

    @extend_schema(request=TargetResultSerializer, responses=TargetResultSerializer)
    @action(detail=True, methods=["post"])
    def results(self, request, pk=None):
        """Record what the target reached in a period (a second record corrects it)."""
        target = self.get_object()
        serializer = TargetResultSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result, created = targets.target_result_record(
            actor=request.user, target_id=target.pk, **serializer.validated_data
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(TargetResultSerializer(result).data, status=code)


def period_param(request) -> tuple[str, int] | None:
    period, year = request.query_params.get("period"), request.query_params.get("year")
    if not period and not year:
        return None
    errors = {}
    if period not in Period.values:
        errors["period"] = [_("Choose one of: %(values)s.") % {"values": ", ".join(Period.values)}]
    if not (year or "").isdecimal() or not FIRST_YEAR <= int(year) <= LAST_YEAR:
        errors["year"] = [
            _("Give a year between %(first)s and %(last)s, e.g. 2024.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        ]
    if errors:
        raise Invalid(errors)
    return period, int(year)


def _summary_data(summary: targets.PeriodSummary, with_rows: bool) -> dict:
    data = {
        "period": summary.period,
        "year": summary.year,
        "label": summary.label,
        "total": summary.total,
        "exceeded": summary.exceeded,
        "met": summary.met,
        "not_met": summary.not_met,
        "not_reported": summary.not_reported,
        "met_or_exceeded": summary.met_or_exceeded,
        "text": summary.text,
    }
    if with_rows:
        data["targets"] = [
            {
                "id": target.pk,
                "code": target.code,
                "name": target.name,
                "organization": target.resolution.organization_id,
                "resolution": target.resolution_id,
                "value": result.value if result else None,
                "status": status,
            }
            for target, result, status in summary.rows
        ]
    return data


PERIOD_PARAMETERS = [
    OpenApiParameter("period", str, enum=Period.values),
    OpenApiParameter("year", int),
    OpenApiParameter("term", str, description="Only resolutions of this term, e.g. 2020-2025"),
]


class OrganizationTargetsView(APIView):
    """The organization's list of targets (its predecessors' included) and the summary per
    period: all periods with a result, or the one asked for with `period` and `year`."""

    @extend_schema(parameters=PERIOD_PARAMETERS, responses=dict)
    def get(self, request, pk):
        organization = targets.organization_for_targets(request.user, pk)
        chosen = period_param(request)
        listed = list(
            targets.targets_of(
                request.user, organization, term=request.query_params.get("term", "")
            )
        )
        periods = [chosen] if chosen else targets.periods_of(listed)
        summaries = [targets.period_summary(listed, period, year) for period, year in periods]
        context = self.get_renderer_context() | {"request": request}
        return Response(
            {
                "organization": organization.pk,
                "organization_name": organization.name,
                "targets": TargetSerializer(listed, many=True, context=context).data,
                "summaries": [_summary_data(s, with_rows=chosen is not None) for s in summaries],
            }
        )


class OrganizationTargetsExportView(APIView):
    renderer_classes = DOWNLOAD_RENDERERS

    @extend_schema(
        operation_id="organizations_targets_xlsx",
        parameters=PERIOD_PARAMETERS[2:],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request, pk):
        """The list of targets with every period's results and the summary, as Excel."""
        organization = targets.organization_for_targets(request.user, pk)
        listed = targets.targets_of(
            request.user, organization, term=request.query_params.get("term", "")
        )
        with in_user_language(request):
            content = exports.targets_xlsx(organization, listed)
        return download(content, exports.XLSX_TYPE, f"chi-tieu-{organization.pk}.xlsx")
