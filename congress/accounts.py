"""Accounts: API tokens (django-rest-knox), sessions, and the changes that end them.

A token is issued per login (a user may have several devices), lives REST_KNOX["TOKEN_TTL"]
from its last use, and is stored only as a hash. Revoking a token, changing a password or
deactivating an account ends what it must and tells the layers above (`rights_changed`, after
commit) so that open websockets of the user are closed too. A new account without a password
sets one through the link of `password_set_url`.
"""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from knox.models import AuthToken

from congress.errors import Forbidden, NotFound
from congress.signals import rights_changed

DB_SESSIONS = "django.contrib.sessions.backends.db"


def _tell(user, reason: str) -> None:
    user_id = user.pk
    transaction.on_commit(
        lambda: rights_changed.send(sender=AuthToken, user_ids=[user_id], reason=reason)
    )


def token_issue(user) -> tuple[AuthToken, str]:
    """A new token for one more device; the user's expired tokens go."""
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    return AuthToken.objects.create(user=user)


def tokens_of(user):
    """The user's live tokens, newest first."""
    live = Q(expiry__isnull=True) | Q(expiry__gt=timezone.now())
    return AuthToken.objects.filter(live, user=user).order_by("-created", "digest")


@transaction.atomic
def token_revoke(*, actor, token: AuthToken) -> None:
    """Revoke one of the actor's own tokens (the one a call is made with, or one from the
    account page)."""
    if token.user_id != actor.pk:
        raise NotFound(_("No such token."))
    AuthToken.objects.filter(digest=token.digest).delete()
    _tell(actor, "token_revoked")


@transaction.atomic
def token_revoke_by_digest(*, actor, digest: str) -> None:
    token = AuthToken.objects.filter(user=actor, digest=digest[:128]).first()
    if token is None:
        raise NotFound(_("No such token."))
    token_revoke(actor=actor, token=token)


def _sessions_end(user) -> None:
    """Delete the user's stored sessions. A password change also invalidates them through
    Django's session hash, and an inactive user's session loads no user; this makes it final."""
    if settings.SESSION_ENGINE != DB_SESSIONS:
        return
    from django.contrib.sessions.models import Session

    mine = str(user.pk)
    live = Session.objects.filter(expire_date__gt=timezone.now())
    ended = [s.pk for s in live.iterator() if s.get_decoded().get(SESSION_KEY) == mine]
    Session.objects.filter(pk__in=ended).delete()


def _end_everything(user, reason: str) -> None:
    AuthToken.objects.filter(user=user).delete()
    _sessions_end(user)
    _tell(user, reason)


@transaction.atomic
def password_changed(user) -> None:
    """Called when a saved user's password changed (congress.models.User.save), whatever the
    way: every token and session ends; the web view that changed it keeps its own session
    (Django's update_session_auth_hash gives it a new key)."""
    _end_everything(user, "password_changed")


@transaction.atomic
def user_deactivate(*, actor, user) -> None:
    """Deactivate an account (admin, users API): its tokens and sessions end at once."""
    if not actor.is_staff:
        raise Forbidden(_("Only staff may deactivate users."), code="staff_only")
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    _end_everything(user, "deactivated")


def password_set_url(user) -> str:
    """The link that lets a new account set its password once (Django's password reset
    token, made now and never stored: it stops working once the password is set)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL.rstrip("/") + path
