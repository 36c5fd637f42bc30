"""Forms of the targets page (/congresses/{id}/targets/): a resolution, a target, a target's
result for a period. They parse what was typed (numbers as Vietnamese write them: "1.234,5");
congress.targets decides. Field names are the model's."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.models import Target, TargetResult
from congress.validation import FIRST_YEAR, LAST_YEAR, validate_single_line

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The model's DecimalField(max_digits=20, decimal_places=4).
MAX_VALUE = Decimal("9999999999999999")
# "1.200" is one thousand two hundred, as number_text writes it (and the edit form shows it).
THOUSANDS = re.compile(r"[-+]?\d{1,3}(\.\d{3})+")


class NumberField(forms.Field):
    """A number typed the Vietnamese way (comma for decimals, dots between thousands) or the
    English way when there is no comma: "95,5", "1.234,5", "1.200", "1234.5"."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.update(inputmode="decimal", maxlength="40")

    def to_python(self, value):
        text = str(value or "").strip().replace(" ", "").replace("\u00a0", "")
        if not text:
            return None
        if len(text) > 40:
            raise forms.ValidationError(_("Type a number, e.g. 95,5."))
        if "," in text or THOUSANDS.fullmatch(text):
            text = text.replace(".", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation as error:
            raise forms.ValidationError(_("Type a number, e.g. 95,5.")) from error
        if not number.is_finite() or abs(number) > MAX_VALUE:
            raise forms.ValidationError(_("Type a number, e.g. 95,5."))
        return number.quantize(Decimal("0.0001"))


class ResolutionForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=64, validators=[validate_single_line])
    title = forms.CharField(label=_("Title"), max_length=500, validators=[validate_single_line])
    term = forms.CharField(
        label=_("Term"),
        max_length=20,
        validators=[validate_single_line],
        help_text=_("The term it belongs to, e.g. 2020-2025."),
    )
    adopted_on = forms.DateField(
        label=_("Adopted on"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=DATE_WIDGET,
    )


class TargetForm(forms.Form):
    resolution = forms.TypedChoiceField(label=_("Resolution"), coerce=int)
    code = forms.CharField(label=_("Code"), max_length=16, validators=[validate_single_line])
    name = forms.CharField(label=_("Target"), max_length=500, validators=[validate_single_line])
    unit = forms.CharField(
        label=_("Unit"), max_length=64, required=False, validators=[validate_single_line]
    )
    target_value = NumberField(label=_("Target value"))
    direction = forms.ChoiceField(
        label=_("Direction"), choices=Target.Direction.choices, initial=Target.Direction.AT_LEAST
    )

    def __init__(self, *args, resolutions=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["resolution"]
        else:
            self.fields["resolution"].choices = [(r.pk, str(r)) for r in resolutions]

    def clean_target_value(self):
        value = self.cleaned_data.get("target_value")
        if value is None:
            raise forms.ValidationError(_("Type the target value."))
        return value


class ResultForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=TargetResult.Period.choices)
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    value = NumberField(label=_("Result"))
    note = forms.CharField(label=_("Note"), max_length=5000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs["inputmode"] = "numeric"

    def clean_value(self):
        value = self.cleaned_data.get("value")
        if value is None:
            raise forms.ValidationError(_("Type the result."))
        return value
