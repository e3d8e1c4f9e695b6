from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from insights import formulas as f


def test_share_of_nothing_is_no_data_not_zero():
    assert f.share(0, 0) is None


def test_breakdown_puts_rostered_but_unrecorded_time_in_unrecorded():
    week = f.time_breakdown(rostered=600, leave=0, recorded={f.DIRECT: 300, f.TRAVEL: 60})
    assert week.minutes[f.UNRECORDED] == 240


def test_breakdown_frontline_share_is_direct_over_paid():
    week = f.time_breakdown(rostered=600, leave=0, recorded={f.DIRECT: 300})
    assert week.frontline_share == 0.5


def test_breakdown_client_facing_counts_direct_indirect_and_travel():
    recorded = {f.DIRECT: 200, f.INDIRECT: 100, f.TRAVEL: 100, f.TEAM: 200}
    week = f.time_breakdown(rostered=800, leave=0, recorded=recorded)
    assert week.client_facing_share == 0.5


def test_breakdown_leave_is_paid_time():
    week = f.time_breakdown(rostered=450, leave=450, recorded={f.DIRECT: 450})
    assert (week.paid, week.frontline_share) == (900, 0.5)


def test_breakdown_recording_past_the_roster_stretches_paid_time_and_says_so():
    week = f.time_breakdown(rostered=400, leave=0, recorded={f.DIRECT: 500})
    assert (week.paid, week.over_recorded, week.minutes[f.UNRECORDED]) == (500, 100, 0)


def test_breakdown_of_an_empty_week_has_no_shares():
    week = f.time_breakdown(rostered=0, leave=0, recorded={})
    assert week.frontline_share is None


def test_breakdown_refuses_an_unknown_activity():
    with pytest.raises(ValueError, match="not recorded"):
        f.time_breakdown(rostered=60, leave=0, recorded={"lunch": 30})


@given(
    rostered=st.integers(0, 10_000),
    leave=st.integers(0, 5_000),
    recorded=st.dictionaries(st.sampled_from(f.RECORDED), st.integers(0, 5_000)),
)
def test_breakdown_adds_up_to_paid_exactly_and_shares_lie_in_0_to_1(rostered, leave, recorded):
    week = f.time_breakdown(rostered=rostered, leave=leave, recorded=recorded)
    assert sum(week.minutes.values()) == week.paid
    for value in (
        week.frontline_share,
        week.client_facing_share,
        week.overhead_share,
        week.unrecorded_share,
    ):
        assert value is None or 0 <= value <= 1


def test_coc_is_one_when_one_nurse_made_every_visit():
    assert f.coc_index({"amara": 5}) == 1


def test_coc_is_zero_when_every_visit_was_by_another_nurse():
    assert f.coc_index({"a": 1, "b": 1, "c": 1}) == 0


def test_coc_matches_a_hand_computed_mix():
    # 3 + 1 visits: (9 + 1 - 4) / (4 * 3) = 0.5
    assert f.coc_index({"a": 3, "b": 1}) == 0.5


def test_coc_needs_two_visits():
    assert f.coc_index({"a": 1}) is None


def test_top_two_share_of_a_spread_caseload():
    assert f.top_two_share({"a": 4, "b": 3, "c": 2, "d": 1}) == 0.7


def test_median_ignores_missing_values():
    assert f.median([None, 0.2, 0.6, None]) == pytest.approx(0.4)


def test_median_of_nothing_is_no_data():
    assert f.median([None]) is None


def test_rating_change_counts_improvement_and_mean():
    change = f.rating_change([(2, 4), (3, 3), (4, 2)])
    assert (change.n, change.mean_change, change.improved_share) == (3, 0, 1 / 3)


def test_rating_change_of_nothing_is_no_data():
    assert f.rating_change([]).mean_change is None


def test_iso_week_of_a_sunday_belongs_to_the_week_before_monday():
    assert (f.iso_week(date(2026, 11, 29)), f.iso_week(date(2026, 11, 30))) == (
        "2026W48",
        "2026W49",
    )


def test_iso_week_at_new_year_belongs_to_the_iso_year():
    assert f.iso_week(date(2027, 1, 1)) == "2026W53"


def test_week_days_of_a_label():
    assert f.week_days("2026W48") == (date(2026, 11, 23), date(2026, 11, 29))


@pytest.mark.parametrize("label", ["2025W53", "2026W00", "2026-48", "", "W48", "2026W4x"])
def test_week_days_refuses_a_week_that_does_not_exist(label):
    with pytest.raises(ValueError):
        f.week_days(label)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9998, 12, 1)))
def test_week_days_round_trips_every_day(day):
    monday, sunday = f.week_days(f.iso_week(day))
    assert monday <= day <= sunday


def test_combine_adds_members_into_the_team_week():
    a = f.time_breakdown(rostered=600, leave=0, recorded={f.DIRECT: 300})
    b = f.time_breakdown(rostered=300, leave=300, recorded={f.DIRECT: 400})
    team = f.combine([a, b])
    assert (team.paid, team.minutes[f.DIRECT], team.over_recorded) == (1300, 700, 100)


def test_continuity_takes_the_median_over_clients_with_two_visits_or_more():
    result = f.continuity({"c1": {"a": 4}, "c2": {"a": 1, "b": 1}, "c3": {"a": 1}})
    assert (result.clients, result.median_coc) == (2, 0.5)


def test_continuity_top_two_share_is_pooled_over_visits():
    result = f.continuity({"c1": {"a": 2, "b": 1, "c": 1}, "c2": {"a": 4}})
    assert (result.top_two_share, result.top_two, result.visits) == (7 / 8, 7, 8)


def test_continuity_of_no_visits_is_no_data_but_counts_zero():
    assert f.continuity({}) == f.Continuity(
        clients=0, median_coc=None, top_two_share=None, top_two=0, visits=0
    )


def test_outcomes_compare_first_and_latest_rating_per_problem_name():
    histories = {
        "Skin|p1": [(2, 3, 2), (3, 3, 3), (4, 3, 4)],
        "Skin|p2": [(3, 3, 3), (3, 2, 3)],
        "Pain|p3": [(2, 2, 2)],
    }
    skin = f.outcomes(histories)["Skin"]
    assert (skin["knowledge"].mean_change, skin["behaviour"].improved_share, skin["status"].n) == (
        1,
        0,
        2,
    )


def test_outcomes_leave_out_a_problem_rated_once():
    assert "Pain" not in f.outcomes({"Pain|p3": [(2, 2, 2)]})


def test_caseload_per_wte_of_two_part_timers():
    assert f.per_wte(30, [18.75, 18.75]) == 30


def test_caseload_per_wte_with_no_contracts_is_no_data():
    assert f.per_wte(30, []) is None


def test_spread_per_wte_compares_people_by_their_hours():
    # a full-timer with 4 nights and a half-timer with 1: 4 and 2 per WTE
    assert f.spread_per_wte({1: 4, 2: 1}, {1: 37.5, 2: 18.75}) == 2


def test_spread_per_wte_needs_two_people_with_hours():
    assert f.spread_per_wte({1: 4}, {1: 37.5, 2: 0}) is None


def test_pvi_is_the_mean_of_the_components_with_data():
    parts = [
        f.Component("client", 80, 40),
        f.Component("staff", 60, 6),
        f.Component("outcomes", 40, 12),
        f.Component("frontline", None, 0),
    ]
    assert f.public_value_index(parts) == 60


def test_pvi_needs_three_components():
    parts = [f.Component("client", 80, 40), f.Component("staff", 60, 6)]
    assert f.public_value_index(parts) is None


def test_scaled_maps_a_one_to_five_mean_onto_a_hundred():
    assert (f.scaled(1, 1, 5), f.scaled(3, 1, 5), f.scaled(None, 1, 5)) == (0, 50, None)
