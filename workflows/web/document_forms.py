"""The form of a new document with its first draft (/documents/new/): it parses what was
typed; workflows.services.documents decides. Field names are the model's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.validation import validate_single_line
from workflows.models import Document
from workflows.web.fields import datetime_local_field, person_label
from workflows.web.forms import PeopleByBodySelect


class DocumentCreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Document.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=300, validators=[validate_single_line])
    body = forms.TypedChoiceField(label=_("Owning body"), coerce=int)
    rapporteur = forms.TypedChoiceField(
        label=_("Rapporteur"), coerce=int, required=False, empty_value=None
    )
    due_at = datetime_local_field(_("Due"))
    file = forms.FileField(
        label=_("First draft"),
        required=False,
        help_text=_(
            "Word (.docx), PDF, Markdown (.md) or plain text (.txt). It becomes version 1 of "
            "draft round 1; you may also add it later from the document's page."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf,.md,.txt"}),
    )
    note = forms.CharField(label=_("Note on the draft"), required=False, max_length=5000)

    def __init__(self, *args, bodies=(), people=(), bodies_of=None, **kwargs):
        """`people`: everyone who may be rapporteur of one of `bodies`, in Vietnamese order;
        `bodies_of`: person id -> the ids of those bodies whose work they may see."""
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [(b.pk, b.name) for b in bodies]
        self.fields["rapporteur"].choices = [("", _("Nobody yet"))] + [
            (u.pk, person_label(u)) for u in people
        ]
        self.fields["rapporteur"].widget = PeopleByBodySelect(bodies_of=bodies_of)
        self.fields["rapporteur"].widget.choices = self.fields["rapporteur"].choices
