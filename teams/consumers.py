"""The team socket: one per open page, joined to the team's group after a membership check."""

from __future__ import annotations

import asyncio

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.http import Http404

from teams import services
from teams.access import team_access
from teams.live import team_group
from teams.models import PRESENCE_HEARTBEAT


class TeamConsumer(AsyncJsonWebsocketConsumer):
    """Accept only current members and coaches of the team in the URL; others are never joined."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        slug = self.scope["url_route"]["kwargs"]["team_slug"]
        try:
            self.team, _ = await database_sync_to_async(team_access)(user=user, slug=slug)
        except Http404:
            await self.close()
            return
        self.group = team_group(self.team.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await database_sync_to_async(services.presence_join)(
            team=self.team, user=user, channel_name=self.channel_name
        )
        self.heartbeat = asyncio.create_task(self._heartbeat())

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(PRESENCE_HEARTBEAT.total_seconds())
            await database_sync_to_async(services.presence_seen)(channel_name=self.channel_name)

    async def disconnect(self, code: int) -> None:
        if getattr(self, "group", None) is None:
            return
        self.heartbeat.cancel()
        await self.channel_layer.group_discard(self.group, self.channel_name)
        await database_sync_to_async(services.presence_leave)(channel_name=self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        """Ignore what browsers send: the socket only carries events to them."""

    async def team_event(self, message: dict) -> None:
        await self.send_json({k: v for k, v in message.items() if k != "type"})
