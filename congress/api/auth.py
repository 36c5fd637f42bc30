"""API token authentication: django-rest-knox's, without its sweep of every other token of
the user on each request (one query more per call); expired tokens of a user are deleted when
they log in again (congress.accounts.token_issue). The token, its user and the user's roles
come from the cache when it knows them (congress.auth_cache: no query before the view's own).
"""

import binascii

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from rest_framework import exceptions

from congress import auth_cache


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        if not auth_cache.seconds():
            return super().authenticate_credentials(token)
        try:
            digest = hash_token(token.decode("utf-8"))
        except (TypeError, ValueError, binascii.Error):
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        try:
            auth_token = auth_cache.cached_token(digest)
            if auth_token is None:
                _user, auth_token = super().authenticate_credentials(token)
                auth_cache.token_remember(auth_token)
            else:
                auth_cache.token_renew(auth_token)
            user = auth_cache.cached_user(auth_token.user_id)
        except auth_cache.CacheDown:
            return super().authenticate_credentials(token)
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        auth_token.user = user
        return user, auth_token

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class TokenScheme(OpenApiAuthenticationExtension):
    """The schema keeps naming it `tokenAuth`, as when it was DRF's token."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )
