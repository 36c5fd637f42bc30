"""The live-update websocket (/ws/live/): authenticate, join the user's own group, subscribe
to congresses the user may see, replay missed events, then forward new ones.

It never writes domain rows. Events reach it through the channel layer (`event.push`); the
channel layer is at-most-once, so every message carries its sequence number and a client that
missed one catches up by subscribing again with `after`.
"""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from congress.roles import forget, roles_of
from congress.selectors import congresses_visible_to
from notifications.api.serializers import EventSerializer
from notifications.live import congress_group, user_group
from notifications.selectors import events_visible_to

REPLAY_LIMIT = 500


class LiveConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.user = self.scope.get("user")
        if self.user is None or not self.user.is_authenticated:
            await self.close(code=4401)
            return
        self.last_sent: dict[int, int] = {}
        self.roles = None
        await self.channel_layer.group_add(user_group(self.user.pk), self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        user = getattr(self, "user", None)
        if user is not None and user.is_authenticated:
            await self.channel_layer.group_discard(user_group(user.pk), self.channel_name)
        for congress_id in getattr(self, "last_sent", {}):
            await self.channel_layer.group_discard(congress_group(congress_id), self.channel_name)

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict) or content.get("action") != "subscribe":
            await self.send_json(
                {
                    "error": "unknown_action",
                    "detail": 'Send {"action": "subscribe", "congress": N, "after": ID}.',
                }
            )
            return
        congress_id, after = content.get("congress"), content.get("after", 0)
        if not isinstance(congress_id, int) or not isinstance(after, int) or after < 0:
            await self.send_json(
                {"error": "invalid", "detail": "congress and after must be integers."}
            )
            return
        if not await self._may_see(congress_id):
            await self.send_json({"error": "not_found", "congress": congress_id})
            return
        await self.channel_layer.group_add(congress_group(congress_id), self.channel_name)
        self.last_sent[congress_id] = after
        for event in await self._replay(congress_id, after):
            await self._send_event(event)
        await self.send_json({"subscribed": congress_id, "after": self.last_sent[congress_id]})

    async def event_push(self, message):
        """A new event for a congress group: forward it if this user may see it (decided in
        memory with the roles read at subscription, so a fan-out costs no query per client)."""
        event = message["event"]
        if event["event"] <= self.last_sent.get(event["congress"], 0):
            return
        if self._may_see_event(event["congress"], message.get("body"), message["confidential"]):
            await self._send_event(event)

    async def notification_push(self, message):
        await self.send_json({"type": "notification.created", "data": message["notification"]})

    async def _send_event(self, event: dict):
        self.last_sent[event["congress"]] = max(
            self.last_sent.get(event["congress"], 0), event["event"]
        )
        await self.send_json(event)

    @database_sync_to_async
    def _may_see(self, congress_id: int) -> bool:
        forget(self.user)
        self.roles = roles_of(self.user)
        return congresses_visible_to(self.user).filter(pk=congress_id).exists()

    def _may_see_event(self, congress_id: int, body_id: int | None, confidential: bool) -> bool:
        if self.user.is_staff:
            return True
        return self.roles is not None and self.roles.sees_work(congress_id, body_id, confidential)

    @database_sync_to_async
    def _replay(self, congress_id: int, after: int) -> list[dict]:
        events = events_visible_to(self.user).filter(congress_id=congress_id, id__gt=after)
        return [dict(EventSerializer(e).data) for e in events.order_by("id")[:REPLAY_LIMIT]]
