"""Reads for teams: always scoped to one team, with a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from teams.models import (
    PRESENCE_TIMEOUT,
    AuditEvent,
    CoachGrant,
    Invitation,
    Membership,
    Presence,
    Role,
    RoleHolding,
    Team,
    User,
)


def teams_for_user(*, user: User) -> QuerySet[Team]:
    return Team.objects.for_user(user).order_by("name")


def reachable_teams(*, user: User) -> list[Team]:
    """The teams ``user`` may see now, in name order, each with ``as_member``: one query.

    A team page needs the team, how its reader may see it and the team menu's list, which are
    all this one list (``teams.access.team_view``).
    """
    teams = list(Team.objects.raw(_REACHABLE_SQL, {"user": user.pk}))
    for team in teams:
        team.as_member = bool(team.as_member)
    return teams


# Every team page runs this: written out once, it skips Django's query compiler, which cost as
# much as the database did for the OR over memberships and coach grants with an EXISTS.
# It must list what ``Team.objects.for_user`` lists (tests.teams.test_selectors checks).
_TEAM, _MEMBERSHIP, _GRANT = (m._meta.db_table for m in (Team, Membership, CoachGrant))
_REACHABLE_SQL = f"""
SELECT team.*, EXISTS (
    SELECT 1 FROM {_MEMBERSHIP} m
    WHERE m.team_id = team.id AND m.user_id = %(user)s AND m.left_at IS NULL
) AS as_member
FROM {_TEAM} team
WHERE team.id IN (
    SELECT team_id FROM {_MEMBERSHIP} WHERE user_id = %(user)s AND left_at IS NULL
) OR team.id IN (
    SELECT team_id FROM {_GRANT} WHERE coach_id = %(user)s AND revoked_at IS NULL
)
ORDER BY team.name, team.id
"""  # noqa: S608 - table names from the models, never from input


def first_team(*, user: User) -> Team | None:
    """The team the person joined first (her home team), else the first one she coaches."""
    membership = (
        Membership.objects.filter(user=user)
        .current()
        .select_related("team")
        .order_by("joined_at", "pk")
        .first()
    )
    return membership.team if membership else teams_for_user(user=user).first()


def current_members(*, team: Team) -> QuerySet[Membership]:
    return Membership.objects.for_team(team).current().select_related("user").order_by("user__name")


def member_users(*, team: Team) -> QuerySet[User]:
    """Current members as users in name order: the one list that pickers and planners read."""
    return User.objects.filter(
        pk__in=Membership.objects.for_team(team).current().values("user")
    ).order_by("name", "pk")


def is_member(*, team: Team, user: User | None) -> bool:
    return (
        user is not None and Membership.objects.for_team(team).current().filter(user=user).exists()
    )


def member_count(*, team: Team) -> int:
    return Membership.objects.for_team(team).current().count()


def membership_history(*, team: Team) -> QuerySet[Membership]:
    return Membership.objects.for_team(team).select_related("user").order_by("-joined_at")


def online_user_ids(*, team: Team, now: datetime | None = None) -> set[int]:
    """Members with a socket that has shown a sign of life within the presence timeout."""
    fresh = (now or timezone.now()) - PRESENCE_TIMEOUT
    return set(
        Presence.objects.for_team(team).filter(seen_at__gte=fresh).values_list("user_id", flat=True)
    )


@dataclass(frozen=True)
class OnlineMember:
    user: User
    job_title: str
    online: bool


def members_with_presence(*, team: Team) -> list[OnlineMember]:
    """Members in name order, online ones first; two queries whatever the team size."""
    online = online_user_ids(team=team)
    members = [
        OnlineMember(user=m.user, job_title=m.job_title, online=m.user_id in online)
        for m in current_members(team=team)
    ]
    return sorted(members, key=lambda m: (not m.online, m.user.name))


def roles_with_holders(*, team: Team) -> QuerySet[Role]:
    current = RoleHolding.objects.filter(ended_at__isnull=True).select_related("holder")
    history = RoleHolding.objects.select_related("holder", "handed_by").order_by("-started_at")
    return Role.objects.for_team(team).prefetch_related(
        Prefetch("holdings", queryset=current, to_attr="current_holdings"),
        Prefetch("holdings", queryset=history, to_attr="history"),
    )


def roles_held_by(*, team: Team, user: User) -> QuerySet[Role]:
    return Role.objects.for_team(team).filter(
        holdings__holder=user, holdings__ended_at__isnull=True
    )


def coach_grants(*, team: Team) -> QuerySet[CoachGrant]:
    return CoachGrant.objects.for_team(team).select_related("coach", "granted_by", "revoked_by")


def open_invitations(*, team: Team, now) -> QuerySet[Invitation]:
    return Invitation.objects.for_team(team).filter(
        accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=now
    )


def audit_trail(*, team: Team, limit: int = 50) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.for_team(team).select_related("actor")[:limit]


def names(*, ids: Iterable[int]) -> dict[int, str]:
    """People's names by id in one query (for figures keyed by member id)."""
    return dict(User.objects.filter(pk__in=list(ids)).values_list("pk", "name"))


def coached_teams(*, user: User) -> QuerySet[Team]:
    """Teams that have granted ``user`` coach access and not revoked it."""
    return (
        Team.objects.filter(coach_grants__coach=user, coach_grants__revoked_at__isnull=True)
        .distinct()
        .order_by("name")
    )


def sharing_peers(*, team: Team) -> list[Team]:
    """The other teams of ``team``'s organisation that share their figures, if it shares too."""
    if not (team.shares_figures and team.organisation_id):
        return []
    return list(
        Team.objects.filter(organisation_id=team.organisation_id, shares_figures=True)
        .exclude(pk=team.pk)
        .order_by("name")
    )


def member_names(*, team: Team) -> list[str]:
    """Everyone who is or was a member, by name: what a text leaving the team must not name."""
    return list(
        Membership.objects.for_team(team)
        .exclude(user__name="")
        .values_list("user__name", flat=True)
        .distinct()
    )
