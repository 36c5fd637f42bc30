"""Forms of the plan page, the congress form and the lifecycle steps: they parse what was
typed; workflows.services and congress.services decide. Field names are the model's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.validation import validate_date
from workflows.web.setup_forms import DATE_INPUT, DATE_WIDGET, CongressCreateForm


class PlanApplyForm(forms.Form):
    template = forms.TypedChoiceField(label=_("Plan template"), coerce=int)

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(t.pk, t.name) for t in templates]


class RedateForm(forms.Form):
    opens_on = forms.DateField(
        label=_("New opening date"),
        input_formats=DATE_INPUT,
        widget=DATE_WIDGET,
        validators=[validate_date],
    )


class CongressEditForm(CongressCreateForm):
    """The congress's number, term, dates and venue (its organization does not change)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["organization"]


class LifecycleForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 5000}),
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=5000)
    version = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    successor_congress = forms.TypedChoiceField(
        label=_("Successor congress"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, successors=(), name="", confirming=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.name, self.confirming = name, confirming
        self.fields["successor_congress"].valid_choices = list(successors)
        self.fields["successor_congress"].choices = [("", "—")] + [
            (c.pk, c.title) for c in successors
        ]
        if name != "transfer":
            del self.fields["successor_congress"]
        if name == "cancel":
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _(
                "Give the reason for cancelling the congress: everyone in it is told."
            )

    def clean(self):
        data = super().clean()
        # A preview (GET) may come before the successor is chosen; the hand-over needs it.
        if self.name == "transfer" and self.confirming and not data.get("successor_congress"):
            self.add_error("successor_congress", _("Choose the successor congress."))
        return data
