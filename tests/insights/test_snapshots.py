from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from caseload.models import TimeEntry
from insights import formulas
from insights.models import SnapshotRevision, WeeklySnapshot
from insights.selectors import last_closed_week
from insights.services import WeekNotClosed, snapshot_save
from tests.factories import MembershipFactory, TeamFactory

NOW = dt.datetime(2026, 3, 18, 12, 0, tzinfo=dt.UTC)  # a Wednesday in 2026W12
WEEK = "2026W11"


@pytest.fixture
def team(db):
    return TeamFactory()


def _record(team, minutes):
    member = MembershipFactory(team=team).user
    TimeEntry.objects.create(
        team=team, member=member, date=dt.date(2026, 3, 10), category="travel", minutes=minutes
    )


def test_last_closed_week_is_the_week_before_today():
    assert last_closed_week(now=NOW) == WEEK


def test_a_closed_week_is_stored_once(team):
    snapshot_save(team=team, week=WEEK, now=NOW)
    snapshot_save(team=team, week=WEEK, now=NOW)
    assert WeeklySnapshot.objects.for_team(team).get().revision == 1


def test_the_running_week_is_not_stored(team):
    with pytest.raises(WeekNotClosed):
        snapshot_save(team=team, week="2026W12", now=NOW)


def test_a_late_record_revises_the_snapshot_and_keeps_what_it_said_before(team):
    first = snapshot_save(team=team, week=WEEK, now=NOW)
    _record(team, 45)
    revised = snapshot_save(team=team, week=WEEK, now=NOW)
    kept = SnapshotRevision.objects.for_team(team).get()
    assert (revised.revision, kept.figures, "team" in kept.changed) == (2, first.figures, True)


def test_a_snapshot_holds_the_figures_of_the_week(team):
    _record(team, 45)
    snapshot = snapshot_save(team=team, week=WEEK, now=NOW)
    assert snapshot.figures["team"]["minutes"][formulas.TRAVEL] == 45


def test_command_snapshots_one_team_and_week(team):
    out = StringIO()
    call_command("insights_snapshot", team=team.slug, week="2020W01", stdout=out)
    assert "revision 1" in out.getvalue()


@pytest.mark.parametrize("week", ["2020W54", "next week", "2999W01"])
def test_command_refuses_a_week_it_cannot_store(team, week):
    with pytest.raises(CommandError):
        call_command("insights_snapshot", team=team.slug, week=week, stdout=StringIO())


def test_command_refuses_an_unknown_team(db):
    with pytest.raises(CommandError, match="No team"):
        call_command("insights_snapshot", team="nobody", stdout=StringIO())
