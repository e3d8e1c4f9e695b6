from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from rota import selectors
from rota.models import TeamRules
from tests.rota.factories import AssignmentFactory, RotaPeriodFactory, ShiftTypeFactory


@pytest.mark.parametrize(("weekly_rest_days", "flagged"), [(7, True), (14, False)])
def test_the_grid_checks_weekly_rest_over_the_teams_reference(
    team, alice, weekly_rest_days, flagged
):
    TeamRules.objects.create(team=team, weekly_rest_days=weekly_rest_days)
    early = ShiftTypeFactory(team=team, name="Early", start=time(7, 0), end=time(15, 0))
    period = RotaPeriodFactory(team=team, start=date(2026, 6, 1), days=14)
    for i in range(12):  # twelve Earlies, then two days off
        AssignmentFactory(
            period=period, user=alice, date=period.start + timedelta(days=i), shift_type=early
        )
    rules_broken = {v.rule for v in selectors.period_grid(period=period).violations}
    assert ("weekly-rest" in rules_broken) is flagged
