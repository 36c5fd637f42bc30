"""The language a user reads: their own choice, else the site's default (Vietnamese)."""

from django.conf import settings
from django.utils import translation


def language_of(user) -> str:
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def in_language_of(user):
    """A context manager that renders text in `user`'s language."""
    return translation.override(language_of(user))
