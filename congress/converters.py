"""URL converters shared by the API's and the pages' URLs."""

from django.urls import register_converter


class IdConverter:
    """Database ids: digits that fit a bigint, so a huge number is a 404, not a database error."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


# Registered here, once: every url module that writes `<id:...>` imports this module first.
register_converter(IdConverter, "id")

# An object's id in a path: f"congresses/{ID}/dashboard/".
ID = "<id:pk>"
