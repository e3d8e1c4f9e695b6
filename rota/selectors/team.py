"""Who plans the team's rota (who is in the team: ``teams.selectors``)."""

from __future__ import annotations

from teams.models import RoleHolding, Team, User

PLANNER_ROLE = "planner"


def is_planner(*, team: Team, user: User) -> bool:
    """Tell whether ``user`` now holds the team's planner role (named "Planner", any case)."""
    return (
        RoleHolding.objects.for_team(team)
        .filter(holder=user, ended_at__isnull=True, role__name__iexact=PLANNER_ROLE)
        .exists()
    )
