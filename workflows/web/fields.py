"""Form fields of the pages that say their limits instead of enforcing them silently.

A textarea with `maxlength` cuts a pasted comment at the limit without a word; these fields
render `data-max` instead (app.js shows a counter, "1.234/20.000") and the server refuses what
is over the limit with a sentence that gives both numbers."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

COMMENT_MAX = 20000  # the models' and the API's limit (Comment.text, Comment.response)
DESCRIPTION_MAX = 20000  # Task.description


def grouped(number: int) -> str:
    """20000 as the page's language writes it: 20.000 in Vietnamese, 20,000 in English (by
    threes: Django's Vietnamese formats set a separator but no grouping)."""
    return f"{number:,}".replace(",", get_format("THOUSAND_SEPARATOR"))


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
