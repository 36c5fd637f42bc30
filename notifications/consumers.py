"""The live-update websocket (/ws/live/): authenticate, join the user's own group, subscribe
to congresses the user may see, replay missed events, then forward new ones.

It never writes domain rows. Events reach it through the channel layer (`event.push`); the
channel layer is at-most-once, so every message carries its sequence number and a client that
missed one catches up by subscribing again with `after`, or from /api/v1/events/.

What a socket may see is the rule of now (ARCHITECTURE §5): when someone's rights change the
core sends `rights_changed`, notifications.live turns it into a `rights.changed` message to the
user's group, and each of that user's sockets authenticates again the way it connected. If
that fails (session ended, token revoked, account deactivated) the socket is closed with
CLOSE_UNAUTHENTICATED; otherwise it re-reads the roles and the confidentiality of its
congresses' bodies in place (a few queries per affected socket, none per event).

Client messages: `{"action": "subscribe", "congress": N, "after": ID}`. Everything the socket
sends is written in notifications.wire (events and notifications there are also the items of
the events and inbox APIs). Answers besides events and notifications: `{"subscribed": N,
"after": ID}`, `{"unsubscribed": N}` (rights lost), `{"type": "rights.changed"}`, and errors
`{"error": code, ...}` with code `invalid_json`, `invalid_message`, `message_too_large`,
`unknown_action`, `invalid`, `not_found`, `rate_limited` (`retry_after` seconds) and
`replay_limit` (`fetch`: the events API page to continue from). An error never closes the
socket.
"""

import json
import time
from collections import deque
from importlib import import_module
from urllib.parse import parse_qs

from channels.auth import get_user
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth import get_user_model

from congress.api.common import MAX_ID
from congress.models import Body
from congress.roles import forget, roles_of
from congress.selectors import congresses_visible_to
from notifications import wire
from notifications.live import congress_group, user_group
from notifications.selectors import events_visible_to
from notifications.ws_auth import TokenAuthMiddleware

# The socket's authentication no longer holds: the client signs in again before reconnecting.
CLOSE_UNAUTHENTICATED = 4401

REPLAY_LIMIT = 500  # events replayed by one subscribe
WINDOW = 60.0  # seconds of the per-connection limits below
DEFAULTS = {
    "LIVE_SUBSCRIBES_PER_MINUTE": 30,
    "LIVE_REPLAY_PER_MINUTE": 2000,  # events replayed per connection per minute
    "LIVE_MAX_MESSAGE_BYTES": 4096,  # a subscribe message is under 100 bytes
}


def _clock() -> float:
    return time.monotonic()


def _setting(name: str) -> int:
    return getattr(settings, name, DEFAULTS[name])


def _credentials(scope) -> tuple[str, str | None]:
    """How the socket authenticated, to do it again later (the token wins, as in
    notifications.ws_auth, which runs after the session middleware)."""
    if "token" in parse_qs(scope.get("query_string", b"").decode("latin-1")):
        return "token", None
    session = scope.get("session")
    key = getattr(session, "session_key", None)
    return ("session", key) if key else ("scope", None)


class LiveConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.user = self.scope.get("user")
        if self.user is None or not self.user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.credentials = _credentials(self.scope)
        self.last_sent: dict[int, int] = {}
        self.roles = None
        self.confidential_now: dict[int, bool] = {}  # bodies of the subscribed congresses
        self.subscribes: deque[float] = deque()
        self.replayed: deque[tuple[float, int]] = deque()
        await self.channel_layer.group_add(user_group(self.user.pk), self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        user = getattr(self, "user", None)
        if user is not None and user.is_authenticated:
            await self.channel_layer.group_discard(user_group(user.pk), self.channel_name)
        for congress_id in getattr(self, "last_sent", {}):
            await self.channel_layer.group_discard(congress_group(congress_id), self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        """Parse what the client sent; whatever it is, answer and keep the socket open."""
        size = len(text_data if text_data is not None else bytes_data or b"")
        if size > _setting("LIVE_MAX_MESSAGE_BYTES"):
            await self.send_json(
                wire.error("message_too_large", max_bytes=_setting("LIVE_MAX_MESSAGE_BYTES"))
            )
            return
        if text_data is None:
            await self.send_json(wire.error("invalid_message", detail="Send JSON text."))
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            await self.send_json(wire.error("invalid_json"))
            return
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict):
            await self.send_json(wire.error("invalid_message", detail=_SUBSCRIBE_HELP))
            return
        if content.get("action") != "subscribe":
            await self.send_json(wire.error("unknown_action", detail=_SUBSCRIBE_HELP))
            return
        congress_id, after = content.get("congress"), content.get("after", 0)
        if not (_is_id(congress_id) and _is_id(after)):
            await self.send_json(
                wire.error("invalid", detail="congress and after must be integers.")
            )
            return
        await self._subscribe(congress_id, after)

    async def _subscribe(self, congress_id: int, after: int):
        wait = self._subscribe_wait()
        if wait:
            await self.send_json(wire.error("rate_limited", congress=congress_id, retry_after=wait))
            return
        if not await self._may_see(congress_id):
            await self.send_json(wire.error("not_found", congress=congress_id))
            return
        await self.channel_layer.group_add(congress_group(congress_id), self.channel_name)
        self.last_sent[congress_id] = after
        events, more = await self._replay(congress_id, after, self._replay_budget())
        for event in events:
            await self._send_event(event)
        self.replayed.append((_clock(), len(events)))
        if more:
            await self.send_json(wire.replay_limit(congress_id, self.last_sent[congress_id]))
        await self.send_json(wire.subscribed(congress_id, self.last_sent[congress_id]))

    async def event_push(self, message):
        """A new event for a congress group: forward it if this user may see it, decided in
        memory with the roles and the bodies' confidentiality read at subscription or at the
        last rights change, so a fan-out costs no query per client."""
        event = message["event"]
        if event["event"] <= self.last_sent.get(event["congress"], 0):
            return
        body_id = message.get("body")
        # Either source saying confidential is enough: one of them may be a moment older.
        confidential = message["confidential"] or self.confidential_now.get(body_id, False)
        if self._may_see_event(event["congress"], body_id, confidential):
            await self._send_event(event)

    async def notification_push(self, message):
        await self.send_json(wire.notification_message(message["notification"]))

    async def rights_changed(self, message):
        """Someone changed what this user may see: authenticate again, then refresh in place
        (or close, if the socket's credentials no longer hold)."""
        user = await self._authenticate_again()
        if user is None or not user.is_active or user.pk != self.user.pk:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        lost = await self._refresh()
        for congress_id in lost:
            await self.channel_layer.group_discard(congress_group(congress_id), self.channel_name)
            del self.last_sent[congress_id]
            await self.send_json(wire.unsubscribed(congress_id))
        await self.send_json(wire.rights_changed())

    async def _send_event(self, event: dict):
        self.last_sent[event["congress"]] = max(
            self.last_sent.get(event["congress"], 0), event["event"]
        )
        await self.send_json(event)

    def _may_see_event(self, congress_id: int, body_id: int | None, confidential: bool) -> bool:
        if self.user.is_staff:
            return True
        return self.roles is not None and self.roles.sees_work(congress_id, body_id, confidential)

    def _subscribe_wait(self) -> int:
        """0 if one more subscribe fits the per-minute limit, else the seconds to wait."""
        now = _clock()
        while self.subscribes and now - self.subscribes[0] >= WINDOW:
            self.subscribes.popleft()
        if len(self.subscribes) >= _setting("LIVE_SUBSCRIBES_PER_MINUTE"):
            return max(1, int(WINDOW - (now - self.subscribes[0])) + 1)
        self.subscribes.append(now)
        return 0

    def _replay_budget(self) -> int:
        now = _clock()
        while self.replayed and now - self.replayed[0][0] >= WINDOW:
            self.replayed.popleft()
        spent = sum(count for _at, count in self.replayed)
        return max(0, min(REPLAY_LIMIT, _setting("LIVE_REPLAY_PER_MINUTE") - spent))

    @database_sync_to_async
    def _may_see(self, congress_id: int) -> bool:
        forget(self.user)
        self.roles = roles_of(self.user)
        if not congresses_visible_to(self.user).filter(pk=congress_id).exists():
            return False
        self.confidential_now.update(_bodies_confidential([congress_id]))
        return True

    @database_sync_to_async
    def _refresh(self) -> list[int]:
        """Re-read the roles and the bodies' flags; the subscribed congresses no longer seen."""
        forget(self.user)
        self.roles = roles_of(self.user)
        lost = [c for c in self.last_sent if not (self.user.is_staff or self.roles.in_congress(c))]
        kept = [c for c in self.last_sent if c not in lost]
        self.confidential_now = _bodies_confidential(kept) if kept else {}
        return lost

    @database_sync_to_async
    def _replay(self, congress_id: int, after: int, budget: int) -> tuple[list[dict], bool]:
        """Up to `budget` events after `after`, and whether more are left to fetch."""
        if budget <= 0:
            return [], True
        events = events_visible_to(self.user).filter(congress_id=congress_id, id__gt=after)
        found = list(events.order_by("id")[: budget + 1])
        return [wire.event_message(e) for e in found[:budget]], len(found) > budget

    async def _authenticate_again(self):
        """The same authentication as at connect, with the credentials of now."""
        method, session_key = self.credentials
        if method == "token":
            return await _user_from_token_middleware(self.scope)
        if method == "session":
            return await get_user({"session": _session_store(session_key)})
        return await _user_again(self.user.pk)


_SUBSCRIBE_HELP = 'Send {"action": "subscribe", "congress": N, "after": ID}.'


def _is_id(value) -> bool:
    return type(value) is int and 0 <= value <= MAX_ID


def _bodies_confidential(congress_ids) -> dict[int, bool]:
    return dict(
        Body.objects.filter(congress_id__in=list(congress_ids)).values_list("pk", "confidential")
    )


def _session_store(session_key: str):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


async def _user_from_token_middleware(scope):
    """Run the token middleware of the connection again on a copy of its scope."""
    found = {}

    async def capture(inner_scope, receive, send):
        found["user"] = inner_scope.get("user")

    await TokenAuthMiddleware(capture)({**scope, "user": None}, None, None)
    user = found.get("user")
    return user if user is not None and user.is_authenticated else None


@database_sync_to_async
def _user_again(user_id: int):
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()
