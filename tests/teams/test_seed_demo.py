from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from teams.models import AuditEvent, CoachGrant, Membership, RoleHolding, Team, User


def _snapshot() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Team, User, Membership, RoleHolding, CoachGrant, AuditEvent)
    )


def test_seed_demo_makes_two_teams_of_eight_to_eleven_and_a_coach(db):
    call_command("seed_demo", stdout=StringIO())
    for team in Team.objects.all():
        assert 8 <= Membership.objects.for_team(team).current().count() <= 11
        assert CoachGrant.objects.for_team(team).filter(revoked_at__isnull=True).count() == 1
        assert RoleHolding.objects.for_team(team).filter(ended_at__isnull=True).count() >= 3
    assert Team.objects.count() == 2


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo", stdout=StringIO())
    first = _snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert _snapshot() == first
