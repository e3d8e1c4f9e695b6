"""The team's rota set-up: skills, cover needs, contracts and rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from rota import selectors
from rota.models import (
    Contract,
    CoverNeed,
    MemberSkill,
    ShiftType,
    Skill,
    TeamRules,
    Weekday,
    WeeklyRestReference,
)
from rota.services.common import RotaError
from teams import audit, live
from teams.models import Team, User


@transaction.atomic
def skill_save(*, team: Team, by: User, name: str, skill: Skill | None = None) -> Skill:
    """Create or rename a skill; names are unique in the team whatever their case."""
    name = name.strip()
    others = Skill.objects.for_team(team)
    if skill is not None:
        others = others.exclude(pk=skill.pk)
    if others.filter(name__iexact=name).exists():
        raise RotaError(f"There is already a skill called {name}.", field="name")
    skill = skill or Skill(team=team)
    skill.name = name
    skill.save()
    audit.record(actor=by, team=team, action="rota.skill.save", obj=skill)
    live.publish(team, "rota-setup-changed")
    return skill


@transaction.atomic
def skill_delete(*, skill: Skill, by: User) -> None:
    """Delete a skill: nobody holds it any more and no cover need asks for it."""
    audit.record(
        actor=by,
        team=skill.team,
        action="rota.skill.delete",
        obj=skill,
        detail={"name": skill.name},
    )
    live.publish(skill.team, "rota-setup-changed")
    skill.delete()


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
    live.publish(team, "rota-setup-changed")


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
        raise RotaError(_("Choose either a day of the week or a date."), field="weekday")
    if shift_type.retired_at is not None:
        raise RotaError(f"{shift_type.name} is retired; bring it back first.", field="shift_type")
    same = CoverNeed.objects.for_team(team).filter(shift_type=shift_type, weekday=weekday, date=day)
    if cover_need is not None:
        same = same.exclude(pk=cover_need.pk)
    if same.exists():
        when = f"{day:%-d %B %Y}" if day else f"{Weekday(weekday).label}s"
        raise RotaError(
            f"There is already a cover need for {shift_type.name} on {when}; change that one.",
            field="weekday" if day is None else "day",
        )
    size = selectors.member_users(team=team).count()
    if minimum > size:
        raise RotaError(
            f"The minimum of {minimum} is more than the {size} people in the team.",
            field="minimum",
        )
    if preferred < minimum:
        raise RotaError(_("The preferred number cannot be below the minimum."), field="preferred")
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


@transaction.atomic
def cover_need_delete(*, cover_need: CoverNeed, by: User) -> None:
    team = cover_need.team
    audit.record(actor=by, team=team, action="rota.cover.delete", obj=cover_need)
    cover_need.delete()
    live.publish(team, "rota-setup-changed")


def _most_days_in_a_row(weekly_rest_hours: int, weekly_rest_days: int) -> int | None:
    """Return the most working days in a row that leave a day off for each weekly rest."""
    return weekly_rest_days - weekly_rest_days // 7 if weekly_rest_hours else None


def _check_contract(values: dict, team_rules: TeamRules) -> None:
    if values["min_shifts_per_week"] > values["max_shifts_per_week"]:
        raise RotaError(
            _("The minimum shifts a week cannot be more than the maximum."),
            field="min_shifts_per_week",
        )
    if values["max_shifts_per_week"] > 7:
        raise RotaError(_("A week has only 7 days."), field="max_shifts_per_week")
    limit = team_rules.max_average_weekly_hours
    if values["hours_per_week"] > limit and not values["opted_out_of_48h"]:
        raise RotaError(
            f"{values['hours_per_week']} hours a week is more than the {limit}-hour average "
            f"limit; it needs the person's written opt-out.",
            field="hours_per_week",
        )
    most = _most_days_in_a_row(team_rules.weekly_rest_hours, team_rules.weekly_rest_days)
    if most is not None and values["max_consecutive_days"] > most:
        rest = f"{team_rules.weekly_rest_hours}-hour weekly rest"
        if team_rules.weekly_rest_days == WeeklyRestReference.FORTNIGHT:
            rest = f"two {rest}s in 14 days"
        raise RotaError(
            f"Working {most + 1} or more days in a row leaves no {rest}; allow at most {most}.",
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
    weekly_rest_days: int,
    swaps_need_confirmation: bool,
) -> TeamRules:
    """Save the team's rules; ones that contradict each other or the contracts are refused."""
    if min_rest_hours >= 24:
        raise RotaError(
            _(
                "A minimum rest of 24 hours or more leaves no room for a shift every day; "
                "use less than 24."
            ),
            field="min_rest_hours",
        )
    if weekly_rest_hours and weekly_rest_hours < min_rest_hours:
        raise RotaError(
            f"The weekly rest ({weekly_rest_hours} h) cannot be shorter than the daily rest "
            f"({min_rest_hours} h).",
            field="weekly_rest_hours",
        )
    if weekly_rest_hours > 7 * 24 - 1:
        raise RotaError(_("The weekly rest must leave time to work."), field="weekly_rest_hours")
    if weekly_rest_days not in WeeklyRestReference.values:
        raise RotaError(_("Weekly rest is reckoned over 7 or 14 days."), field="weekly_rest_days")
    if not 1 <= reference_weeks <= 52:
        raise RotaError(_("The reference period is 1 to 52 weeks."), field="reference_weeks")
    contracts = list(Contract.objects.for_team(team).select_related("user"))
    over = [
        str(c.user)
        for c in contracts
        if c.hours_per_week > max_average_weekly_hours and not c.opted_out_of_48h
    ]
    if over:
        raise RotaError(
            f"{', '.join(over)} {'is' if len(over) == 1 else 'are'} contracted for more than "
            f"{max_average_weekly_hours} hours a week without an opt-out.",
            field="max_average_weekly_hours",
        )
    most = _most_days_in_a_row(weekly_rest_hours, weekly_rest_days)
    if most is not None:
        long_runs = [str(c.user) for c in contracts if c.max_consecutive_days > most]
        if long_runs:
            raise RotaError(
                f"{', '.join(long_runs)} may work more than {most} days in a row by contract, "
                f"which leaves no room for this weekly rest; change the contract first.",
                field="weekly_rest_days",
            )
    team_rules, _created = TeamRules.objects.for_team(team).update_or_create(
        team=team,
        defaults={
            "min_rest_hours": min_rest_hours,
            "max_average_weekly_hours": max_average_weekly_hours,
            "reference_weeks": reference_weeks,
            "weekly_rest_hours": weekly_rest_hours,
            "weekly_rest_days": weekly_rest_days,
            "swaps_need_confirmation": swaps_need_confirmation,
        },
    )
    audit.record(actor=by, team=team, action="rota.rules.save", obj=team_rules)
    live.publish(team, "rota-setup-changed")
    return team_rules
