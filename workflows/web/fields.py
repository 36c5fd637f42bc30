"""Form fields of the pages that say their limits instead of enforcing them silently.

A textarea with `maxlength` cuts a pasted comment at the limit without a word; these fields
render `data-max` instead (app.js shows a counter, "1.234/20.000") and the server refuses what
is over the limit with a sentence that gives both numbers."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from congress.validation import validate_date, validate_single_line

COMMENT_MAX = 20000  # the models' and the API's limit (Comment.text, Comment.response)
DESCRIPTION_MAX = 20000  # Task.description


# What a browser's datetime-local input sends, and what people type without one.
DATETIME_INPUT = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


def grouped(number: int) -> str:
    """20000 as the page's language writes it: 20.000 in Vietnamese, 20,000 in English."""
    return number_format(number, force_grouping=True)


def datetime_local_field(label, **kwargs) -> forms.DateTimeField:
    """A moment typed in the browser's date-and-time picker, optional, between 2000 and 2100;
    read in the current time zone (Asia/Ho_Chi_Minh), as Django's DateTimeField does."""
    return forms.DateTimeField(
        label=label,
        required=False,
        input_formats=DATETIME_INPUT,
        validators=[validate_date],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        **kwargs,
    )


def person_label(user) -> str:
    """A person in a list of choices: the name, and the username that tells namesakes apart."""
    return f"{user.get_full_name() or user.username} ({user.username})"


class LimitedTextField(forms.CharField):
    """A text field with a limit the person sees while typing and is told about in words."""

    def __init__(self, *, limit: int, too_long=None, **kwargs):
        self.limit = limit
        self.too_long = too_long or _(
            "This text has %(length)s characters; at most %(limit)s are allowed. "
            "Shorten it by %(over)s characters."
        )
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs["data-max"] = str(self.limit)
        return attrs

    def validate(self, value):
        super().validate(value)
        if value and len(value) > self.limit:
            raise ValidationError(
                self.too_long
                % {
                    "length": grouped(len(value)),
                    "limit": grouped(self.limit),
                    "over": grouped(len(value) - self.limit),
                },
                code="max_length",
            )


def task_title_field() -> forms.CharField:
    return forms.CharField(label=_("Title"), max_length=300, validators=[validate_single_line])


def task_description_field() -> "LimitedTextField":
    return LimitedTextField(
        label=_("Description"),
        required=False,
        limit=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
