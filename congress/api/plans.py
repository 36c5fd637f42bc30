"""Plan templates (`/api/v1/plan-templates/`): every signed-in user reads them; staff write them.
Items are written with the template, by key: `after` and `depends_on` name other items' keys.
Applying a template to a congress is `POST /api/v1/congresses/{id}/apply-plan/`
(workflows.api.plans)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from congress import plans
from congress.api.viewsets import ListCreatePatchViewSet
from congress.models import Body, Organization, PlanItem, PlanTemplate


class ItemKeyField(serializers.SlugField):
    """Another item of the template, by its key."""

    def to_representation(self, item):
        return item.key


class ItemKeysField(serializers.ListField):
    """Other items of the template, by their keys."""

    child = serializers.SlugField(max_length=64)

    def to_representation(self, items):
        return sorted(item.key for item in items.all())


class PlanItemSerializer(serializers.ModelSerializer):
    key = serializers.SlugField(max_length=64)
    after = ItemKeyField(
        max_length=64,
        required=False,
        allow_null=True,
        default=None,
        help_text="The key of the item this one is dated after (with anchor `item`).",
    )
    depends_on = ItemKeysField(
        required=False,
        default=list,
        max_length=200,
        help_text="Keys of the items this one waits for.",
    )
    body_kind = serializers.ChoiceField(choices=Body.Kind.choices)
    # Items are written whole: an item left without an anchor is dated before the opening.
    anchor = serializers.ChoiceField(choices=PlanItem.Anchor.choices, default="opening")
    offset_days = serializers.IntegerField(min_value=0, max_value=2000, required=False)
    duration_days = serializers.IntegerField(min_value=0, max_value=2000, required=False)
    position = serializers.IntegerField(min_value=0, max_value=32767, required=False)

    class Meta:
        model = PlanItem
        fields = [
            "id",
            "key",
            "position",
            "title",
            "description",
            "body_kind",
            "anchor",
            "offset_days",
            "after",
            "depends_on",
            "requires_review",
            "priority",
            "duration_days",
        ]
        read_only_fields = ["id"]


class PlanTemplateSerializer(serializers.ModelSerializer):
    items = PlanItemSerializer(many=True, required=False, max_length=500)
    level = serializers.ChoiceField(
        choices=Organization.Level.choices, required=False, allow_blank=True
    )

    class Meta:
        model = PlanTemplate
        fields = [
            "id",
            "key",
            "name",
            "description",
            "level",
            "builtin",
            "items",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "key", "builtin", "created_at", "updated_at"]


class PlanTemplateCopySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class PlanTemplateViewSet(ListCreatePatchViewSet):
    """Plan templates and their items; staff create, change and copy them."""

    serializer_class = PlanTemplateSerializer
    search_fields = ["name"]
    filterset_fields = ["level", "builtin"]

    def get_queryset(self):
        return plans.plan_templates().order_by("-builtin", "name", "id")

    def _respond(self, template_id, code=status.HTTP_200_OK):
        template = plans.plan_template_get(template_id)
        return Response(self.get_serializer(template).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        template = plans.plan_template_create(actor=request.user, **serializer.validated_data)
        return self._respond(template.pk, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        template = self.get_object()
        serializer = self.get_serializer(template, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        plans.plan_template_update(
            actor=request.user, template_id=template.pk, **serializer.validated_data
        )
        return self._respond(template.pk)

    @extend_schema(request=PlanTemplateCopySerializer, responses=PlanTemplateSerializer)
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        """A copy of the template to adapt (the built-in one stays as installed)."""
        template = self.get_object()
        serializer = PlanTemplateCopySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        copied = plans.plan_template_copy(
            actor=request.user, template_id=template.pk, name=serializer.validated_data["name"]
        )
        return self._respond(copied.pk, status.HTTP_201_CREATED)
