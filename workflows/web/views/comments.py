"""Posting a comment from a task's or a document's page: one flow for both."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from congress.errors import DomainError
from workflows.web.views.base import refuse


def comment_post(request, form, add, back: str):
    """Add the comment of a valid `form` with `add(cleaned_data)` and go back to the page's
    comments, saying what happened."""
    if form.is_valid():
        try:
            add(form.cleaned_data)
        except DomainError as error:
            refuse(request, error)
        else:
            messages.success(request, _("Your comment was added."))
    else:
        messages.error(request, _("A comment needs some text."))
    return redirect(back + "#comments")
