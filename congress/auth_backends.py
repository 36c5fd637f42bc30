from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from congress import login_throttle


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
