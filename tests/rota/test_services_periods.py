from __future__ import annotations

from datetime import date, time

import pytest

from rota import selectors, services
from rota.models import Assignment, PeriodStatus
from tests.rota.factories import RotaPeriodFactory, ShiftTypeFactory


@pytest.fixture
def period(team):
    return RotaPeriodFactory(team=team, start=date(2026, 3, 2))


@pytest.fixture
def late(team):
    return ShiftTypeFactory(team=team, name="Late", start=time(14, 0), end=time(22, 0))


@pytest.fixture
def early(team):
    return ShiftTypeFactory(team=team, name="Early", start=time(7, 0), end=time(14, 30))


def test_setting_a_cell_creates_then_changes_then_clears_the_assignment(period, alice, early, late):
    day = date(2026, 3, 3)
    services.assignment_set(period=period, user=alice, day=day, shift_type=early, by=alice)
    services.assignment_set(period=period, user=alice, day=day, shift_type=late, by=alice)
    assert Assignment.objects.get(user=alice, date=day).shift_type == late
    services.assignment_set(period=period, user=alice, day=day, shift_type=None, by=alice)
    assert not Assignment.objects.filter(user=alice).exists()


def test_an_edit_made_on_a_stale_cell_is_refused_and_names_the_colleagues_change(
    period, alice, bob, early, late
):
    day = date(2026, 3, 3)
    services.assignment_set(period=period, user=alice, day=day, shift_type=early, by=bob, seen="")
    with pytest.raises(services.RotaError, match="changed this shift to Early. Late was not saved"):
        services.assignment_set(
            period=period, user=alice, day=day, shift_type=late, by=alice, seen=""
        )
    assert Assignment.objects.get(user=alice, date=day).shift_type == early


def test_an_edit_made_on_a_cell_as_it_stands_is_saved(period, alice, early, late):
    day = date(2026, 3, 3)
    services.assignment_set(period=period, user=alice, day=day, shift_type=early, by=alice)
    services.assignment_set(
        period=period, user=alice, day=day, shift_type=None, by=alice, seen=str(early.pk)
    )
    assert not Assignment.objects.filter(user=alice).exists()


def test_a_stale_edit_that_asks_for_what_the_cell_already_holds_is_no_conflict(
    period, alice, bob, early
):
    day = date(2026, 3, 3)
    services.assignment_set(period=period, user=alice, day=day, shift_type=early, by=bob)
    services.assignment_set(period=period, user=alice, day=day, shift_type=early, by=alice, seen="")
    assert Assignment.objects.get(user=alice, date=day).shift_type == early


def test_editing_a_published_rota_is_refused(period, alice, early):
    services.period_publish(period=period, by=alice)
    with pytest.raises(services.RotaError, match="reopen"):
        services.assignment_set(
            period=period, user=alice, day=period.start, shift_type=early, by=alice
        )


def test_a_day_outside_the_period_is_refused(period, alice, early):
    with pytest.raises(services.RotaError):
        services.assignment_set(
            period=period, user=alice, day=date(2026, 5, 1), shift_type=early, by=alice
        )


def test_an_outsider_cannot_be_put_on_the_rota(period, alice, charlie, early):
    with pytest.raises(services.RotaError):
        services.assignment_set(
            period=period, user=charlie, day=period.start, shift_type=early, by=alice
        )


def test_the_grid_shows_a_late_then_early_as_a_rest_violation(period, alice, early, late):
    services.assignment_set(
        period=period, user=alice, day=date(2026, 3, 3), shift_type=late, by=alice
    )
    services.assignment_set(
        period=period, user=alice, day=date(2026, 3, 4), shift_type=early, by=alice
    )
    grid = selectors.period_grid(period=period)
    assert [(v.rule, v.person) for v in grid.violations] == [("daily-rest", "Alice Adams")]


def test_publishing_tells_the_team_live_after_commit(
    period, alice, early, live_events, django_capture_on_commit_callbacks
):
    services.assignment_set(period=period, user=alice, day=period.start, shift_type=early, by=alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.period_publish(period=period, by=alice)
    period.refresh_from_db()
    assert period.status == PeriodStatus.PUBLISHED
    assert {
        "type": "team.event",
        "event": "rota-published",
        "period": str(period.pk),
    } in live_events
    assert Assignment.objects.get(user=alice).published


def test_only_the_planner_role_holder_can_reopen_a_published_rota(period, alice, planner):
    services.period_publish(period=period, by=alice)
    with pytest.raises(services.RotaError, match="planner role"):
        services.period_reopen(period=period, by=alice)
    period.refresh_from_db()
    assert period.is_published


def test_publishing_twice_is_refused(period, alice):
    services.period_publish(period=period, by=alice)
    with pytest.raises(services.RotaError, match="already"):
        services.period_publish(period=period, by=alice)


def test_reopening_keeps_shifts_marked_published(period, alice, planner, early):
    services.assignment_set(period=period, user=alice, day=period.start, shift_type=early, by=alice)
    services.period_publish(period=period, by=alice)
    services.period_reopen(period=period, by=planner)
    period.refresh_from_db()
    assert period.status == PeriodStatus.DRAFT
    assert Assignment.objects.get(user=alice).published
