"""The team's rota set-up: rules, shift types, contracts and skills."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q

from rota import rules
from rota.models import (
    Assignment,
    Contract,
    CoverNeed,
    MemberSkill,
    ShiftRequest,
    ShiftType,
    Skill,
    TeamRules,
)
from teams.models import Team


def team_rules(*, team: Team) -> TeamRules:
    """Return the team's rules, or the defaults (unsaved) if it never changed them."""
    return TeamRules.objects.for_team(team).first() or TeamRules(team=team)


def rule_set(team_rules: TeamRules) -> rules.RuleSet:
    return rules.RuleSet(
        min_rest=timedelta(hours=team_rules.min_rest_hours),
        max_average_weekly_hours=team_rules.max_average_weekly_hours,
        reference_weeks=team_rules.reference_weeks,
        weekly_rest=timedelta(hours=team_rules.weekly_rest_hours),
        weekly_rest_days=team_rules.weekly_rest_days,
    )


def shift_types(*, team: Team, include_retired: bool = False) -> list[ShiftType]:
    """Return the shift types offered for new shifts, cover and planning (or all of them)."""
    found = ShiftType.objects.for_team(team)
    return list(found if include_retired else found.filter(retired_at__isnull=True))


@dataclass(frozen=True)
class ShiftTypeUse:
    shifts: int
    published: int
    cover_needs: int
    requests: int


def shift_type_use(*, shift_type: ShiftType) -> ShiftTypeUse:
    """Count what refers to a shift type: what retiring or deleting it would touch."""
    team = shift_type.team
    shifts = (
        Assignment.objects.for_team(team)
        .filter(shift_type=shift_type)
        .aggregate(all=Count("id"), published=Count("id", filter=Q(published=True)))
    )
    return ShiftTypeUse(
        shifts=shifts["all"],
        published=shifts["published"],
        cover_needs=CoverNeed.objects.for_team(team).filter(shift_type=shift_type).count(),
        requests=ShiftRequest.objects.for_team(team).filter(shift_type=shift_type).count(),
    )


def skills(*, team: Team) -> list[Skill]:
    return list(Skill.objects.for_team(team))


def cover_needs(*, team: Team, skill: Skill | None = None) -> list[CoverNeed]:
    """Return the team's cover needs, or those asking for ``skill``."""
    found = CoverNeed.objects.for_team(team)
    if skill is not None:
        found = found.filter(required_skills=skill)
    return list(found.select_related("shift_type").prefetch_related("required_skills"))


def contracts(*, team: Team) -> dict[int, Contract]:
    return {c.user_id: c for c in Contract.objects.for_team(team)}


def limits_for(contracts_by_user: dict[int, Contract]) -> dict[int | str, rules.Limits]:
    return {
        user_id: rules.Limits(
            max_consecutive_days=c.max_consecutive_days,
            opted_out_48h=c.opted_out_of_48h,
            nights_allowed=c.nights_allowed,
        )
        for user_id, c in contracts_by_user.items()
    }


def skill_holders(*, skill: Skill) -> int:
    return MemberSkill.objects.for_team(skill.team).filter(skill=skill).count()


def member_skills(*, team: Team) -> dict[str, list[str]]:
    """Return each member's skill names, by member name."""
    found: dict[str, list[str]] = defaultdict(list)
    for name, skill in (
        MemberSkill.objects.for_team(team)
        .order_by("user__name", "skill__name")
        .values_list("user__name", "skill__name")
    ):
        found[name].append(skill)
    return dict(found)
