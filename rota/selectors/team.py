"""Who is in the team, and who plans its rota."""

from __future__ import annotations

from teams.models import Membership, RoleHolding, Team, User

PLANNER_ROLE = "planner"


def current_members(*, team: Team) -> list[User]:
    return list(
        User.objects.filter(
            pk__in=Membership.objects.for_team(team).current().values("user")
        ).order_by("name", "pk")
    )


def is_member(*, team: Team, user: User) -> bool:
    return Membership.objects.for_team(team).current().filter(user=user).exists()


def is_planner(*, team: Team, user: User) -> bool:
    """Tell whether ``user`` now holds the team's planner role (named "Planner", any case)."""
    return (
        RoleHolding.objects.for_team(team)
        .filter(holder=user, ended_at__isnull=True, role__name__iexact=PLANNER_ROLE)
        .exists()
    )
