"""Forms of editing tasks: the edit page, reassignment, subtasks and the list's bulk actions.
They parse what was typed; workflows.services.tasks and task_bulk decide. Field names are
the model's (ARCHITECTURE §3)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.validation import validate_date, validate_single_line
from workflows.models import Task
from workflows.services.task_bulk import MAX_DAYS, REASON_MAX
from workflows.services.tasks import NOTE_MAX
from workflows.web.fields import (
    datetime_local_field,
    person_label,
    task_description_field,
    task_title_field,
)

DATE_INPUT = ["%Y-%m-%d", "%d/%m/%Y"]
SEARCH_MAX = 100


def _due_field():
    return datetime_local_field(_("Due"))


def _note_field():
    return forms.CharField(
        label=_("Note to the new assignee"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sent with the notification when the task goes to someone else."),
    )


def _assignee_field():
    return forms.TypedChoiceField(label=_("Assignee"), coerce=int, required=False, empty_value=None)


class TaskEditForm(forms.Form):
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    title = task_title_field()
    description = task_description_field()
    body = forms.TypedChoiceField(label=_("Body"), coerce=int)
    assignee = _assignee_field()
    note = _note_field()
    priority = forms.ChoiceField(label=_("Priority"), choices=Task.Priority.choices)
    starts_on = forms.DateField(
        label=_("Starts on"),
        required=False,
        input_formats=DATE_INPUT,
        validators=[validate_date],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    due_at = _due_field()
    requires_review = forms.BooleanField(label=_("Requires review"), required=False)
    parent = forms.TypedChoiceField(
        label=_("Part of (parent task)"), coerce=int, required=False, empty_value=None
    )
    depends_on = forms.TypedMultipleChoiceField(
        label=_("Depends on"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("This task starts when the tasks ticked here are done."),
    )
    q = forms.CharField(label=_("Find tasks to depend on"), required=False, max_length=SEARCH_MAX)

    def __init__(self, *args, bodies=(), people=(), parents=(), candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [(b.pk, b.name) for b in bodies]
        self.fields["assignee"].choices = [("", _("Nobody yet"))] + [
            (u.pk, person_label(u)) for u in people
        ]
        self.fields["parent"].choices = [("", _("None"))] + [(t.pk, t.title) for t in parents]
        self.fields["depends_on"].choices = [(t.pk, t.title) for t in candidates]


class ReassignForm(forms.Form):
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    assignee = forms.TypedChoiceField(label=_("Give it to"), coerce=int)
    note = _note_field()

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "—")] + [(u.pk, person_label(u)) for u in people]


class SubtaskForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, validators=[validate_single_line])
    assignee = _assignee_field()
    due_at = _due_field()

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("Nobody yet"))] + [
            (u.pk, person_label(u)) for u in people
        ]


class TaskIdsField(forms.TypedMultipleChoiceField):
    """Ticked task ids: any id (the service answers for those that are not the user's to
    see), bounded as every id from a form is."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, required=False, **kwargs)

    def valid_value(self, value) -> bool:
        return str(value).isdecimal() and len(str(value)) <= 18


class BulkForm(forms.Form):
    """The list's bulk actions: the ticked tasks and what to do with them. Only the fields of
    the chosen action are required."""

    bulk = forms.ChoiceField(
        label=_("What to do"),
        choices=[
            ("reassign", _("Give them to someone else")),
            ("move", _("Move their deadlines")),
            ("cancel", _("Cancel the tasks")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what to do with the selected tasks.")},
    )
    tasks = TaskIdsField()
    assignee = forms.TypedChoiceField(
        label=_("Give them to"), coerce=int, required=False, empty_value=None
    )
    note = _note_field()
    working_days = forms.IntegerField(
        label=_("Working days"),
        required=False,
        min_value=-MAX_DAYS,
        max_value=MAX_DAYS,
        help_text=_("Negative to bring the deadlines forward. Weekends and holidays do not count."),
    )
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "—")] + [(u.pk, person_label(u)) for u in people]
        self.fields["working_days"].widget.attrs["inputmode"] = "numeric"

    def clean(self):
        data = super().clean()
        action = data.get("bulk")
        if not data.get("tasks") and "tasks" not in self.errors:
            self.add_error("tasks", _("Select at least one task."))
        needed = {
            "reassign": ("assignee", _("Choose who gets the tasks.")),
            "move": ("working_days", _("Give a number of working days.")),
            "cancel": ("reason", _("Cancelling needs a reason.")),
        }.get(action)
        if needed and data.get(needed[0]) in (None, "") and needed[0] not in self.errors:
            self.add_error(needed[0], needed[1])
        return data
