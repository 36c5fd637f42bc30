from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from congress import auth_cache, login_throttle


class ThrottledModelBackend(ModelBackend):
    """Django's model backend behind the failed-login limits (congress/login_throttle.py)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = username or kwargs.get("email") or ""
        address = login_throttle.client_address(request)
        if login_throttle.seconds_locked(username, address):
            raise PermissionDenied("too many failed logins")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_throttle.record_failure(username, address)
        else:
            login_throttle.clear(username, address)
        return user

    def get_user(self, user_id):
        """The signed-in session's user with their roles, from the cache when it knows them:
        the same entry, and the same invalidation on every change of rights, as an API
        token's user (congress.auth_cache), so a page costs no query before its own either.
        The session's password hash is still checked by Django against the user's (a changed
        password saves the user row, which drops the entry)."""
        if not auth_cache.seconds():
            return super().get_user(user_id)
        try:
            user = auth_cache.cached_user(int(user_id))
        except (auth_cache.CacheDown, TypeError, ValueError):
            return super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
