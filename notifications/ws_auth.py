"""Websocket authentication by `?token=` for clients that are not browsers; browsers use the
session cookie through Channels' AuthMiddlewareStack."""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.contrib.auth.models import AnonymousUser


@database_sync_to_async
def _user_for_token(key: str):
    """The user of a live API token (the same check as the API's, expiry included)."""
    from rest_framework.exceptions import AuthenticationFailed

    from congress.api.auth import TokenAuthentication

    try:
        user, _token = TokenAuthentication().authenticate_credentials(key[:200].encode())
    except (AuthenticationFailed, UnicodeError):
        return AnonymousUser()
    return user


class TokenAuthMiddleware(BaseMiddleware):
    async def __call__(self, scope, receive, send):
        params = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if "token" in params:
            scope["user"] = await _user_for_token(params["token"][0])
        return await super().__call__(scope, receive, send)
