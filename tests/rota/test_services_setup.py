from __future__ import annotations

from datetime import time
from decimal import Decimal

import pytest

from rota import services
from rota.models import TeamRules
from tests.rota.factories import ContractFactory, ShiftTypeFactory, SkillFactory


def _contract(**overrides):
    values = {
        "hours_per_week": Decimal("37.5"),
        "min_shifts_per_week": 0,
        "max_shifts_per_week": 5,
        "max_consecutive_days": 5,
        "nights_allowed": True,
        "max_weekends_per_4_weeks": 2,
        "opted_out_of_48h": False,
    }
    return {**values, **overrides}


def test_shift_type_overlapping_another_by_more_than_a_handover_is_refused(team, alice):
    ShiftTypeFactory(team=team, name="Early", start=time(7, 0), end=time(15, 0))
    with pytest.raises(services.RotaError) as error:
        services.shift_type_save(
            team=team, by=alice, name="Mid", start=time(10, 0), end=time(18, 0), colour="blue"
        )
    assert error.value.field == "start"
    assert "overlaps Early" in str(error.value)


def test_shift_type_with_a_one_hour_handover_is_accepted(team, alice):
    ShiftTypeFactory(team=team, name="Early", start=time(7, 0), end=time(15, 0))
    late = services.shift_type_save(
        team=team, by=alice, name="Late", start=time(14, 0), end=time(22, 0), colour="green"
    )
    assert not late.crosses_midnight


def test_night_shift_type_crosses_midnight(team, alice):
    night = services.shift_type_save(
        team=team, by=alice, name="Night", start=time(21, 30), end=time(7, 30), colour="purple"
    )
    assert night.crosses_midnight
    assert night.nominal_minutes == 600


def test_shift_type_name_is_unique_in_any_case(team, alice):
    ShiftTypeFactory(team=team, name="Early", start=time(7, 0), end=time(15, 0))
    with pytest.raises(services.RotaError, match="already"):
        services.shift_type_save(
            team=team, by=alice, name="early", start=time(16, 0), end=time(20, 0), colour="blue"
        )


def test_cover_need_larger_than_the_team_is_refused(team, alice, bob):
    shift = ShiftTypeFactory(team=team)
    with pytest.raises(services.RotaError) as error:
        services.cover_need_save(
            team=team, by=alice, shift_type=shift, weekday=0, minimum=3, preferred=3
        )
    assert error.value.field == "minimum"
    assert "2 people in the team" in str(error.value)


def test_cover_need_with_a_skill_nobody_has_is_refused(team, alice):
    shift = ShiftTypeFactory(team=team)
    skill = SkillFactory(team=team, name="Prescriber")
    with pytest.raises(services.RotaError, match="Prescriber"):
        services.cover_need_save(
            team=team,
            by=alice,
            shift_type=shift,
            weekday=0,
            minimum=1,
            preferred=1,
            required_skills=[skill],
        )


def test_contract_with_more_minimum_than_maximum_shifts_is_refused(team, alice):
    with pytest.raises(services.RotaError) as error:
        services.contract_save(team=team, user=alice, by=alice, **_contract(min_shifts_per_week=6))
    assert error.value.field == "min_shifts_per_week"


def test_contract_over_48_hours_needs_an_opt_out(team, alice):
    with pytest.raises(services.RotaError, match="opt-out"):
        services.contract_save(
            team=team, user=alice, by=alice, **_contract(hours_per_week=Decimal("50"))
        )
    contract = services.contract_save(
        team=team,
        user=alice,
        by=alice,
        **_contract(hours_per_week=Decimal("50"), opted_out_of_48h=True),
    )
    assert contract.opted_out_of_48h


def test_seven_days_in_a_row_contradicts_weekly_rest(team, alice):
    with pytest.raises(services.RotaError) as error:
        services.contract_save(team=team, user=alice, by=alice, **_contract(max_consecutive_days=7))
    assert error.value.field == "max_consecutive_days"


def _rules(**overrides):
    values = {
        "min_rest_hours": 11,
        "max_average_weekly_hours": 48,
        "reference_weeks": 17,
        "weekly_rest_hours": 24,
        "swaps_need_confirmation": True,
    }
    return {**values, **overrides}


def test_weekly_rest_shorter_than_daily_rest_is_contradictory(team, alice):
    with pytest.raises(services.RotaError) as error:
        services.team_rules_save(team=team, by=alice, **_rules(weekly_rest_hours=10))
    assert error.value.field == "weekly_rest_hours"


def test_rest_of_a_whole_day_between_shifts_is_refused(team, alice):
    with pytest.raises(services.RotaError) as error:
        services.team_rules_save(team=team, by=alice, **_rules(min_rest_hours=24))
    assert error.value.field == "min_rest_hours"


def test_lowering_the_weekly_limit_below_a_contract_names_the_person(team, alice):
    ContractFactory(team=team, user=alice, hours_per_week=Decimal("40"))
    with pytest.raises(services.RotaError, match="Alice Adams"):
        services.team_rules_save(team=team, by=alice, **_rules(max_average_weekly_hours=35))


def test_team_rules_default_to_eleven_hours_rest_and_seventeen_weeks(team):
    rules = TeamRules(team=team)
    assert (rules.min_rest_hours, rules.reference_weeks, rules.weekly_rest_hours) == (11, 17, 24)
