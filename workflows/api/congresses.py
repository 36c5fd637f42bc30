"""The congress-wide views that use the workflows: lifecycle transitions, the dashboard, and
what a congress's leaders do to its whole plan (apply a template, preview and apply a new
opening date, hand the congress over to a successor's congress) and the progress report.

Thin views: they parse, call workflows.services.plans / congresses, and render.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from congress import exports
from congress.api.common import DOWNLOAD_RENDERERS, MAX_ID, download, in_user_language
from congress.api.serializers import CongressSerializer, TransitionInputSerializer
from congress.api.targets import period_param
from congress.errors import Invalid, NotFound
from congress.models import PlanTemplate
from congress.selectors import congresses_visible_to
from congress.validation import validate_date
from workflows import progress
from workflows.schedule import congress_schedule, schedule_data
from workflows.selectors.tasks import congress_dashboard
from workflows.services.congresses import congress_transition
from workflows.services.plans import plan_apply, plan_redate, plan_redate_preview
from workflows.services.transfers import congress_transfer


class ApplyPlanSerializer(serializers.Serializer):
    template = serializers.PrimaryKeyRelatedField(queryset=PlanTemplate.objects.all())


class RedateSerializer(serializers.Serializer):
    opens_on = serializers.DateField(validators=[validate_date])


class TransferSerializer(serializers.Serializer):
    successor_congress = serializers.IntegerField(min_value=1, max_value=10**18)
    body_mapping = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=10**18),
        required=False,
        default=dict,
        help_text="Body id of this congress -> body id of the successor congress, where "
        "matching by kind is not what you want.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    version = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)

    def validate_body_mapping(self, value):
        if any(not key.isdecimal() or len(key) > 18 for key in value):
            raise serializers.ValidationError(_("Keys are body ids of this congress."))
        return {int(key): body for key, body in value.items()}


def _move_data(move) -> dict:
    task = move.task
    return {
        "task": task.pk,
        "title": task.title,
        "body": task.body_id,
        "body_name": task.body.name,
        "assignee": task.assignee_id,
        "status": task.status,
        "old_due_at": move.old_due_at,
        "new_due_at": move.new_due_at,
        "old_starts_on": move.old_starts_on,
        "new_starts_on": move.new_starts_on,
        "working_days_before_opening": move.working_days_before_opening,
        "overdue": move.overdue,
    }


def _redate_data(result) -> dict:
    return {
        "congress": result.congress.pk,
        "old_opens_on": result.old_opens_on,
        "opens_on": result.new_opens_on,
        "moved": len(result.moves),
        "staying": result.staying,
        "moves": [_move_data(m) for m in result.moves],
    }


class ApplyPlanView(APIView):
    @extend_schema(request=ApplyPlanSerializer, responses=dict)
    def post(self, request, pk):
        """Create the template's tasks for this congress (leaders of the congress)."""
        serializer = ApplyPlanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        applied = plan_apply(
            actor=request.user,
            congress_id=pk,
            template_id=serializer.validated_data["template"].pk,
        )
        return Response(
            {
                "congress": applied.congress.pk,
                "template": applied.template.pk,
                "created": len(applied.tasks),
                "tasks": [t.pk for t in applied.tasks],
                "fallbacks": {kind: body.pk for kind, body in applied.fallbacks.items()},
                "notified": sorted(applied.notified),
            },
            status=status.HTTP_201_CREATED,
        )


class RedatePreviewView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("opens_on", OpenApiTypes.DATE, required=True)],
        responses=dict,
    )
    def get(self, request, pk):
        """What would move if the congress opened on `opens_on`; nothing changes."""
        serializer = RedateSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        result = plan_redate_preview(
            actor=request.user, congress_id=pk, opens_on=serializer.validated_data["opens_on"]
        )
        return Response(_redate_data(result))


class RedateView(APIView):
    @extend_schema(request=RedateSerializer, responses=dict)
    def post(self, request, pk):
        """Move the opening and every open task of the plan with it (what the preview showed)."""
        serializer = RedateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = plan_redate(
            actor=request.user, congress_id=pk, opens_on=serializer.validated_data["opens_on"]
        )
        data = _redate_data(result)
        data["congress"] = CongressSerializer(result.congress, context={"request": request}).data
        return Response(data)


class TransferView(APIView):
    @extend_schema(request=TransferSerializer, responses=dict)
    def post(self, request, pk):
        """Hand the congress and its open work over to a congress of the successor
        organization."""
        serializer = TransferSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = congress_transfer(
            actor=request.user,
            congress_id=pk,
            successor_congress_id=data["successor_congress"],
            body_mapping=data["body_mapping"],
            note=data["note"],
            version=data.get("version"),
        )
        return Response(
            {
                "congress": CongressSerializer(result.congress, context={"request": request}).data,
                "successor": result.successor.pk,
                "bodies": {str(old): new.pk for old, new in result.bodies.items()},
                "tasks": [t.pk for t in result.tasks],
                "documents": [d.pk for d in result.documents],
                "reassigned": [
                    {"kind": m.kind, "id": m.obj.pk, "from": m.old_holder, "to": m.holder}
                    for m in result.moved
                    if m.holder != m.old_holder
                ],
            }
        )


class ProgressReportView(APIView):
    renderer_classes = DOWNLOAD_RENDERERS
    LAYOUTS = {
        "docx": (progress.progress_docx, exports.DOCX_TYPE),
        "xlsx": (progress.progress_xlsx, exports.XLSX_TYPE),
    }

    @extend_schema(
        operation_id="congresses_progress_report",
        parameters=[
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=["docx", "xlsx"]),
            OpenApiParameter("period", str, enum=progress.PERIODS),
            OpenApiParameter("year", int),
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    def get(self, request, pk, fmt):
        """Tasks per body, documents by state and the targets' summary, as the user sees
        them, in Word or Excel."""
        congress = congresses_visible_to(request.user).filter(pk=pk).first()
        if congress is None:
            raise NotFound(_("Not found."))
        chosen = period_param(request) or (None, None)
        layout, content_type = self.LAYOUTS[fmt]
        with in_user_language(request):
            report = progress.progress_report(
                request.user, congress, period=chosen[0], year=chosen[1]
            )
            content = layout(report)
        today = timezone.localdate()
        return download(content, content_type, f"tien-do-dai-hoi-{congress.pk}-{today}.{fmt}")


class CongressTransitionView(APIView):
    @extend_schema(request=TransitionInputSerializer, responses=CongressSerializer)
    def post(self, request, pk, name):
        serializer = TransitionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        congress = congress_transition(
            actor=request.user, congress_id=pk, name=name, **serializer.validated_data
        )
        return Response(CongressSerializer(congress, context={"request": request}).data)


class CongressDashboardView(APIView):
    @extend_schema(responses=dict)
    def get(self, request, pk):
        congress = congresses_visible_to(request.user).filter(pk=pk).first()
        if congress is None:
            raise NotFound(_("Not found."))
        return Response(congress_dashboard(request.user, congress))


DELAY_PATTERN = r"^(?P<task>[0-9]{1,18}):(?P<days>[0-9]{1,3})$"


class ScheduleQuerySerializer(serializers.Serializer):
    body = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    delay = serializers.RegexField(
        DELAY_PATTERN,
        required=False,
        error_messages={"invalid": _("Write the delay as <task id>:<working days>, e.g. 17:3.")},
    )

    def validate_delay(self, value: str) -> tuple[int, int]:
        task, days = (int(part) for part in value.split(":"))
        if not 1 <= days <= 250:
            raise serializers.ValidationError(_("A delay is 1 to 250 working days."))
        return task, days


class ScheduleView(APIView):
    """The plan's forward and backward passes in working days, as the caller may see it."""

    @extend_schema(
        parameters=[
            OpenApiParameter("body", int, description="only the tasks of this body"),
            OpenApiParameter(
                "delay", str, description="what if task <id> finished <days> working days later"
            ),
        ],
        responses=dict,
    )
    def get(self, request, pk):
        congress = congresses_visible_to(request.user).filter(pk=pk).first()
        if congress is None:
            raise NotFound(_("Not found."))
        query = ScheduleQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        delay = query.validated_data.get("delay")
        result = congress_schedule(request.user, congress, delay=delay)
        if delay and delay[0] not in result.nodes:
            raise Invalid({"delay": [_("No scheduled task you can see has this id.")]})
        return Response(schedule_data(congress, result, body=query.validated_data.get("body")))
