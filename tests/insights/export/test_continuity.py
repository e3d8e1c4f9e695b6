"""Continuity leaves a real team: visits done by several nurses, through the stored snapshot,
into the payload's CONTINUITY cells (counts, never the share)."""

from __future__ import annotations

import datetime as dt

import pytest

from caseload.models import VisitStatus
from insights.export import payload
from insights.models import WeeklySnapshot
from insights.selectors import TeamWeek
from insights.services import snapshot_save
from tests.factories import ClientFactory, MembershipFactory, UserFactory, VisitFactory
from tests.rota.factories import ContractFactory

NOW = dt.datetime(2026, 3, 18, 12, 0, tzinfo=dt.UTC)  # a Wednesday in 2026W12
WEEK = "2026W11"  # Monday 9 March to Sunday 15 March 2026
MONDAY = dt.date(2026, 3, 9)
JOINED = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)

# Done visits per client and nurse (by index): over the 90 days ending on the week's Sunday,
# 17 visits, of which 15 were by one of the client's two most frequent nurses.
DONE = {
    0: {0: 3, 1: 1, 2: 1},  # top two 4 of 5
    1: {1: 2},  # and one more by nurse 2 sixty days back: 3 of 3
    2: {2: 1, 3: 1, 4: 1},  # top two 2 of 3
    3: {3: 2, 4: 1},  # 3 of 3
    4: {4: 1},  # 1 of 1
    5: {0: 1, 1: 1},  # 2 of 2
}


@pytest.fixture
def seeded(team):
    """Five nurses on contracts, six clients, and their visits in and around the week."""
    nurses = []
    for _ in range(5):
        user = UserFactory()
        MembershipFactory(team=team, user=user, joined_at=JOINED)
        ContractFactory(team=team, user=user, hours_per_week="37.5")
        nurses.append(user)
    clients = [ClientFactory(team=team) for _ in range(6)]
    for client, by_nurse in DONE.items():
        day = 0
        for nurse, n in by_nurse.items():
            for _ in range(n):
                VisitFactory(
                    client=clients[client],
                    date=MONDAY + dt.timedelta(days=day % 7),
                    assigned_to=nurses[nurse],
                    status=VisitStatus.DONE,
                )
                day += 1
    done = {"assigned_to": nurses[2], "status": VisitStatus.DONE}
    VisitFactory(client=clients[1], date=MONDAY - dt.timedelta(days=60), **done)
    # Not continuity: too long ago, not done, or nobody's visit.
    VisitFactory(client=clients[0], date=MONDAY - dt.timedelta(days=100), **done)
    VisitFactory(
        client=clients[0],
        date=MONDAY,
        assigned_to=nurses[3],
        status=VisitStatus.MISSED,
        status_reason="not at home",
    )
    VisitFactory(client=clients[2], date=MONDAY, status=VisitStatus.DONE)
    return team


def _cells(figures) -> dict:
    return {(c.element, c.category): c for c in payload.week_cells(figures, []).cells}


def test_the_snapshot_keeps_the_continuity_counts(seeded):
    figures = snapshot_save(team=seeded, week=WEEK, now=NOW).figures
    assert (figures["continuity"]["top_two"], figures["continuity"]["visits"]) == (15, 17)
    assert figures["continuity"]["top_two_share"] == 15 / 17


def test_a_seeded_teams_payload_holds_continuity_with_unrounded_contributions(seeded):
    snapshot = snapshot_save(team=seeded, week=WEEK, now=NOW)
    cells = _cells(WeeklySnapshot.objects.get(pk=snapshot.pk).figures)
    top_two, visits = cells[("CONTINUITY", "top_two")], cells[("CONTINUITY", "visits")]
    # Each visit is one contributor, before any rounding or suppression.
    assert top_two.contributions == (1.0,) * 15
    assert visits.contributions == (1.0,) * 17

    published, problems = payload.protect(payload.week_cells(snapshot.figures, []))
    assert problems == []
    shown = {(p.category, p.value, p.status) for p in published if p.element == "CONTINUITY"}
    assert shown == {("top_two", 15, None), ("visits", 15, None)}  # rounded to 5


def test_a_week_stored_without_the_counts_still_loads_and_sends_no_continuity(seeded):
    figures = snapshot_save(team=seeded, week=WEEK, now=NOW).figures
    for key in ("top_two", "visits"):
        del figures["continuity"][key]
    week = TeamWeek.from_figures(week=WEEK, start=MONDAY, figures=figures)
    assert week.continuity.top_two_share == 15 / 17 and week.continuity.top_two is None
    assert not any(element == "CONTINUITY" for element, _ in _cells(figures))
    assert not any(element == "CONTINUITY" for element, _ in _cells(week.figures()))
