"""Websocket authentication by `?token=` for clients that are not browsers; browsers use the
session cookie through Channels' AuthMiddlewareStack."""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.contrib.auth.models import AnonymousUser


@database_sync_to_async
def _user_for_token(key: str):
    from rest_framework.authtoken.models import Token

    token = Token.objects.select_related("user").filter(key=key[:40]).first()
    if token is None or not token.user.is_active:
        return AnonymousUser()
    return token.user


class TokenAuthMiddleware(BaseMiddleware):
    async def __call__(self, scope, receive, send):
        params = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        if "token" in params:
            scope["user"] = await _user_for_token(params["token"][0])
        return await super().__call__(scope, receive, send)
