"""What the header of every page shows: the unread count of the bell and the user's
congresses. Read when a template first asks, so pages that do not show them (the admin) do not
pay for them."""

from functools import cached_property

from congress.selectors import congresses_visible_to
from workflows.web.queries import unread_count
from workflows.web.views.base import SESSION_CONGRESS


class Header:
    def __init__(self, request):
        self.user = request.user
        self.session = request.session

    @cached_property
    def unread(self) -> int:
        return unread_count(self.user) if self.user.is_authenticated else 0

    @cached_property
    def congresses(self) -> list:
        if not self.user.is_authenticated:
            return []
        return list(congresses_visible_to(self.user)[:20])

    @cached_property
    def congress(self):
        """For pages about no congress in particular (the password form): the one the user
        last worked in, so that the header still leads back to it."""
        if not self.user.is_authenticated:
            return None
        remembered = self.session.get(SESSION_CONGRESS)
        visible = congresses_visible_to(self.user)
        return (visible.filter(pk=remembered).first() if remembered else None) or visible.first()


def web(request):
    if getattr(request, "user", None) is None or not hasattr(request, "session"):
        return {}
    return {"header": Header(request)}
