from __future__ import annotations

import datetime as dt
from datetime import date, time

import pytest
from django.utils import timezone

from caseload.models import Rating, TimeEntry, VisitStatus
from insights import formulas
from insights.selectors import team_week
from rota.models import LeaveStatus, PeriodStatus
from rota.selectors.hours import CONTRACTS, ROTA
from tests.factories import (
    CarePlanProblemFactory,
    ClientFactory,
    HandoverFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
    VisitFactory,
)
from tests.rota.factories import (
    AssignmentFactory,
    ContractFactory,
    CoverNeedFactory,
    LeaveRequestFactory,
    RotaPeriodFactory,
    ShiftRequestFactory,
    ShiftTypeFactory,
)

WEEK = "2026W11"  # Monday 9 March to Sunday 15 March 2026
MONDAY = date(2026, 3, 9)


@pytest.fixture
def team(db):
    return TeamFactory()


def _member(team, *, hours="37.5", joined=date(2026, 1, 1)):
    user = UserFactory()
    when = timezone.make_aware(dt.datetime.combine(joined, time(9)))
    MembershipFactory(team=team, user=user, joined_at=when)
    ContractFactory(team=team, user=user, hours_per_week=hours)
    return user


def _time(team, user, day, category, minutes):
    TimeEntry.objects.create(team=team, member=user, date=day, category=category, minutes=minutes)


def _published(team):
    return RotaPeriodFactory(team=team, start=date(2026, 3, 2), status=PeriodStatus.PUBLISHED)


def test_paid_time_comes_from_published_shifts(team):
    nurse = _member(team)
    period = _published(team)
    shift = ShiftTypeFactory(team=team, start=time(8), end=time(16))
    for offset in range(3):
        AssignmentFactory(
            period=period, user=nurse, shift_type=shift, date=MONDAY + dt.timedelta(offset)
        )
    _time(team, nurse, MONDAY, formulas.DIRECT, 240)
    week = team_week(team=team, week=WEEK)
    assert (week.source, week.team.paid, week.team.minutes[formulas.UNRECORDED]) == (
        ROTA,
        1440,
        1200,
    )


def test_without_a_published_rota_paid_time_falls_back_to_contracts_and_says_so(team):
    _member(team, hours="30")
    week = team_week(team=team, week=WEEK)
    assert (week.source, week.team.paid) == (CONTRACTS, 1800)


def test_a_draft_rota_is_not_paid_time(team):
    nurse = _member(team, hours="30")
    period = RotaPeriodFactory(team=team, start=date(2026, 3, 2))
    AssignmentFactory(period=period, user=nurse, date=MONDAY)
    assert team_week(team=team, week=WEEK).source == CONTRACTS


def test_approved_leave_replaces_the_shift_that_day(team):
    nurse = _member(team, hours="40")
    period = _published(team)
    shift = ShiftTypeFactory(team=team, start=time(8), end=time(16))
    AssignmentFactory(period=period, user=nurse, shift_type=shift, date=MONDAY)
    LeaveRequestFactory(
        team=team, user=nurse, start_date=MONDAY, end_date=MONDAY, status=LeaveStatus.APPROVED
    )
    week = team_week(team=team, week=WEEK)
    assert (week.team.minutes[formulas.LEAVE], week.team.paid) == (480, 480)


def test_a_member_who_joins_mid_week_is_paid_from_that_day(team):
    _member(team, hours="37.5", joined=MONDAY + dt.timedelta(days=3))  # Thursday
    assert team_week(team=team, week=WEEK).team.paid == 2 * 450


def test_another_teams_time_is_not_counted(team):
    _member(team, hours="30")
    stranger = _member(TeamFactory())
    _time(stranger.memberships.get().team, stranger, MONDAY, formulas.DIRECT, 300)
    assert team_week(team=team, week=WEEK).team.minutes[formulas.DIRECT] == 0


def test_visits_are_counted_by_status(team):
    VisitFactory(client__team=team, date=MONDAY)
    VisitFactory(client__team=team, date=MONDAY, status=VisitStatus.MISSED, status_reason="out")
    VisitFactory(client__team=team, date=MONDAY - dt.timedelta(days=1))
    visits = team_week(team=team, week=WEEK).visits
    assert (visits["planned"], visits["missed"], visits["done"]) == (1, 1, 0)


@pytest.mark.parametrize("size", [2, 12])
def test_team_week_queries_do_not_grow_with_the_team(team, size, django_assert_num_queries):
    period = _published(team)
    shift = ShiftTypeFactory(team=team)
    for _ in range(size):
        nurse = _member(team)
        AssignmentFactory(period=period, user=nurse, shift_type=shift, date=MONDAY)
        _time(team, nurse, MONDAY, formulas.TRAVEL, 30)
    with django_assert_num_queries(20):
        team_week(team=team, week=WEEK)


def test_a_week_that_does_not_exist_is_refused(team):
    with pytest.raises(ValueError):
        team_week(team=team, week="2026W54")


def test_continuity_looks_back_ninety_days_from_the_end_of_the_week(team):
    nurse = _member(team)
    client = ClientFactory(team=team)
    for day in (MONDAY, MONDAY - dt.timedelta(days=80), MONDAY - dt.timedelta(days=100)):
        VisitFactory(client=client, date=day, assigned_to=nurse, status=VisitStatus.DONE)
    result = team_week(team=team, week=WEEK).continuity
    assert (result.clients, result.median_coc) == (1, 1)


def test_caseload_counts_clients_with_a_visit_that_was_not_cancelled(team):
    _member(team, hours="37.5")
    VisitFactory(client__team=team, date=MONDAY)
    VisitFactory(
        client__team=team, date=MONDAY, status=VisitStatus.CANCELLED, status_reason="in hospital"
    )
    week = team_week(team=team, week=WEEK)
    assert (week.caseload, week.caseload_per_wte) == (1, 1)


def test_handovers_acknowledged_within_a_day(team):
    author = _member(team)
    written = timezone.make_aware(dt.datetime.combine(MONDAY, time(9)))
    HandoverFactory(
        team=team,
        author=author,
        created_at=written,
        acknowledged_at=written + dt.timedelta(hours=3),
    )
    HandoverFactory(
        team=team,
        author=author,
        created_at=written,
        acknowledged_at=written + dt.timedelta(hours=30),
    )
    HandoverFactory(team=team, author=author, created_at=written)
    assert team_week(team=team, week=WEEK).handovers_on_time == (1, 3)


def test_outcomes_use_ratings_up_to_the_end_of_the_week(team):
    nurse = _member(team)
    problem = CarePlanProblemFactory(client__team=team, team=team)
    for day, k in (
        (MONDAY - dt.timedelta(days=30), 2),
        (MONDAY, 4),
        (MONDAY + dt.timedelta(days=9), 5),
    ):
        Rating.objects.create(
            team=team,
            client=problem.client,
            care_problem=problem,
            knowledge=k,
            behaviour=3,
            status=3,
            rated_by=nurse,
            rated_at=timezone.make_aware(dt.datetime.combine(day, time(10))),
        )
    change = team_week(team=team, week=WEEK).outcomes[problem.problem.name]["knowledge"]
    assert (change.n, change.mean_change) == (1, 2)


def test_the_week_so_far_counts_paid_time_up_to_today(team):
    _member(team, hours="37.5")
    week = team_week(team=team, week=WEEK, today=MONDAY + dt.timedelta(days=1))
    assert week.team.paid == 2 * 450


def test_cover_met_counts_shifts_with_their_minimum(team):
    nurse = _member(team)
    period = _published(team)
    early = ShiftTypeFactory(team=team, start=time(7), end=time(15))
    CoverNeedFactory(team=team, shift_type=early, weekday=0, minimum=1)  # Mondays
    CoverNeedFactory(team=team, shift_type=early, weekday=1, minimum=2, preferred=2)
    AssignmentFactory(period=period, user=nurse, shift_type=early, date=MONDAY)
    AssignmentFactory(period=period, user=nurse, shift_type=early, date=MONDAY + dt.timedelta(1))
    assert team_week(team=team, week=WEEK).cover_met == (1, 2)


def test_requests_honoured_count_on_and_off_wishes(team):
    nurse = _member(team)
    period = _published(team)
    AssignmentFactory(period=period, user=nurse, date=MONDAY)
    ShiftRequestFactory(team=team, user=nurse, date=MONDAY, on=True)
    ShiftRequestFactory(team=team, user=nurse, date=MONDAY + dt.timedelta(1), on=False)
    ShiftRequestFactory(team=team, user=nurse, date=MONDAY + dt.timedelta(2), on=True)
    assert team_week(team=team, week=WEEK).requests_honoured == (2, 3)


def test_nights_spread_per_wte_over_twelve_weeks(team):
    full = _member(team, hours="37.5")
    _member(team, hours="18.75")  # no nights: 0 per WTE
    period = RotaPeriodFactory(
        team=team, start=MONDAY - dt.timedelta(weeks=4), days=35, status=PeriodStatus.PUBLISHED
    )
    night = ShiftTypeFactory(team=team, start=time(21), end=time(7))
    for n in range(4):
        AssignmentFactory(
            period=period, user=full, shift_type=night, date=MONDAY - dt.timedelta(days=n)
        )
    assert team_week(team=team, week=WEEK).nights_spread == 4
