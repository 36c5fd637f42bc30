"""Forms of the pages: they parse and check what a person typed; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.validation import validate_single_line
from notifications.models import Category
from workflows.models import Comment, Task
from workflows.selectors.tasks import DUE_FILTERS, SCOPES
from workflows.web.fields import (
    COMMENT_MAX,
    LimitedTextField,
    datetime_local_field,
    person_label,
    task_description_field,
    task_title_field,
)
from workflows.web.gantt import (
    DEFAULT_ZOOM,
    ONLY_CRITICAL,
    ONLY_OPEN,
    SORT_SLACK,
    SORT_START,
    ZOOMS,
)


class TaskFilterForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("mine", _("My tasks")),
            ("review", _("Waiting for my review")),
            ("all", _("All tasks I may see")),
        ],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open tasks")), *Task.Status.choices, ("any", _("Any status"))],
    )
    due = forms.ChoiceField(
        label=_("Due"),
        required=False,
        choices=[
            ("", _("Any time")),
            ("overdue", _("Overdue")),
            ("week", _("In the next 7 days")),
            ("month", _("In the next 30 days")),
            ("none", _("No deadline")),
        ],
    )
    body = forms.TypedChoiceField(label=_("Body"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [("", _("All bodies")), *[(b.pk, b.name) for b in bodies]]

    def values(self) -> dict:
        """The filters to apply; anything malformed falls back to the default."""
        data = self.cleaned_data if self.is_valid() else {}
        scope = data.get("scope") or "mine"
        return {
            "scope": scope if scope in SCOPES else "mine",
            "statuses": _statuses(data.get("status") or ""),
            "due": data.get("due") if data.get("due") in DUE_FILTERS else "",
            "body_id": data.get("body"),
        }


class TimelineFilterForm(forms.Form):
    """The timeline's filters (`?body=&only=&sort=&zoom=`): each malformed or unknown value
    falls back to its own default, the others still apply. A body is offered, and accepted,
    only if the user may see its work."""

    body = forms.TypedChoiceField(label=_("Body"), required=False, coerce=int, empty_value=None)
    only = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("All scheduled tasks")),
            (ONLY_OPEN, _("Open tasks")),
            (ONLY_CRITICAL, _("Critical path and late tasks")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[(SORT_SLACK, _("Least slack first")), (SORT_START, _("In schedule order"))],
    )
    zoom = forms.ChoiceField(required=False, choices=[(z, z) for z in ZOOMS])

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [("", _("All bodies")), *[(b.pk, b.name) for b in bodies]]

    def values(self) -> dict:
        self.is_valid()  # cleaned_data keeps the fields that are valid
        data = self.cleaned_data
        return {
            "body_id": data.get("body"),
            "only": data.get("only") or "",
            "sort": data.get("sort") or "",
            "zoom": data.get("zoom") or DEFAULT_ZOOM,
        }


def _statuses(value: str) -> list[str]:
    if value == "any":
        return []
    if value in Task.Status.values:
        return [value]
    return list(Task.OPEN_STATES)


class TransitionForm(forms.Form):
    version = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Report note"), required=False, widget=forms.Textarea)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea)
    consultation_closes_at = datetime_local_field(_("Comments close at"))


COMMENT_TOO_LONG = _(
    "This comment has %(length)s characters; a comment can have at most %(limit)s. "
    "Shorten it by %(over)s characters, or post it as two comments."
)
COMMENT_EMPTY = _("Write the comment before posting it.")


def comment_text_field(**kwargs) -> LimitedTextField:
    return LimitedTextField(
        label=_("Comment"),
        limit=COMMENT_MAX,
        too_long=COMMENT_TOO_LONG,
        error_messages={"required": COMMENT_EMPTY},
        **kwargs,
    )


class CommentForm(forms.Form):
    text = comment_text_field(
        help_text=_("Write @username to mention someone; they are notified."),
    )


class DocumentCommentForm(forms.Form):
    text = comment_text_field()
    section = forms.CharField(
        label=_("Section"),
        max_length=255,
        required=False,
        validators=[validate_single_line],
        help_text=_("For example: Part one, I"),
    )
    source = forms.CharField(
        label=_("Sent by (organization)"),
        max_length=255,
        required=False,
        validators=[validate_single_line],
        help_text=_("Only for a comment another organization sent; leave empty for your own."),
    )
    version = forms.TypedChoiceField(
        label=_("On version"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, versions=(), drafter=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = [
            (
                v.number,
                _("Version %(number)s (round %(round)s)") % {"number": v.number, "round": v.round},
            )
            for v in reversed(list(versions))
        ]
        if not drafter:
            del self.fields["source"]


class CommentAnswerForm(forms.Form):
    disposition = forms.ChoiceField(label=_("Disposition"), choices=Comment.Disposition.choices)
    response = LimitedTextField(
        label=_("Response"),
        required=False,
        limit=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the comment is not, or only partly, taken in."),
    )


class VersionUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Draft file"),
        required=False,
        help_text=_("Word (.docx), PDF, Markdown (.md) or plain text (.txt)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.md,.txt"}),
    )
    text = forms.CharField(
        label=_("Or paste the text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=5000)

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool((data.get("text") or "").strip()):
            raise forms.ValidationError(_("Choose a file or paste the text (one of the two)."))
        return data


class PeopleByBodySelect(forms.Select):
    """A choice of people where each carries the bodies whose work they may see, so that the
    page offers only those for the body chosen in the form's `body` field
    (web/js/people_by_body.js); without the script every person is listed and the service
    refuses one who may not see the body's work."""

    def __init__(self, *args, bodies_of=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.bodies_of = bodies_of or {}
        self.attrs["data-people-of"] = "id_body"

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        bodies = self.bodies_of.get(value)
        if bodies:
            option["attrs"]["data-bodies"] = " ".join(str(pk) for pk in sorted(bodies))
        return option


class TaskCreateForm(forms.Form):
    body = forms.TypedChoiceField(label=_("Body"), coerce=int)
    title = task_title_field()
    description = task_description_field()
    assignee = forms.TypedChoiceField(
        label=_("Assignee"), coerce=int, required=False, empty_value=None
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Task.Priority.choices, initial=Task.Priority.NORMAL
    )
    due_at = datetime_local_field(_("Due"))
    requires_review = forms.BooleanField(label=_("Requires review"), required=False, initial=True)

    def __init__(self, *args, bodies=(), people=(), bodies_of=None, **kwargs):
        """`bodies_of`: person id -> the ids of the bodies whose work they may see."""
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [(b.pk, b.name) for b in bodies]
        self.fields["assignee"].widget = PeopleByBodySelect(bodies_of=bodies_of)
        self.fields["assignee"].choices = [("", _("Nobody yet"))] + [
            (u.pk, person_label(u)) for u in people
        ]


HOURS = [("", _("No daily digest"))] + [(str(h), f"{h:02d}:00") for h in range(24)]


class PreferenceForm(forms.Form):
    email = forms.MultipleChoiceField(
        label=_("Send me an email for"),
        required=False,
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    digest_hour = forms.TypedChoiceField(
        label=_("Daily digest at"), choices=HOURS, coerce=int, empty_value=None, required=False
    )
    quiet_start = forms.TimeField(
        label=_("Quiet hours from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    quiet_end = forms.TimeField(
        label=_("Quiet hours until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def clean(self):
        data = super().clean()
        if (data.get("quiet_start") is None) != (data.get("quiet_end") is None):
            raise forms.ValidationError(_("Give both the start and the end of quiet hours."))
        return data
