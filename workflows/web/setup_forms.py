"""Forms of the set-up pages (a new congress, its bodies and members): they parse what was
typed; congress.services and workflows.services decide. Field names are the model's."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congress.errors import DomainError, Invalid
from congress.models import Body, Membership
from congress.validation import validate_date, validate_single_line, validate_year
from workflows.web.fields import person_label

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_INPUT = ["%Y-%m-%d", "%d/%m/%Y"]


def show_error(form: forms.Form, error: DomainError) -> None:
    """A service's refusal next to the form that failed: field errors on their fields (or on
    the form when it has no such field), anything else on the form."""
    fields = error.details.get("fields", {}) if isinstance(error, Invalid) else {}
    if not fields:
        form.add_error(None, str(error.message))
    for name, messages in fields.items():
        form.add_error(name if name in form.fields else None, [str(m) for m in messages])


class CongressCreateForm(forms.Form):
    organization = forms.TypedChoiceField(label=_("Organization"), coerce=int)
    number = forms.IntegerField(
        label=_("Number"),
        min_value=1,
        max_value=200,
        help_text=_("The congress's number, e.g. 25 for the XXV congress."),
    )
    term_start = forms.IntegerField(label=_("Term start"), validators=[validate_year])
    term_end = forms.IntegerField(label=_("Term end"), validators=[validate_year])
    opens_on = forms.DateField(
        label=_("Opens on"),
        input_formats=DATE_INPUT,
        widget=DATE_WIDGET,
        validators=[validate_date],
    )
    closes_on = forms.DateField(
        label=_("Closes on"),
        required=False,
        input_formats=DATE_INPUT,
        widget=DATE_WIDGET,
        validators=[validate_date],
    )
    venue = forms.CharField(
        label=_("Venue"), required=False, max_length=255, validators=[validate_single_line]
    )

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = {o.pk: o for o in organizations}
        self.fields["organization"].choices = [(o.pk, o.name) for o in organizations]
        for name in ("number", "term_start", "term_end"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"


class BodyCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Body.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=255, validators=[validate_single_line])
    parent = forms.TypedChoiceField(
        label=_("Parent body"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("None (top level)"))] + [
            (b.pk, b.name) for b in bodies
        ]


class BodyUpdateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255, validators=[validate_single_line])
    parent = forms.TypedChoiceField(
        label=_("Parent body"), coerce=int, required=False, empty_value=None
    )
    confidential = forms.BooleanField(label=_("Confidential"), required=False)

    def __init__(self, *args, body, bodies=(), may_set_confidential=False, **kwargs):
        kwargs.setdefault(
            "initial",
            {"name": body.name, "parent": body.parent_id, "confidential": body.confidential},
        )
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("None (top level)"))] + [
            (b.pk, b.name) for b in bodies if b.pk != body.pk
        ]
        if not may_set_confidential:
            del self.fields["confidential"]


class MemberAddForm(forms.Form):
    user = forms.CharField(
        label=_("Username or email"),
        max_length=254,
        help_text=_("Of an existing account."),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )

    def clean_user(self):
        """The one active account with that username or email, whatever the case."""
        typed = self.cleaned_data["user"].strip()
        users = get_user_model().objects.filter(is_active=True)
        found = list(users.filter(Q(username__iexact=typed) | Q(email__iexact=typed))[:2])
        if not found:
            raise forms.ValidationError(_("No account has this username or email."))
        if len(found) > 1:
            raise forms.ValidationError(
                _("Several accounts have this email: type the username instead.")
            )
        return found[0]


class MemberChangeForm(forms.Form):
    """Change a member's role, or remove them, handing their open tasks in the body to
    someone else first."""

    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    reassign_to = forms.TypedChoiceField(
        label=_("Reassign their open tasks to"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, others=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reassign_to"].choices = [("", _("Nobody (keep them)"))] + [
            (u.pk, person_label(u)) for u in others
        ]
