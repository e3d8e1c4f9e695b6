"""The team socket: one per open page, joined to the team's group after a membership check.

Access is checked again whenever it may have ended: a member leaving or a coach losing access
(``teams.live.recheck_access``), a logout (``teams.live.end_session``), and at each heartbeat
in case a message was missed or the session timed out. A socket that lost access is closed
with ``CLOSE_DENIED``, which the browser does not retry.
"""

from __future__ import annotations

import asyncio

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.http import Http404

from teams import services, sessions
from teams.access import team_access
from teams.live import session_group, team_group, user_group
from teams.models import PRESENCE_HEARTBEAT

CLOSE_DENIED = 4403


class TeamConsumer(AsyncJsonWebsocketConsumer):
    """Accept only current members and coaches of the team in the URL; others are never joined."""

    groups_joined: tuple[str, ...] = ()

    async def connect(self) -> None:
        user = self.scope.get("user")
        session = self.scope.get("session")
        self.slug = self.scope["url_route"]["kwargs"]["team_slug"]
        self.session_key = session.session_key if session is not None else None
        if not self.session_key or not await database_sync_to_async(self._allowed)():
            await self.close()
            return
        self.groups_joined = (
            team_group(self.team.pk),
            user_group(user.pk),
            session_group(self.session_key),
        )
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await database_sync_to_async(services.presence_join)(
            team=self.team, user=user, channel_name=self.channel_name
        )
        self.heartbeat = asyncio.create_task(self._heartbeat())

    def _allowed(self) -> bool:
        try:
            self.team, _ = team_access(user=self.scope.get("user"), slug=self.slug)
        except Http404:
            return False
        return sessions.session_is_current(self.session_key)

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(PRESENCE_HEARTBEAT.total_seconds())
            await self.access_recheck({})
            await database_sync_to_async(services.presence_seen)(channel_name=self.channel_name)

    async def disconnect(self, code: int) -> None:
        if not self.groups_joined:
            return
        self.heartbeat.cancel()
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)
        self.groups_joined = ()
        await database_sync_to_async(services.presence_leave)(channel_name=self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        """Ignore what browsers send: the socket only carries events to them."""

    async def team_event(self, message: dict) -> None:
        await self.send_json({k: v for k, v in message.items() if k != "type"})

    async def access_recheck(self, message: dict) -> None:
        if not await database_sync_to_async(self._allowed)():
            await self.close(code=CLOSE_DENIED)

    async def session_ended(self, message: dict) -> None:
        await self.close(code=CLOSE_DENIED)
