"""SQLite (the embedded database) compares LIKE case-insensitively for ASCII letters only, so
a search for "đại hội" would miss "Đại hội". Replace its LIKE with one that folds case the
Unicode way. PostgreSQL needs nothing: Django uses UPPER() ... LIKE UPPER() there."""

import re
from functools import lru_cache

from django.db.backends.signals import connection_created


@lru_cache(maxsize=512)
def _pattern(like: str, escape: str | None) -> re.Pattern:
    parts, i = [], 0
    while i < len(like):
        char = like[i]
        if escape and char == escape and i + 1 < len(like):
            parts.append(re.escape(like[i + 1]))
            i += 2
            continue
        parts.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
        i += 1
    return re.compile("".join(parts), re.DOTALL | re.IGNORECASE)


def _like(pattern, value, escape=None):
    if pattern is None or value is None:
        return None
    return _pattern(str(pattern).casefold(), escape).fullmatch(str(value).casefold()) is not None


def _install(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("like", 2, _like, deterministic=True)
        connection.connection.create_function("like", 3, _like, deterministic=True)


def install_unicode_like() -> None:
    connection_created.connect(_install, dispatch_uid="congress.sqlite.unicode_like")
