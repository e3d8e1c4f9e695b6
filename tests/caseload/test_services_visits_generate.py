"""Nightly visit planning: bulk writes, one event per team, idempotent."""

from __future__ import annotations

import io
import math
from datetime import date, time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caseload import services
from caseload.models import Visit
from teams.models import Membership
from tests.factories import InterventionFactory

MONDAY = date(2026, 11, 30)


def _plan_for(team, clients: int) -> list[str]:
    """Give ``clients`` clients a twice-daily intervention, plan one day, return the SQL run."""
    for _ in range(clients):
        InterventionFactory(care_problem__client__team=team, frequency="twice_daily")
    with CaptureQueriesContext(connection) as queries:
        created = services.visits_generate(team=team, start=MONDAY, days=1)
    assert created == 2 * clients
    return [q["sql"] for q in queries.captured_queries]


def _inserts(sql: list[str], table: str) -> int:
    return sum(s.startswith(f'INSERT INTO "{table}"') for s in sql)


def _batches(model, rows: int) -> int:
    fields = list(model._meta.concrete_fields)
    return math.ceil(rows / connection.ops.bulk_batch_size(fields, [None] * rows))


@pytest.mark.parametrize("clients", [5, 100])
def test_planning_runs_a_fixed_number_of_queries_whatever_the_number_of_visits(team, clients):
    sql = _plan_for(team, clients)
    visit_inserts = _inserts(sql, "caseload_visit")
    link_inserts = _inserts(sql, "caseload_visit_interventions")
    # The database caps the rows per INSERT (SQLite: 999 parameters); nothing else grows.
    assert visit_inserts == _batches(Visit, 2 * clients)
    assert link_inserts == _batches(Visit.interventions.through, 2 * clients)
    assert len(sql) - visit_inserts - link_inserts == 6


def test_planning_tells_the_team_once(team, live_events, django_capture_on_commit_callbacks):
    for _ in range(3):
        InterventionFactory(care_problem__client__team=team, frequency="daily")
    with django_capture_on_commit_callbacks(execute=True):
        services.visits_generate(team=team, start=MONDAY, days=7)
    assert [e["event"] for e in live_events] == ["visit-changed"]


def test_planning_links_each_visit_to_the_interventions_due_in_its_window(team):
    daily = InterventionFactory(care_problem__client__team=team, frequency="daily")
    twice = InterventionFactory(care_problem__client=daily.client, frequency="twice_daily")
    services.visits_generate(team=team, start=MONDAY, days=1)
    morning = Visit.objects.get(window_start=time(8))
    evening = Visit.objects.get(window_start=time(17))
    assert set(morning.interventions.all()) == {daily, twice}
    assert list(evening.interventions.all()) == [twice]


def test_planning_leaves_a_visit_unassigned_when_the_primary_nurse_has_left(team, alice):
    intervention = InterventionFactory(
        care_problem__client__team=team, care_problem__client__primary_nurse=alice
    )
    Membership.objects.filter(team=team, user=alice).update(left_at=timezone.now())
    services.visits_generate(team=team, start=MONDAY, days=1)
    assert Visit.objects.get(client=intervention.client).assigned_to is None


def test_planning_the_same_days_again_plans_nothing_and_stays_silent(
    team, live_events, django_capture_on_commit_callbacks
):
    InterventionFactory(care_problem__client__team=team, frequency="daily")
    services.visits_generate(team=team, start=MONDAY, days=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.visits_generate(team=team, start=MONDAY, days=5) == 2
    assert Visit.objects.count() == 5
    assert [e["event"] for e in live_events] == ["visit-changed"]


@pytest.mark.parametrize("args", [["--days", "0"], ["--days", "100000"], ["--team", "nowhere"]])
def test_plan_visits_refuses_a_horizon_or_team_it_cannot_plan(db, args):
    with pytest.raises(CommandError):
        call_command("plan_visits", *args, stdout=io.StringIO())
