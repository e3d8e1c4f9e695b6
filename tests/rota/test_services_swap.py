from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time

import pytest
from django.db import connection

from rota import services
from rota.models import Assignment, Source, SwapStatus, TeamRules
from tests.factories import MembershipFactory, UserFactory
from tests.rota.factories import (
    AssignmentFactory,
    CoverNeedFactory,
    RotaPeriodFactory,
    ShiftTypeFactory,
    SwapFactory,
)

NOW = None


@pytest.fixture
def period(team):
    return RotaPeriodFactory(team=team, start=date(2030, 3, 4))


@pytest.fixture
def early(team):
    return ShiftTypeFactory(team=team, name="Early", start=time(7, 0), end=time(15, 0))


@pytest.fixture
def late(team):
    return ShiftTypeFactory(team=team, name="Late", start=time(14, 0), end=time(22, 0))


@pytest.fixture
def offered(period, alice, early):
    assignment = AssignmentFactory(
        period=period, user=alice, date=date(2030, 3, 5), shift_type=early
    )
    return services.swap_offer(assignment=assignment, by=alice)


def test_only_the_holder_can_offer_a_shift(period, alice, bob, early):
    assignment = AssignmentFactory(period=period, user=alice, shift_type=early)
    with pytest.raises(services.RotaError, match="your own"):
        services.swap_offer(assignment=assignment, by=bob)


def test_swap_waits_for_the_planner_after_a_colleague_accepts(offered, bob):
    swap = services.swap_accept(swap=offered, by=bob)
    assert swap.status == SwapStatus.ACCEPTED
    assert Assignment.objects.get(pk=offered.assignment_id).user_id == offered.offered_by_id


def test_planner_confirmation_moves_the_shift(team, offered, alice):
    carol = MembershipFactory(team=team, user=UserFactory(name="Carol Cole")).user
    planner = _make_planner(team, alice)
    services.swap_accept(swap=offered, by=carol)
    swap = services.swap_confirm(swap=offered, by=planner)
    assert swap.status == SwapStatus.CONFIRMED
    assignment = Assignment.objects.get(pk=offered.assignment_id)
    assert (assignment.user, assignment.source) == (carol, Source.SWAP)


def _make_planner(team, alice):
    from teams import services as team_services

    planner = MembershipFactory(team=team, user=UserFactory(name="Pat Planner")).user
    role = team_services.role_create(team=team, name="planner", by=alice)
    team_services.role_hand_over(role=role, to_user=planner, by=alice)
    return planner


def test_a_party_to_the_swap_cannot_confirm_it(team, offered, alice, planner):
    services.swap_accept(swap=offered, by=planner)
    with pytest.raises(services.RotaError, match="outside the swap"):
        services.swap_confirm(swap=offered, by=planner)


def test_swap_applies_at_once_when_the_team_turned_confirmation_off(team, offered, bob):
    TeamRules.objects.create(team=team, swaps_need_confirmation=False)
    swap = services.swap_accept(swap=offered, by=bob)
    assert swap.status == SwapStatus.CONFIRMED
    assert Assignment.objects.get(pk=offered.assignment_id).user == bob


def test_accepting_is_refused_when_it_breaks_the_takers_rest(period, offered, bob, late):
    AssignmentFactory(period=period, user=bob, date=date(2030, 3, 4), shift_type=late)
    with pytest.raises(services.RotaError, match="rest"):
        services.swap_accept(swap=offered, by=bob)


def test_accepting_is_refused_when_the_taker_already_works_that_day(period, offered, bob, late):
    AssignmentFactory(period=period, user=bob, date=date(2030, 3, 5), shift_type=late)
    with pytest.raises(services.RotaError, match="already has a shift"):
        services.swap_accept(swap=offered, by=bob)


def test_a_shift_cannot_be_taken_twice(team, offered, bob):
    carol = MembershipFactory(team=team, user=UserFactory(name="Carol Cole")).user
    services.swap_accept(swap=offered, by=bob)
    with pytest.raises(services.RotaError, match="already taken"):
        services.swap_accept(swap=offered, by=carol)


def test_a_shift_that_has_started_cannot_be_offered(period, alice, early):
    assignment = AssignmentFactory(
        period=period, user=alice, date=date(2030, 3, 5), shift_type=early
    )
    started = datetime(2030, 3, 5, 7, 1, tzinfo=UTC)  # Early starts 07:00 GMT
    with pytest.raises(services.RotaError, match="already started"):
        services.swap_offer(assignment=assignment, by=alice, now=started)


def test_a_shift_can_be_offered_until_it_starts(period, alice, early):
    assignment = AssignmentFactory(
        period=period, user=alice, date=date(2030, 3, 5), shift_type=early
    )
    before = datetime(2030, 3, 5, 6, 59, tzinfo=UTC)
    assert services.swap_offer(assignment=assignment, by=alice, now=before).status == "offered"


def test_the_offerer_withdraws_an_offer_and_keeps_the_shift(offered, alice):
    swap = services.swap_withdraw(swap=offered, by=alice)
    assert (swap.status, swap.decided_by) == (SwapStatus.WITHDRAWN, alice)
    assert Assignment.objects.get(pk=offered.assignment_id).user == alice


def test_only_the_offerer_can_withdraw_an_offer(offered, bob):
    with pytest.raises(services.RotaError, match="Only the person who offered"):
        services.swap_withdraw(swap=offered, by=bob)


def test_a_withdrawn_offer_cannot_be_taken(offered, alice, bob):
    services.swap_withdraw(swap=offered, by=alice)
    with pytest.raises(services.RotaError, match="withdrawn"):
        services.swap_accept(swap=offered, by=bob)


def test_an_offer_waiting_for_the_planner_can_still_be_withdrawn(offered, alice, bob):
    services.swap_accept(swap=offered, by=bob)
    assert services.swap_withdraw(swap=offered, by=alice).status == SwapStatus.WITHDRAWN


def test_an_offer_cannot_be_withdrawn_once_the_shift_has_moved(team, offered, alice, bob):
    TeamRules.objects.create(team=team, swaps_need_confirmation=False)
    services.swap_accept(swap=offered, by=bob)
    with pytest.raises(services.RotaError, match="Bob Brown has already taken this shift"):
        services.swap_withdraw(swap=offered, by=alice)


def test_a_withdrawn_shift_can_be_offered_again(offered, alice):
    services.swap_withdraw(swap=offered, by=alice)
    assert services.swap_offer(assignment=offered.assignment, by=alice).status == "offered"


def test_an_uncovered_shift_can_be_claimed_by_a_member(period, bob, early):
    CoverNeedFactory(team=period.team, shift_type=early, weekday=1, minimum=1, preferred=1)
    claimed = services.open_shift_claim(
        period=period, day=date(2030, 3, 5), shift_type=early, by=bob
    )
    assert (claimed.user, claimed.source) == (bob, Source.CLAIM)


def test_a_covered_shift_cannot_be_claimed(period, alice, bob, early):
    CoverNeedFactory(team=period.team, shift_type=early, weekday=1, minimum=1, preferred=1)
    AssignmentFactory(period=period, user=alice, date=date(2030, 3, 5), shift_type=early)
    with pytest.raises(services.RotaError, match="already covered"):
        services.open_shift_claim(period=period, day=date(2030, 3, 5), shift_type=early, by=bob)


def _race(*calls) -> list[str]:
    """Run ``calls`` at the same moment in threads; return "won" or the error of each."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = [""] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            call()
            outcomes[i] = "won"
        except services.RotaError as error:
            outcomes[i] = str(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_exactly_one_wins(team, alice, bob):
    """Row locks on PostgreSQL (select_for_update); serialised immediate transactions on SQLite."""
    carol = MembershipFactory(team=team, user=UserFactory(name="Carol Cole")).user
    period = RotaPeriodFactory(team=team, start=date(2030, 3, 4))
    early = ShiftTypeFactory(team=team, name="Early", start=time(7, 0), end=time(15, 0))
    assignment = AssignmentFactory(
        period=period, user=alice, date=date(2030, 3, 5), shift_type=early
    )
    swap = SwapFactory(assignment=assignment)
    outcomes = _race(
        lambda: services.swap_accept(swap=swap, by=bob),
        lambda: services.swap_accept(swap=swap, by=carol),
    )
    assert sorted(outcomes) == ["Someone has already taken this shift.", "won"]
    swap.refresh_from_db()
    assert swap.accepted_by in (bob, carol)


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_of_the_last_place_exactly_one_wins(team, alice, bob):
    period = RotaPeriodFactory(team=team, start=date(2030, 3, 4))
    early = ShiftTypeFactory(team=team, name="Early", start=time(7, 0), end=time(15, 0))
    CoverNeedFactory(team=team, shift_type=early, weekday=1, minimum=1, preferred=1)
    day = date(2030, 3, 5)
    outcomes = _race(
        lambda: services.open_shift_claim(period=period, day=day, shift_type=early, by=alice),
        lambda: services.open_shift_claim(period=period, day=day, shift_type=early, by=bob),
    )
    assert sorted(outcomes) == ["This shift is already covered.", "won"]
    assert Assignment.objects.filter(date=day).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_withdrawal_racing_an_acceptance_exactly_one_wins(team, alice, bob):
    TeamRules.objects.create(team=team, swaps_need_confirmation=False)
    period = RotaPeriodFactory(team=team, start=date(2030, 3, 4))
    early = ShiftTypeFactory(team=team, name="Early", start=time(7, 0), end=time(15, 0))
    assignment = AssignmentFactory(
        period=period, user=alice, date=date(2030, 3, 5), shift_type=early
    )
    swap = SwapFactory(assignment=assignment)
    outcomes = _race(
        lambda: services.swap_withdraw(swap=swap, by=alice),
        lambda: services.swap_accept(swap=swap, by=bob),
    )
    swap.refresh_from_db()
    assignment.refresh_from_db()
    if swap.status == SwapStatus.WITHDRAWN:
        assert outcomes == ["won", "This offer has been withdrawn."]
        assert assignment.user == alice
    else:
        assert outcomes == [
            f"{bob.name} has already taken this shift, so the offer cannot be withdrawn.",
            "won",
        ]
        assert (swap.status, assignment.user) == (SwapStatus.CONFIRMED, bob)
