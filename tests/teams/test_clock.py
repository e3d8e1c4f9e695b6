"""The one clock: "today" is the team's date, and a given moment overrides the real one."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine

from teams import clock


def test_today_is_the_date_where_the_team_works_not_in_utc(settings):
    settings.TIME_ZONE = "Europe/London"
    with time_machine.travel(datetime(2026, 6, 30, 23, 30, tzinfo=UTC), tick=False):
        assert clock.today() == date(2026, 7, 1)


def test_a_given_moment_wins_over_the_real_clock():
    moment = datetime(2026, 1, 5, 12, tzinfo=UTC)
    assert (clock.now_or(moment), clock.today(moment)) == (moment, date(2026, 1, 5))
