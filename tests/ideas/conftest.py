"""An idea on alice's team's board, and a round open on it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ideas import services

NOW = datetime(2030, 3, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def idea(team, alice):
    return services.idea_propose(
        team=team,
        author=alice,
        problem="Handovers get lost between shifts.",
        proposal="A ten-minute huddle at 13:00 every day.",
        benefit="Fewer missed handovers.",
        metric="handovers_on_time",
        now=NOW,
    )


@pytest.fixture
def open_round(idea, alice, bob):
    return services.round_open(
        idea=idea, by=alice, closes_at=NOW + timedelta(days=3), trial_weeks=6, now=NOW
    )
