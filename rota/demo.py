"""Demo rota data: shift types, a skill, weekly cover, published rotas from the start of the
invented history to today, and a draft for the four weeks after."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from rota import services
from rota.models import Colour, RotaPeriod, ShiftType
from teams import demo
from teams.models import Membership, Team

SHIFTS = [
    (name, *demo.SHIFT_TIMES[name], colour)
    for name, colour in (("Early", Colour.BLUE), ("Late", Colour.GREEN), ("Night", Colour.PURPLE))
]
PERIOD_DAYS = 28


def seed(team: Team) -> None:
    """Give ``team`` a rota set-up and rotas from the history's first Monday (idempotent)."""
    memberships = demo.members(team)
    if not memberships or ShiftType.objects.for_team(team).exists():
        return
    by = memberships[0].user
    types = {
        name: services.shift_type_save(
            team=team, by=by, name=name, start=start, end=end, colour=colour
        )
        for name, start, end, colour in SHIFTS
    }
    nurse = services.skill_save(team=team, by=by, name="Registered nurse")
    for membership in memberships:
        if "nurse" in membership.job_title.lower():
            services.member_skills_set(team=team, user=membership.user, skills=[nurse], by=by)
    for weekday in range(7):
        for name, minimum in (("Early", 2), ("Late", 1), ("Night", 1)):
            services.cover_need_save(
                team=team,
                by=by,
                shift_type=types[name],
                weekday=weekday,
                minimum=min(minimum, len(memberships)),
                preferred=min(minimum + (name == "Early"), len(memberships)),
                required_skills=[nurse] if name == "Early" else [],
            )
    today = timezone.localdate()
    start = demo.history_start(today)
    while start <= today:
        period = _period(team, memberships, types, start=start, today=today)
        services.period_publish(period=period, by=by)
        start += timedelta(days=PERIOD_DAYS)
    _period(team, memberships, types, start=start, today=today)


def _period(
    team: Team,
    memberships: list[Membership],
    types: dict[str, ShiftType],
    *,
    start: date,
    today: date,
) -> RotaPeriod:
    """Create a draft period holding every member's turn of the demo rota."""
    by = memberships[0].user
    period = services.period_create(team=team, by=by, start=start, days=PERIOD_DAYS)
    for position, membership in enumerate(memberships):
        for n in range(PERIOD_DAYS):
            day = start + timedelta(days=n)
            name = demo.shift_on(position=position, day=day, today=today)
            if name:
                services.assignment_set(
                    period=period, user=membership.user, day=day, shift_type=types[name], by=by
                )
    return period
