"""Usernames: NFKC-normalized (a full-width "mai.ht" is "mai.ht"), unique and matched without
regard to case, and written in one script (a Cyrillic letter a in a Latin name is refused, so
no look-alike can sit beside a real account)."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalize(username: str) -> str:
    return unicodedata.normalize("NFKC", username or "")


def _script(char: str) -> str | None:
    """The script of a letter, from its Unicode name ("LATIN SMALL LETTER A" is Latin)."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def validate_single_script(username: str) -> None:
    scripts = {s for s in map(_script, normalize(username)) if s}
    if len(scripts) > 1:
        raise ValidationError(
            _("A username must be written in one alphabet: it mixes %(scripts)s letters."),
            code="mixed_scripts",
            params={"scripts": ", ".join(sorted(s.title() for s in scripts))},
        )
