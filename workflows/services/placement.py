"""The one rule of where a task or a document lives: in the congress of its body, for good."""

from django.utils.translation import gettext as _

from congress.errors import Invalid
from congress.models import Body, Congress


def check_body_in_congress(body: Body | None, congress_id: int | None) -> None:
    """A write that names both a congress and a body: they must agree."""
    if congress_id is not None and body is not None and body.congress_id != congress_id:
        raise Invalid({"body": [_("This body belongs to another congress.")]})


def check_stays_in_congress(
    congress_id: int, congress: Congress | None, moved_message: str
) -> None:
    """A task or document never moves to another congress (`moved_message` says which)."""
    if congress is not None and congress.pk != congress_id:
        raise Invalid({"congress": [moved_message]})
