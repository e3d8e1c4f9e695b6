"""The team's rota set-up: shift types, skills, cover needs, contracts and rules."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from django.db import transaction

from rota import rules, selectors
from rota.models import (
    Contract,
    CoverNeed,
    MemberSkill,
    ShiftType,
    Skill,
    TeamRules,
)
from rota.services.common import RotaError
from teams import audit, live
from teams.models import Team, User

HANDOVER_MINUTES = 60


@transaction.atomic
def shift_type_save(
    *,
    team: Team,
    by: User,
    name: str,
    start: time,
    end: time,
    colour: str,
    shift_type: ShiftType | None = None,
) -> ShiftType:
    """Create or change a shift type; two types may overlap by at most a one-hour handover."""
    name = name.strip()
    if start == end:
        raise RotaError("The end must differ from the start.", field="end")
    others = ShiftType.objects.for_team(team)
    if shift_type is not None:
        others = others.exclude(pk=shift_type.pk)
    if others.filter(name__iexact=name).exists():
        raise RotaError(f"There is already a shift type called {name}.", field="name")
    for other in others:
        overlap = rules.shifts_overlap_minutes((start, end), (other.start, other.end))
        if overlap > HANDOVER_MINUTES:
            raise RotaError(
                f"{start:%H:%M}–{end:%H:%M} overlaps {other.label} by {overlap // 60} h "
                f"{overlap % 60:02d} min; shift types may overlap by at most one hour for "
                f"handover.",
                field="start",
            )
    shift_type = shift_type or ShiftType(team=team)
    shift_type.name, shift_type.start, shift_type.end, shift_type.colour = name, start, end, colour
    shift_type.save()
    audit.record(actor=by, team=team, action="rota.shift_type.save", obj=shift_type)
    live.publish(team, "rota-setup-changed")
    return shift_type


@transaction.atomic
def skill_create(*, team: Team, by: User, name: str) -> Skill:
    name = name.strip()
    if Skill.objects.for_team(team).filter(name__iexact=name).exists():
        raise RotaError(f"There is already a skill called {name}.", field="name")
    skill = Skill.objects.create(team=team, name=name)
    audit.record(actor=by, team=team, action="rota.skill.create", obj=skill)
    return skill


@transaction.atomic
def member_skills_set(*, team: Team, user: User, skills: list[Skill], by: User) -> None:
    if not selectors.is_member(team=team, user=user):
        raise RotaError(f"{user} is not a member of {team}.")
    MemberSkill.objects.for_team(team).filter(user=user).exclude(skill__in=skills).delete()
    have = set(MemberSkill.objects.for_team(team).filter(user=user).values_list("skill", flat=True))
    MemberSkill.objects.bulk_create(
        MemberSkill(team=team, user=user, skill=s) for s in skills if s.pk not in have
    )
    audit.record(
        actor=by, team=team, action="rota.skills.set", obj=user, detail={"skills": len(skills)}
    )


@transaction.atomic
def cover_need_save(
    *,
    team: Team,
    by: User,
    shift_type: ShiftType,
    minimum: int,
    preferred: int,
    weekday: int | None = None,
    day: date | None = None,
    required_skills: list[Skill] = (),
    cover_need: CoverNeed | None = None,
) -> CoverNeed:
    """Create or change a cover need; it may not ask for more people than the team has."""
    if (weekday is None) == (day is None):
        raise RotaError("Choose either a day of the week or a date.", field="weekday")
    size = len(selectors.current_members(team=team))
    if minimum > size:
        raise RotaError(
            f"The minimum of {minimum} is more than the {size} people in the team.",
            field="minimum",
        )
    if preferred < minimum:
        raise RotaError("The preferred number cannot be below the minimum.", field="preferred")
    if preferred > size:
        raise RotaError(
            f"The preferred number of {preferred} is more than the {size} people in the team.",
            field="preferred",
        )
    for skill in required_skills:
        if not MemberSkill.objects.for_team(team).filter(skill=skill).exists():
            raise RotaError(f"Nobody in the team has the skill {skill}.", field="required_skills")
    need = cover_need or CoverNeed(team=team)
    need.shift_type, need.weekday, need.date = shift_type, weekday, day
    need.minimum, need.preferred = minimum, preferred
    need.save()
    need.required_skills.set(required_skills)
    audit.record(actor=by, team=team, action="rota.cover.save", obj=need)
    live.publish(team, "rota-setup-changed")
    return need


def _check_contract(values: dict, team_rules: TeamRules) -> None:
    if values["min_shifts_per_week"] > values["max_shifts_per_week"]:
        raise RotaError(
            "The minimum shifts a week cannot be more than the maximum.",
            field="min_shifts_per_week",
        )
    if values["max_shifts_per_week"] > 7:
        raise RotaError("A week has only 7 days.", field="max_shifts_per_week")
    limit = team_rules.max_average_weekly_hours
    if values["hours_per_week"] > limit and not values["opted_out_of_48h"]:
        raise RotaError(
            f"{values['hours_per_week']} hours a week is more than the {limit}-hour average "
            f"limit; it needs the person's written opt-out.",
            field="hours_per_week",
        )
    if team_rules.weekly_rest_hours and values["max_consecutive_days"] >= 7:
        raise RotaError(
            f"Working 7 or more days in a row leaves no {team_rules.weekly_rest_hours}-hour "
            f"weekly rest; allow at most 6.",
            field="max_consecutive_days",
        )


@transaction.atomic
def contract_save(
    *,
    team: Team,
    user: User,
    by: User,
    hours_per_week: Decimal,
    min_shifts_per_week: int,
    max_shifts_per_week: int,
    max_consecutive_days: int,
    nights_allowed: bool,
    max_weekends_per_4_weeks: int,
    opted_out_of_48h: bool,
    leave_days_per_year: Decimal = Decimal("28"),
) -> Contract:
    values = {
        "hours_per_week": hours_per_week,
        "min_shifts_per_week": min_shifts_per_week,
        "max_shifts_per_week": max_shifts_per_week,
        "max_consecutive_days": max_consecutive_days,
        "nights_allowed": nights_allowed,
        "max_weekends_per_4_weeks": max_weekends_per_4_weeks,
        "opted_out_of_48h": opted_out_of_48h,
        "leave_days_per_year": leave_days_per_year,
    }
    if not selectors.is_member(team=team, user=user):
        raise RotaError(f"{user} is not a member of {team}.")
    _check_contract(values, selectors.team_rules(team=team))
    contract, _ = Contract.objects.for_team(team).update_or_create(
        team=team, user=user, defaults=values
    )
    audit.record(actor=by, team=team, action="rota.contract.save", obj=contract)
    live.publish(team, "rota-setup-changed")
    return contract


@transaction.atomic
def team_rules_save(
    *,
    team: Team,
    by: User,
    min_rest_hours: int,
    max_average_weekly_hours: int,
    reference_weeks: int,
    weekly_rest_hours: int,
    swaps_need_confirmation: bool,
) -> TeamRules:
    """Save the team's rules; ones that contradict each other or the contracts are refused."""
    if min_rest_hours >= 24:
        raise RotaError(
            "A minimum rest of 24 hours or more leaves no room for a shift every day; "
            "use less than 24.",
            field="min_rest_hours",
        )
    if weekly_rest_hours and weekly_rest_hours < min_rest_hours:
        raise RotaError(
            f"The weekly rest ({weekly_rest_hours} h) cannot be shorter than the daily rest "
            f"({min_rest_hours} h).",
            field="weekly_rest_hours",
        )
    if weekly_rest_hours > 7 * 24 - 1:
        raise RotaError("The weekly rest must leave time to work.", field="weekly_rest_hours")
    if not 1 <= reference_weeks <= 52:
        raise RotaError("The reference period is 1 to 52 weeks.", field="reference_weeks")
    over = [
        str(c.user)
        for c in Contract.objects.for_team(team).select_related("user")
        if c.hours_per_week > max_average_weekly_hours and not c.opted_out_of_48h
    ]
    if over:
        raise RotaError(
            f"{', '.join(over)} {'is' if len(over) == 1 else 'are'} contracted for more than "
            f"{max_average_weekly_hours} hours a week without an opt-out.",
            field="max_average_weekly_hours",
        )
    team_rules, _ = TeamRules.objects.for_team(team).update_or_create(
        team=team,
        defaults={
            "min_rest_hours": min_rest_hours,
            "max_average_weekly_hours": max_average_weekly_hours,
            "reference_weeks": reference_weeks,
            "weekly_rest_hours": weekly_rest_hours,
            "swaps_need_confirmation": swaps_need_confirmation,
        },
    )
    audit.record(actor=by, team=team, action="rota.rules.save", obj=team_rules)
    live.publish(team, "rota-setup-changed")
    return team_rules
