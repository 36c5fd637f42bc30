"""What the header of every page shows: the unread count of the bell, the congress it is about
and whether the user has others to switch to. Read when a template first asks, so pages that do
not show them (the admin) do not pay for them."""

from functools import cached_property

from congress.roles import roles_of
from congress.selectors import congresses_visible_to, sees_several_congresses
from notifications.selectors import unread_count
from workflows.rules import oversees_something
from workflows.web.views.base import SESSION_CONGRESS, congress_chosen


class Header:
    def __init__(self, request):
        self.request = request
        self.user = request.user
        self.session = request.session

    @cached_property
    def unread(self) -> int:
        return unread_count(self.user) if self.user.is_authenticated else 0

    @cached_property
    def several_congresses(self) -> bool:
        return self.user.is_authenticated and sees_several_congresses(self.user)

    @cached_property
    def reviews_for_superior(self) -> bool:
        """Whether the user reviews for the superior level (its queue in the menu): from the
        roles already read, no query."""
        if not self.user.is_authenticated:
            return False
        roles = roles_of(self.user)
        return bool(roles.superior or roles.reviews)

    def oversees(self) -> bool:
        """Whether the navigation offers the oversight page (from the roles: no query)."""
        return self.user.is_authenticated and oversees_something(self.user)

    @cached_property
    def congress(self):
        """For pages about no congress in particular (the password form): the one the user
        last worked in, so that the header still leads back to it."""
        if not self.user.is_authenticated:
            return None
        chosen = congress_chosen(self.request)
        if chosen is not None:
            return chosen  # the page's own (base.html asks even when the page has one)
        remembered = self.session.get(SESSION_CONGRESS)
        visible = congresses_visible_to(self.user)
        return (visible.filter(pk=remembered).first() if remembered else None) or visible.first()


def header_of(request) -> Header:
    """The request's one header: a view that shows the unread count too (the inbox) reads
    the same, counted once."""
    header = getattr(request, "_web_header", None)
    if header is None:
        header = request._web_header = Header(request)
    return header


def web(request):
    if getattr(request, "user", None) is None or not hasattr(request, "session"):
        return {}
    return {"header": header_of(request)}
