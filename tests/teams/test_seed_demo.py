from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from caseload.models import Visit
from rota.models import Assignment
from teams.management.commands.seed_demo import COACH, TEAMS
from teams.models import AuditEvent, CoachGrant, Membership, RoleHolding, Team, User


def _snapshot() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Team, User, Membership, RoleHolding, CoachGrant, AuditEvent)
    )


def test_seed_demo_makes_two_teams_of_eight_to_eleven_and_a_coach(db, seeded):
    for team in Team.objects.all():
        assert 8 <= Membership.objects.for_team(team).current().count() <= 11
        assert CoachGrant.objects.for_team(team).filter(revoked_at__isnull=True).count() == 1
        assert RoleHolding.objects.for_team(team).filter(ended_at__isnull=True).count() >= 3
    assert Team.objects.count() == 2


def test_seed_demo_is_idempotent(db, seeded):
    first = _snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert _snapshot() == first


def test_every_demo_visit_is_held_by_someone_on_shift_that_day(db, seeded):
    on_shift = set(Assignment.objects.values_list("team", "user", "date"))
    held = set(Visit.objects.values_list("team", "assigned_to", "date"))
    assert held - on_shift == set()


def test_the_readme_lists_every_demo_login():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    logins = [email for spec in TEAMS for _, email, _ in spec["members"]] + [COACH[1]]
    assert [login for login in logins if f"`{login}`" not in readme] == []


def test_the_demo_has_weeks_of_insights_to_show(db, seeded):
    from insights.models import ClientAnswer, WeeklySnapshot

    team = Team.objects.get(slug="riverside")
    assert WeeklySnapshot.objects.for_team(team).count() >= 5
    assert ClientAnswer.objects.for_team(team).exists()
