from django.contrib.auth import get_user_model
from django.utils.text import capfirst
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from congress.api.validated import ValidatedModelSerializer
from congress.fsm import available_transitions
from congress.models import Congress
from congress.selectors import bodies_visible_to, congresses_visible_to, users_visible_to
from workflows.models import AuditEntry, Comment, Task
from workflows.selectors.tasks import tasks_visible_to
from workflows.services.tasks import EDITABLE_FIELDS, NOTE_MAX

User = get_user_model()


def _name(user) -> str | None:
    return (user.get_full_name() or user.username) if user else None


def _visible_parent_id(task, context) -> int | None:
    if task.parent_id is None:
        return None
    visible = getattr(task, "parent_visible", None)  # annotated by the list selector
    if visible is None:
        user = context["request"].user
        visible = tasks_visible_to(user).filter(pk=task.parent_id).exists()
    return task.parent_id if visible else None


# The formatting of TaskSerializer's dates and times, the same as its model-built fields';
# the format and time zone are read from the settings at each call.
_DAY = serializers.DateField(read_only=True)
_MOMENT = serializers.DateTimeField(read_only=True)


def _at(value):
    return None if value is None else _MOMENT.to_representation(value)


class VisibleParentField(serializers.PrimaryKeyRelatedField):
    """The parent task's id, or null when the reader may not see the parent: a link from
    visible work to hidden work shows no id (ARCHITECTURE §5)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", capfirst(Task._meta.get_field("parent").verbose_name))
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def visible_id(self, task) -> int | None:
        return _visible_parent_id(task, self.context)

    def get_attribute(self, task):
        return self.visible_id(task)

    def to_representation(self, value):
        return value


class TaskSerializer(serializers.ModelSerializer):
    body_name = serializers.CharField(source="body.name", read_only=True)
    assignee_name = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField(read_only=True)
    available_transitions = serializers.SerializerMethodField()
    parent = VisibleParentField()
    depends_on = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "congress",
            "body",
            "body_name",
            "title",
            "description",
            "assignee",
            "assignee_name",
            "created_by",
            "priority",
            "starts_on",
            "due_at",
            "duration_days",
            "status",
            "requires_review",
            "parent",
            "depends_on",
            "completed_at",
            "version",
            "is_overdue",
            "available_transitions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, task):
        """The same dict as ModelSerializer's generic loop, built directly.

        The generic loop looks up 21 fields through DRF's field machinery for every row, and
        building those fields (`self.fields`) costs as much again once per request: neither
        happens here (benchmarks/RESULTS.md, task list). Dates and times go through DRF's
        formatting (fields made once, at import); tests/api/test_task_representation.py
        checks that both ways give the same dict.
        """
        return {
            "id": task.pk,
            "congress": task.congress_id,
            "body": task.body_id,
            "body_name": task.body.name,
            "title": task.title,
            "description": task.description,
            "assignee": task.assignee_id,
            "assignee_name": self.get_assignee_name(task),
            "created_by": task.created_by_id,
            "priority": task.priority,
            "starts_on": None if task.starts_on is None else _DAY.to_representation(task.starts_on),
            "due_at": _at(task.due_at),
            "duration_days": task.duration_days,
            "status": task.status,
            "requires_review": task.requires_review,
            "parent": self.get_parent(task),
            "depends_on": self.get_depends_on(task),
            "completed_at": _at(task.completed_at),
            "version": task.version,
            "is_overdue": task.is_overdue,
            "available_transitions": self.get_available_transitions(task),
            "created_at": _at(task.created_at),
            "updated_at": _at(task.updated_at),
        }

    def get_assignee_name(self, task) -> str | None:
        return _name(task.assignee) if task.assignee_id is not None else None

    def get_parent(self, task) -> int | None:
        return _visible_parent_id(task, self.context)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_depends_on(self, task) -> list[int]:
        """The dependencies the reader may see: the list selector reads their ids through the
        visibility rule (one query for the page)."""
        visible = getattr(task, "visible_dependency_ids", None)
        if visible is None:
            user = self.context["request"].user
            visible = sorted(
                tasks_visible_to(user).filter(dependents=task).values_list("pk", flat=True)
            )
        return visible

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_available_transitions(self, task) -> list[str]:
        return available_transitions(task, self.context["request"].user)


class TaskWriteSerializer(ValidatedModelSerializer):
    """What a client may write on a task; everything else is derived or moves by transition."""

    congress = serializers.PrimaryKeyRelatedField(queryset=Congress.objects.none(), required=False)
    depends_on = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=Task.objects.none()
    )
    version = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        write_only=True,
        max_length=NOTE_MAX,
        help_text="A note to the new assignee, with a change of `assignee` only.",
    )

    class Meta:
        model = Task
        fields = ["congress", *EDITABLE_FIELDS, "depends_on", "version", "note"]

    def get_fields(self):
        fields = super().get_fields()
        user = self.context["request"].user
        fields["congress"].queryset = congresses_visible_to(user)
        fields["body"].queryset = bodies_visible_to(user)
        fields["assignee"].queryset = users_visible_to(user)
        fields["parent"].queryset = tasks_visible_to(user)
        fields["depends_on"].child_relation.queryset = tasks_visible_to(user)
        return fields


class TaskCreateSerializer(TaskWriteSerializer):
    note = None  # a new task has no previous assignee to hand over from

    class Meta(TaskWriteSerializer.Meta):
        fields = ["congress", *EDITABLE_FIELDS, "depends_on", "version"]
        extra_kwargs = {"body": {"required": True}, "title": {"required": True}}


class AuditEntrySerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = ["id", "transition", "from_state", "to_state", "actor", "actor_name", "at", "note"]
        read_only_fields = fields

    def get_actor_name(self, entry) -> str | None:
        return _name(entry.actor)


class CommentSerializer(ValidatedModelSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = ["id", "task", "author", "author_name", "source", "section", "text", "created_at"]
        read_only_fields = ["id", "task", "author", "author_name", "source", "created_at"]
        extra_kwargs = {"text": {"max_length": 20000}, "section": {"max_length": 255}}

    def get_author_name(self, comment) -> str | None:
        return _name(comment.author) if comment.author else comment.source or None
