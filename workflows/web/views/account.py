"""Logging in (in the user's own language from then on) and the language switch: Django's
set_language (cookie and redirect), plus the user's own `language`, which the pages, emails
and calendar feed follow."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from congress import accounts
from congress.auth_forms import LoginForm
from congress.errors import NotFound
from workflows.web.views.base import web_view


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True
    authentication_form = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        language = getattr(form.get_user(), "language", "")
        if language in dict(settings.LANGUAGES):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            )
        return response


@require_POST
def language_set(request):
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return set_language(request)


@web_view
def tokens_page(request):
    """The user's API tokens (one per device that logged in), each revocable."""
    return render(request, "web/account/tokens.html", {"tokens": accounts.tokens_of(request.user)})


@require_POST
@web_view
def token_revoke(request):
    try:
        accounts.token_revoke_by_digest(actor=request.user, digest=request.POST.get("token", ""))
    except NotFound:
        messages.error(request, _("That token no longer exists."))
    else:
        messages.success(request, _("The token was revoked: that device must log in again."))
    return redirect("web-account-tokens")
