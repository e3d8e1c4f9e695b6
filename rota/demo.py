"""Demo rota data: shift types, a skill, weekly cover and a draft four-week rota."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from rota import selectors, services
from rota.models import Colour, RotaPeriod, ShiftType
from teams.models import Team

SHIFTS = [
    ("Early", time(7, 30), time(15, 30), Colour.BLUE),
    ("Late", time(14, 30), time(22, 0), Colour.GREEN),
    ("Night", time(21, 30), time(7, 45), Colour.PURPLE),
]


def seed(team: Team) -> None:
    """Give ``team`` a rota set-up and a draft period starting this Monday (idempotent)."""
    members = list(selectors.member_users(team=team))
    if not members or ShiftType.objects.for_team(team).exists():
        return
    by = members[0]
    types = {
        name: services.shift_type_save(
            team=team, by=by, name=name, start=start, end=end, colour=colour
        )
        for name, start, end, colour in SHIFTS
    }
    nurse = services.skill_save(team=team, by=by, name="Registered nurse")
    services.member_skills_set(team=team, user=members[0], skills=[nurse], by=by)
    for weekday in range(7):
        for name, minimum in (("Early", 2), ("Late", 1), ("Night", 1)):
            services.cover_need_save(
                team=team,
                by=by,
                shift_type=types[name],
                weekday=weekday,
                minimum=min(minimum, len(members)),
                preferred=min(minimum + (name == "Early"), len(members)),
                required_skills=[nurse] if name == "Early" else [],
            )
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    if not RotaPeriod.objects.for_team(team).filter(start=monday).exists():
        period = services.period_create(team=team, by=by, start=monday, days=28)
        pattern = ["Early", "Early", "Late", "Late", "Night", None, None]
        for i, member in enumerate(members[:7]):
            for day in range(14):
                name = pattern[(day + i) % 7]
                if name:
                    services.assignment_set(
                        period=period,
                        user=member,
                        day=monday + timedelta(days=day),
                        shift_type=types[name],
                        by=by,
                    )
