from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest

from rota import selectors, services
from rota.models import CoverNeed, MemberSkill, Skill, TeamRules
from teams.models import AuditEvent
from tests.rota.factories import (
    ContractFactory,
    CoverNeedFactory,
    ShiftTypeFactory,
    SkillFactory,
)


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


def test_renaming_a_skill_keeps_who_holds_it(team, alice):
    skill = SkillFactory(team=team, name="Wound care")
    services.member_skills_set(team=team, user=alice, skills=[skill], by=alice)
    renamed = services.skill_save(team=team, by=alice, skill=skill, name=" Tissue viability ")
    assert (renamed.pk, renamed.name) == (skill.pk, "Tissue viability")
    assert MemberSkill.objects.get(user=alice).skill == renamed
    assert AuditEvent.objects.filter(action="rota.skill.save", object_id=str(skill.pk)).exists()


def test_a_skill_cannot_be_renamed_to_another_skills_name_in_any_case(team, alice):
    SkillFactory(team=team, name="Prescriber")
    skill = SkillFactory(team=team, name="Wound care")
    with pytest.raises(services.RotaError) as error:
        services.skill_save(team=team, by=alice, skill=skill, name="prescriber")
    assert error.value.field == "name"


def test_removing_a_skill_takes_it_off_members_and_cover_needs(team, alice):
    skill = SkillFactory(team=team, name="Prescriber")
    services.member_skills_set(team=team, user=alice, skills=[skill], by=alice)
    need = CoverNeedFactory(shift_type=ShiftTypeFactory(team=team))
    need.required_skills.add(skill)
    services.skill_delete(skill=skill, by=alice)
    assert not Skill.objects.exists() and not MemberSkill.objects.exists()
    assert list(CoverNeed.objects.get().required_skills.all()) == []
    assert AuditEvent.objects.get(action="rota.skill.delete").detail == {"name": "Prescriber"}


def _cover(need: CoverNeed, by, **changes):
    values = {
        "shift_type": need.shift_type,
        "weekday": need.weekday,
        "day": need.date,
        "minimum": need.minimum,
        "preferred": need.preferred,
    }
    return services.cover_need_save(team=need.team, by=by, cover_need=need, **values | changes)


def test_changing_a_cover_need_moves_it_and_tells_the_team(
    team, alice, bob, live_events, django_capture_on_commit_callbacks
):
    need = CoverNeedFactory(shift_type=ShiftTypeFactory(team=team), weekday=0)
    skill = SkillFactory(team=team)
    services.member_skills_set(team=team, user=bob, skills=[skill], by=alice)
    with django_capture_on_commit_callbacks(execute=True):
        _cover(
            need, alice, weekday=None, day=date(2026, 12, 25), preferred=2, required_skills=[skill]
        )
    need.refresh_from_db()
    assert (need.weekday, need.date, need.preferred) == (None, date(2026, 12, 25), 2)
    assert list(need.required_skills.all()) == [skill]
    assert CoverNeed.objects.count() == 1
    assert live_events == [{"type": "team.event", "event": "rota-setup-changed"}]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"minimum": 3, "preferred": 3}, "minimum", "more than the 2 people"),
        ({"minimum": 2, "preferred": 1}, "preferred", "cannot be below the minimum"),
        ({"weekday": 1}, "weekday", "already a cover need for Early on Tuesdays"),
        ({"weekday": None}, "weekday", "either a day of the week or a date"),
    ],
)
def test_a_changed_cover_need_is_checked_like_a_new_one(team, alice, bob, changes, field, message):
    early = ShiftTypeFactory(team=team, name="Early")
    CoverNeedFactory(shift_type=early, weekday=1)
    need = CoverNeedFactory(shift_type=early, weekday=0)
    with pytest.raises(services.RotaError, match=message) as error:
        _cover(need, alice, **changes)
    assert error.value.field == field


def test_a_second_cover_need_for_the_same_shift_and_date_is_refused(team, alice):
    early = ShiftTypeFactory(team=team, name="Early")
    CoverNeedFactory(shift_type=early, weekday=None, date=date(2026, 12, 25))
    with pytest.raises(services.RotaError, match="25 December 2026") as error:
        services.cover_need_save(
            team=team, by=alice, shift_type=early, day=date(2026, 12, 25), minimum=1, preferred=1
        )
    assert error.value.field == "day"


def test_removing_a_cover_need_is_audited_and_tells_the_team(
    team, alice, live_events, django_capture_on_commit_callbacks
):
    need = CoverNeedFactory(shift_type=ShiftTypeFactory(team=team))
    with django_capture_on_commit_callbacks(execute=True):
        services.cover_need_delete(cover_need=need, by=alice)
    assert not CoverNeed.objects.exists()
    assert AuditEvent.objects.filter(action="rota.cover.delete").exists()
    assert live_events == [{"type": "team.event", "event": "rota-setup-changed"}]


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
        "weekly_rest_days": 7,
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
    assert rules.weekly_rest_days == 7


def test_a_team_may_reckon_weekly_rest_over_14_days(team, alice):
    services.team_rules_save(team=team, by=alice, **_rules(weekly_rest_days=14))
    assert TeamRules.objects.get(team=team).weekly_rest_days == 14
    assert selectors.rule_set(selectors.team_rules(team=team)).weekly_rest_days == 14


def test_weekly_rest_over_another_number_of_days_is_refused(team, alice):
    with pytest.raises(services.RotaError) as error:
        services.team_rules_save(team=team, by=alice, **_rules(weekly_rest_days=10))
    assert error.value.field == "weekly_rest_days"


def test_over_14_days_a_contract_may_allow_twelve_days_in_a_row_but_not_thirteen(team, alice):
    services.team_rules_save(team=team, by=alice, **_rules(weekly_rest_days=14))
    with pytest.raises(services.RotaError, match="two 24-hour weekly rests in 14 days"):
        services.contract_save(
            team=team, user=alice, by=alice, **_contract(max_consecutive_days=13)
        )
    services.contract_save(team=team, user=alice, by=alice, **_contract(max_consecutive_days=12))


def test_going_back_to_7_days_is_refused_while_a_contract_allows_longer_runs(team, alice):
    services.team_rules_save(team=team, by=alice, **_rules(weekly_rest_days=14))
    services.contract_save(team=team, user=alice, by=alice, **_contract(max_consecutive_days=10))
    with pytest.raises(services.RotaError, match="Alice Adams may work more than 6 days") as error:
        services.team_rules_save(team=team, by=alice, **_rules(weekly_rest_days=7))
    assert error.value.field == "weekly_rest_days"


SETUP_CHANGE = {"type": "team.event", "event": "rota-setup-changed"}


def test_adding_a_skill_tells_the_team_live(
    team, alice, live_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.skill_save(team=team, by=alice, name="Wound care")
    assert live_events == [SETUP_CHANGE]


def test_removing_a_skill_tells_the_team_live(
    team, alice, live_events, django_capture_on_commit_callbacks
):
    skill = SkillFactory(team=team)
    with django_capture_on_commit_callbacks(execute=True):
        services.skill_delete(skill=skill, by=alice)
    assert live_events == [SETUP_CHANGE]


def test_setting_a_members_skills_tells_the_team_live(
    team, alice, live_events, django_capture_on_commit_callbacks
):
    skill = SkillFactory(team=team)
    with django_capture_on_commit_callbacks(execute=True):
        services.member_skills_set(team=team, user=alice, skills=[skill], by=alice)
    assert live_events == [SETUP_CHANGE]
