"""Login forms that tell a refused login why (too many failures: how long to wait) instead of
"wrong password": the web login and the admin login both use them."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from congress import login_throttle


class ThrottleMessageMixin:
    def clean(self):
        username = self.cleaned_data.get("username") or ""
        wait = login_throttle.seconds_locked(username, login_throttle.client_address(self.request))
        if wait:
            raise forms.ValidationError(login_throttle.wait_message(wait), code="throttled")
        return super().clean()


class LoginForm(ThrottleMessageMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong username or password."),
    }


class AdminLoginForm(ThrottleMessageMixin, AdminAuthenticationForm):
    pass
