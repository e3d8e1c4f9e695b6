from __future__ import annotations

import pytest

from insights.models import WeeklySnapshot
from teams.models import Team

pytestmark = pytest.mark.slow


def _snapshots(team: Team) -> list[WeeklySnapshot]:
    return list(WeeklySnapshot.objects.for_team(team).order_by("start"))


@pytest.mark.django_db
def test_each_demo_team_has_twelve_stored_weeks_from_the_published_rota(seeded):
    for team in Team.objects.all():
        snapshots = _snapshots(team)
        assert len(snapshots) == 12
        assert {s.figures["source"] for s in snapshots} == {"rota"}


@pytest.mark.django_db
def test_no_demo_member_records_more_than_the_rota_pays_in_any_week(seeded):
    for team in Team.objects.all():
        for snapshot in _snapshots(team):
            members = snapshot.figures["members"].values()
            assert all(member["over_recorded"] == 0 for member in members)


@pytest.mark.django_db
def test_demo_weeks_leave_five_to_fifteen_per_cent_unrecorded(seeded):
    for team in Team.objects.all():
        for snapshot in _snapshots(team):
            figures = snapshot.figures["team"]
            assert 0.05 <= figures["minutes"]["unrecorded"] / figures["paid"] <= 0.15


@pytest.mark.django_db
def test_every_demo_week_has_visits_pulses_and_client_answers(seeded):
    for team in Team.objects.all():
        for snapshot in _snapshots(team):
            assert snapshot.figures["visits"]["done"] > 0
            assert snapshot.figures["pulse_answered"] >= 4
            assert sum(snapshot.figures["client_answers"].values()) > 0
