"""Posting a comment from a task's or a document's page: one flow for both."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from congress.errors import DomainError
from workflows.web.views.base import form_refuse


def comment_post(request, form, add, back: str, *, again):
    """Add the comment of a valid `form` with `add(cleaned_data)` and go back to the page's
    comments, saying what happened; an invalid or refused one comes back as `again(status)`:
    the page with the form, its errors beside it and the text that was typed."""
    if not form.is_valid():
        return again(400)
    try:
        comment = add(form.cleaned_data)
    except DomainError as error:
        form_refuse(form, error)
        return again(error.status)
    source = getattr(comment, "source", "")
    if source:  # recorded for another organization, not said by the person who typed it
        messages.success(
            request, _("The comment of %(organization)s was recorded.") % {"organization": source}
        )
    else:
        messages.success(request, _("Your comment was added."))
    return redirect(back + "#comments")
