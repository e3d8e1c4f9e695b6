from __future__ import annotations

from disclosure import schema
from insights import formulas
from insights.codes import CODES
from insights.export import payload, selectors
from insights.models import CommonsEnrolment, WeeklySnapshot
from tests.insights.export.conftest import WEEK, earlier, figures, snapshot


def _values(built: dict) -> dict[tuple[str, str], tuple]:
    return {
        (v["dataElement"], v["category"]): (v["value"], v["status"]) for v in built["dataValues"]
    }


def _preview(team, week=WEEK):
    enrolment = CommonsEnrolment(
        team=team, org_unit="t-0123456789", region="E12000001", service_type="district_nursing"
    )
    return selectors.preview(team=team, week=week, enrolment=enrolment, revision=1)


def test_every_activity_code_has_one_hours_category():
    assert set(payload.HOURS_CATEGORY) == set(formulas.ACTIVITIES)
    assert len(set(payload.HOURS_CATEGORY.values())) == len(formulas.ACTIVITIES)


def test_hours_categories_are_the_contracts():
    categories = {*payload.HOURS_CATEGORY.values(), payload.PAID}
    assert categories == set(schema.ELEMENTS["HOURS"].categories)


def test_the_payload_of_a_hand_built_week_carries_its_sums(team):
    snapshot(team, staff=8)
    built = _preview(team).payload
    values = _values(built)
    assert values[("HOURS", "direct")] == (160.0, None)  # 8 members x 20 hours
    assert values[("HOURS", "paid")] == (290, None)  # 293.3 hours, rounded to 10
    assert values[("VISITS", "done")] == (120, None)
    assert values[("CLIENTS", "caseload")] == (40, None)
    assert built["period"] == built["completeDate"] == WEEK
    assert built["attributes"] == {
        "region": "E12000001",
        "serviceType": "district_nursing",
        "sizeBand": "5-8",
    }


def test_the_payload_follows_the_published_schema_and_passes_the_check(team):
    snapshot(team)
    built = _preview(team)
    assert schema.validate(built.payload) == []
    assert built.problems == []


def test_a_small_count_is_withheld_with_its_reason(team):
    snapshot(team)
    assert _values(_preview(team).payload)[("VISITS", "missed")] == (None, "C")


def test_a_team_of_four_is_withheld_whole(team):
    snapshot(team, staff=4)
    values = _values(_preview(team).payload)
    assert {status for _value, status in values.values()} == {"W"}
    assert {value for value, _status in values.values()} == {None}


def test_a_week_of_four_clients_is_withheld_whole(team):
    snapshot(team, caseload=4)
    assert {status for _v, status in _values(_preview(team).payload).values()} == {"W"}


def test_one_member_with_most_of_the_hours_is_not_published(team):
    start, _ = formulas.week_days(WEEK)
    week = figures(staff=6, other=0)
    week["members"]["1"]["minutes"]["training"] = 6000
    week["members"]["1"]["paid"] = sum(week["members"]["1"]["minutes"].values())
    WeeklySnapshot.objects.create(team=team, week=WEEK, start=start, figures=week)
    value, status = _values(_preview(team).payload)[("HOURS", "training")]
    assert value is None and status in {"D", "P"}


def test_pulse_and_client_answers_are_pooled_over_four_weeks(team):
    for n in range(5):  # this week and four before it: the oldest falls outside the pool
        snapshot(team, week=earlier(WEEK, n), pulse=2, answers=3)
    cells = {(c.element, c.category): c for c in _preview(team).cells.cells}
    assert sum(cells[("PULSE_N", "recommend")].contributions) == 4 * 2
    assert sum(cells[("PULSE_SUM", "recommend")].contributions) == 4 * 2 * 4
    assert sum(cells[("CLIENT_ANSWERS", "very_good")].contributions) == 4 * 3


def test_pooling_counts_only_the_weeks_that_have_a_snapshot(team):
    snapshot(team, week=WEEK, pulse=3)
    snapshot(team, week=earlier(WEEK, 2), pulse=3)
    cells = {(c.element, c.category): c for c in _preview(team).cells.cells}
    assert sum(cells[("PULSE_N", "time_for_people")].contributions) == 6


def test_a_week_without_a_snapshot_has_no_payload(team):
    snapshot(team, week=earlier(WEEK, 1))
    assert _preview(team) is None


def test_outcome_sums_are_the_change_in_rating_points(team):
    snapshot(team)
    cells = {(c.element, c.category): c for c in _preview(team).cells.cells}
    assert sum(cells[("OUTCOME_CHANGE", "status")].contributions) == 12 * 1.0 + 10 * 0.5
    assert sum(cells[("OUTCOME_N", "status")].contributions) == 22


def test_the_hubs_grouping_of_hours_is_the_code_lists():
    groups = {payload.HOURS_CATEGORY[code.code]: code.group for code in CODES}
    assert groups == {c: g for c, g in schema.HOURS_GROUPS.items() if c != payload.PAID}
