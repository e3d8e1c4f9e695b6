from __future__ import annotations

from datetime import date, time

import pytest

from rota import selectors, services
from rota.models import Assignment, CoverNeed, ShiftRequest, ShiftType
from teams.models import AuditEvent
from tests.rota.factories import (
    AssignmentFactory,
    CoverNeedFactory,
    RotaPeriodFactory,
    ShiftRequestFactory,
    ShiftTypeFactory,
)

SETUP_CHANGED = {"type": "team.event", "event": "rota-setup-changed"}


@pytest.fixture
def early(team):
    return ShiftTypeFactory(team=team, name="Early", start=time(7, 0), end=time(15, 0))


@pytest.fixture
def late(team):
    return ShiftTypeFactory(
        team=team, name="Late", start=time(14, 0), end=time(22, 0), colour="green"
    )


@pytest.fixture
def period(team):
    return RotaPeriodFactory(team=team, start=date(2026, 3, 2), days=7)


def _save(shift_type, by, **changes):
    values = {
        "name": shift_type.name,
        "start": shift_type.start,
        "end": shift_type.end,
        "colour": shift_type.colour,
    }
    return services.shift_type_save(
        team=shift_type.team, by=by, shift_type=shift_type, **{**values, **changes}
    )


def test_changing_a_shift_type_keeps_the_row_audits_and_tells_the_team(
    early, alice, live_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        changed = _save(early, alice, name="Morning", start=time(7, 30), end=time(15, 30))
    changed.refresh_from_db()
    assert (changed.pk, changed.name, changed.start) == (early.pk, "Morning", time(7, 30))
    assert AuditEvent.objects.filter(action="rota.shift_type.save", object_id=str(early.pk))
    assert live_events == [SETUP_CHANGED]


def test_a_changed_shift_type_may_not_overlap_another_by_more_than_a_handover(early, late, alice):
    with pytest.raises(services.RotaError) as error:
        _save(late, alice, start=time(12, 0), end=time(20, 0))
    assert error.value.field == "start"
    assert "overlaps Early" in str(error.value)


def test_a_shift_type_may_keep_its_own_name_but_not_take_another_in_any_case(early, late, alice):
    _save(early, alice, colour="orange")
    with pytest.raises(services.RotaError) as error:
        _save(late, alice, name="EARLY")
    assert error.value.field == "name"


def test_times_of_a_shift_type_on_a_published_rota_cannot_change(early, period, alice):
    AssignmentFactory(period=period, user=alice, shift_type=early, published=True)
    with pytest.raises(services.RotaError, match="published rotas") as error:
        _save(early, alice, end=time(15, 30))
    assert error.value.field == "start"
    renamed = _save(early, alice, name="Early (until March)", colour="grey")
    assert (renamed.name, renamed.end) == ("Early (until March)", time(15, 0))


def test_times_of_a_shift_type_only_on_draft_rotas_can_change(early, period, alice):
    AssignmentFactory(period=period, user=alice, shift_type=early)
    assert _save(early, alice, end=time(15, 30)).end == time(15, 30)


def test_a_shift_type_never_on_a_rota_is_deleted_with_its_cover_and_requests(
    team, early, alice, live_events, django_capture_on_commit_callbacks
):
    CoverNeedFactory(shift_type=early)
    ShiftRequestFactory(team=team, user=alice, shift_type=early, on=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.shift_type_delete(shift_type=early, by=alice)
    assert not ShiftType.objects.filter(pk=early.pk).exists()
    assert not CoverNeed.objects.exists() and not ShiftRequest.objects.exists()
    assert AuditEvent.objects.get(action="rota.shift_type.delete").detail == {"name": "Early"}
    assert live_events == [SETUP_CHANGED]


def test_a_shift_type_on_a_rota_cannot_be_deleted(early, period, alice):
    AssignmentFactory(period=period, user=alice, shift_type=early)
    with pytest.raises(services.RotaError, match="on 1 shift in the team's rotas"):
        services.shift_type_delete(shift_type=early, by=alice)
    assert ShiftType.objects.filter(pk=early.pk).exists()


def test_retiring_keeps_the_shifts_and_removes_the_cover_needs(
    early, late, period, alice, live_events, django_capture_on_commit_callbacks
):
    shift = AssignmentFactory(period=period, user=alice, shift_type=early, published=True)
    CoverNeedFactory(shift_type=early)
    CoverNeedFactory(shift_type=late)
    with django_capture_on_commit_callbacks(execute=True):
        services.shift_type_retire(shift_type=early, by=alice)
    assert Assignment.objects.get(pk=shift.pk).shift_type == early
    assert list(CoverNeed.objects.values_list("shift_type__name", flat=True)) == ["Late"]
    assert selectors.shift_types(team=early.team) == [late]
    event = AuditEvent.objects.get(action="rota.shift_type.retire")
    assert event.detail == {"cover_needs_removed": 1}
    assert live_events == [SETUP_CHANGED]


def test_a_retired_shift_type_is_offered_for_no_new_shift(early, late, period, alice, bob):
    AssignmentFactory(period=period, user=alice, shift_type=early)
    services.shift_type_retire(shift_type=early, by=alice)
    with pytest.raises(services.RotaError, match="Early is retired"):
        services.assignment_set(
            period=period, user=bob, day=period.start, shift_type=early, by=alice
        )
    with pytest.raises(services.RotaError, match="retired"):
        services.shift_request_create(
            team=period.team, user=bob, day=period.start, on=True, priority=1, shift_type=early
        )
    # The shift already on the rota may stay as it is, and the grid still shows it.
    services.assignment_set(period=period, user=alice, day=period.start, shift_type=early, by=bob)
    grid = selectors.period_grid(period=period)
    assert grid.shift_types == [early, late]
    assert grid.rows[0].cells[0].assignment.shift_type == early


def test_a_retired_shift_type_is_left_out_of_the_grid_of_rotas_it_is_not_on(
    early, late, period, alice
):
    services.shift_type_retire(shift_type=early, by=alice)
    assert selectors.period_grid(period=period).shift_types == [late]


def test_a_retired_shift_type_makes_room_for_one_with_overlapping_times(early, alice):
    services.shift_type_retire(shift_type=early, by=alice)
    morning = services.shift_type_save(
        team=early.team,
        by=alice,
        name="Morning",
        start=time(7, 30),
        end=time(15, 30),
        colour="blue",
    )
    assert morning.retired_at is None


def test_bringing_back_a_shift_type_that_overlaps_one_in_use_is_refused(early, alice):
    services.shift_type_retire(shift_type=early, by=alice)
    ShiftTypeFactory(team=early.team, name="Morning", start=time(7, 30), end=time(15, 30))
    with pytest.raises(services.RotaError, match="overlaps Morning"):
        services.shift_type_reinstate(shift_type=early, by=alice)
    early.refresh_from_db()
    assert early.retired_at is not None


def test_a_shift_type_brought_back_is_offered_again(early, alice):
    services.shift_type_retire(shift_type=early, by=alice)
    services.shift_type_reinstate(shift_type=early, by=alice)
    assert selectors.shift_types(team=early.team) == [early]
    assert AuditEvent.objects.filter(action="rota.shift_type.reinstate").count() == 1
