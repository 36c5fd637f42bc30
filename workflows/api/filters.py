from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from congress.api.common import MAX_ID
from congress.validation import validate_date
from workflows.models import Task, overdue_q


class TaskFilter(filters.FilterSet):
    congress = filters.NumberFilter(field_name="congress_id", min_value=1, max_value=MAX_ID)
    body = filters.NumberFilter(field_name="body_id", min_value=1, max_value=MAX_ID)
    assignee = filters.CharFilter(
        method="filter_assignee", max_length=20, help_text="A user id, or `me`."
    )
    # Columns of the task itself: no row can match twice, so no DISTINCT (django-filter adds
    # one to every multiple-choice filter by default, which makes the page and its count sort
    # every visible task).
    status = filters.MultipleChoiceFilter(choices=Task.Status.choices, distinct=False)
    priority = filters.MultipleChoiceFilter(choices=Task.Priority.choices, distinct=False)
    due_before = filters.DateTimeFilter(
        field_name="due_at", lookup_expr="lt", validators=[validate_date]
    )
    due_after = filters.DateTimeFilter(
        field_name="due_at", lookup_expr="gte", validators=[validate_date]
    )
    overdue = filters.TypedChoiceFilter(
        choices=[("true", "true"), ("false", "false"), ("1", "1"), ("0", "0")],
        coerce=lambda value: value in ("true", "1"),
        method="filter_overdue",
        help_text="true: only open tasks past their due time; false: none of those.",
    )

    class Meta:
        model = Task
        fields = ["congress", "body", "assignee", "status", "priority"]

    def filter_assignee(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assignee=self.request.user)
        if not value.isdecimal() or int(value) > MAX_ID:
            raise ValidationError({"assignee": [_("Give a user id or “me”.")]})
        return queryset.filter(assignee_id=int(value))

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_overdue(self, queryset, name, value):
        overdue = overdue_q()
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
