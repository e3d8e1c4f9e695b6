"""What every rota page shares: the period or member a URL names."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from rota import selectors
from rota.models import RotaPeriod
from teams.access import TeamRequest
from teams.models import User


def period_for(request: TeamRequest, period_id: int) -> RotaPeriod:
    period = get_object_or_404(RotaPeriod.objects.for_team(request.team), pk=period_id)
    period.team = request.team  # the same row: spare a query
    return period


def member_for(request: TeamRequest, user_id: int | None) -> User:
    members = {m.pk: m for m in selectors.member_users(team=request.team)}
    if user_id not in members:
        raise Http404
    return members[user_id]
