"""Writes for teams. Each function validates, writes in one transaction, audits and publishes."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from teams import audit, clock, live
from teams.models import (
    CoachGrant,
    Invitation,
    Membership,
    Organisation,
    Presence,
    Role,
    RoleHolding,
    Team,
    User,
)
from teams.selectors import is_member


class TeamError(Exception):
    """A domain rule was broken; the message is meant for the person who tried."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def team_create(*, name: str, slug: str, area: str = "", by: User | None = None) -> Team:
    team = Team.objects.create(name=name, slug=slug, area=area)
    audit.record(actor=by, team=team, action="team.create", obj=team)
    return team


@transaction.atomic
def member_add(
    *, team: Team, user: User, job_title: str = "", by: User | None = None
) -> Membership:
    """Add ``user`` to ``team``; a person already in the team is an error, not a no-op."""
    if is_member(team=team, user=user):
        raise TeamError(f"{user} is already a member of {team}.")
    membership = Membership.objects.create(team=team, user=user, job_title=job_title)
    audit.record(actor=by or user, team=team, action="member.join", obj=membership)
    live.publish(team, "members-changed")
    return membership


@transaction.atomic
def member_leave(*, membership: Membership, by: User, now: datetime | None = None) -> Membership:
    """Close the membership and any roles the person held; history stays."""
    if membership.left_at is not None:
        raise TeamError(f"{membership.user} has already left {membership.team}.")
    membership.left_at = clock.now_or(now)
    membership.save(update_fields=["left_at"])
    RoleHolding.objects.for_team(membership.team).filter(
        holder=membership.user, ended_at__isnull=True
    ).update(ended_at=membership.left_at)
    audit.record(actor=by, team=membership.team, action="member.leave", obj=membership)
    live.publish(membership.team, "members-changed")
    live.publish(membership.team, "roles-changed")
    live.recheck_access(membership.user_id)
    return membership


@transaction.atomic
def invitation_create(
    *,
    team: Team,
    email: str,
    by: User,
    kind: str = Invitation.Kind.MEMBER,
    now: datetime | None = None,
) -> tuple[Invitation, str]:
    """Create a single-use link; return the invitation and the secret token (shown once)."""
    email = email.strip().lower()
    if Membership.objects.for_team(team).current().filter(user__email__iexact=email).exists():
        raise TeamError(f"{email} is already a member of {team}.")
    token = secrets.token_urlsafe(32)
    created = clock.now_or(now)
    invitation = Invitation.objects.create(
        team=team,
        email=email,
        kind=kind,
        token_hash=hash_token(token),
        created_by=by,
        created_at=created,
        expires_at=created + timedelta(days=settings.INVITATION_DAYS),
    )
    audit.record(actor=by, team=team, action="invitation.create", obj=invitation)
    return invitation, token


@transaction.atomic
def coach_invite(
    *, team: Team, email: str, by: User, link: Callable[[str], str], now: datetime | None = None
) -> Invitation:
    """Mail a coach invitation to ``email`` (``link`` turns the token into its URL).

    The same happens whether or not the address has an account, so the member granting access
    learns nothing about it; the coach's access starts when they accept from the mail.
    """
    invitation, token = invitation_create(
        team=team, email=email, by=by, kind=Invitation.Kind.COACH, now=now
    )
    context = {"team": team, "by": by, "link": link(token), "invitation": invitation}
    transaction.on_commit(
        partial(
            send_mail,
            subject=render_to_string("teams/coach_invitation_subject.txt", context).strip(),
            message=render_to_string("teams/coach_invitation_email.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )
    )
    return invitation


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, by: User, now: datetime | None = None) -> None:
    if invitation.accepted_at is not None:
        raise TeamError(_("This invitation has already been used."))
    invitation.withdrawn_at = clock.now_or(now)
    invitation.save(update_fields=["withdrawn_at"])
    audit.record(actor=by, team=invitation.team, action="invitation.withdraw", obj=invitation)


def invitation_problem(
    invitation: Invitation | None, *, user: User | None = None, now: datetime | None = None
) -> str:
    """Say why ``user`` (or a new person) cannot use an invitation, or return "" when they can.

    An invitation is for the address it was sent to: someone logged in with another address
    may not use it.
    """
    if invitation is None:
        return _("This invitation link is not valid. Ask your team for a new one.")
    if invitation.accepted_at is not None:
        return _("This invitation has already been used. Log in, or ask your team for a new one.")
    if invitation.withdrawn_at is not None:
        return _("This invitation was withdrawn. Ask your team for a new one.")
    if invitation.expires_at <= clock.now_or(now):
        return _("This invitation has expired. Ask your team for a new one.")
    if user is not None and user.is_authenticated and user.email.lower() != invitation.email:
        return _(
            "This invitation was sent to %(invited)s, but you are logged in as %(current)s. "
            "Log out and open the link again, or ask your team to invite %(current)s."
        ) % {"invited": invitation.email, "current": user.email}
    return ""


def invitation_for_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("team").filter(token_hash=hash_token(token)).first()


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    user: User | None = None,
    name: str = "",
    password: str = "",
    now: datetime | None = None,
) -> Membership | CoachGrant:
    """Use an invitation once: join (or coach) as ``user``, or as a new person from name and
    password.

    The invitation row is locked so two simultaneous accepts cannot both succeed.
    """
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("team")
        .filter(token_hash=hash_token(token))
        .first()
    )
    problem = invitation_problem(invitation, user=user, now=now)
    if problem:
        raise TeamError(problem)
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise TeamError(
                _("You already have an account. Log in first, then open the link again.")
            )
        user = User(email=invitation.email, name=name.strip())
        validate_password(password, user)
        user.set_password(password)
        try:
            user.save()
        except IntegrityError:
            raise TeamError(_("You already have an account. Log in first.")) from None
        audit.record(actor=user, team=invitation.team, action="user.create", obj=user)
    if invitation.kind == Invitation.Kind.COACH:
        joined = coach_grant(team=invitation.team, coach=user, by=invitation.created_by)
    else:
        joined = member_add(team=invitation.team, user=user, by=user)
    invitation.accepted_at = clock.now_or(now)
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(actor=user, team=invitation.team, action="invitation.accept", obj=invitation)
    return joined


@transaction.atomic
def role_create(*, team: Team, name: str, description: str = "", by: User) -> Role:
    name = name.strip()
    if not name:
        raise TeamError(_("Enter a name for the role."))
    if Role.objects.for_team(team).filter(name__iexact=name).exists():
        raise TeamError(f"Your team already has a role called {name}.")
    role = Role.objects.create(team=team, name=name, description=description.strip())
    audit.record(actor=by, team=team, action="role.create", obj=role)
    live.publish(team, "roles-changed")
    return role


@transaction.atomic
def role_hand_over(
    *, role: Role, to_user: User, by: User, now: datetime | None = None
) -> RoleHolding:
    """End the current holding and start ``to_user``'s in one step.

    The role row is locked so two people handing the same role over at once cannot leave it
    with two holders.
    """
    role = Role.objects.select_for_update().get(pk=role.pk)
    if not is_member(team=role.team, user=to_user):
        raise TeamError(f"{to_user} is not a member of this team.")
    at = clock.now_or(now)
    current = RoleHolding.objects.filter(role=role, ended_at__isnull=True).first()
    if current is not None:
        if current.holder_id == to_user.pk:
            raise TeamError(f"{to_user} already holds the {role} role.")
        current.ended_at = at
        current.save(update_fields=["ended_at"])
    holding = RoleHolding.objects.create(
        team=role.team, role=role, holder=to_user, started_at=at, handed_by=by
    )
    audit.record(
        actor=by,
        team=role.team,
        action="role.hand_over",
        obj=role,
        detail={"to": to_user.pk, "from": current.holder_id if current else None},
    )
    live.publish(role.team, "roles-changed", role=role.pk)
    return holding


@transaction.atomic
def coach_grant(*, team: Team, coach: User, by: User) -> CoachGrant:
    if is_member(team=team, user=coach):
        raise TeamError(f"{coach} is a member of this team already.")
    if CoachGrant.objects.for_team(team).filter(coach=coach, revoked_at__isnull=True).exists():
        raise TeamError(f"{coach} already coaches this team.")
    grant = CoachGrant.objects.create(team=team, coach=coach, granted_by=by)
    audit.record(actor=by, team=team, action="coach.grant", obj=grant)
    live.publish(team, "members-changed")
    return grant


@transaction.atomic
def coach_revoke(*, grant: CoachGrant, by: User, now: datetime | None = None) -> CoachGrant:
    if grant.revoked_at is not None:
        raise TeamError(_("This coach's access was already revoked."))
    grant.revoked_at = clock.now_or(now)
    grant.revoked_by = by
    grant.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(actor=by, team=grant.team, action="coach.revoke", obj=grant)
    live.publish(grant.team, "members-changed")
    live.recheck_access(grant.coach_id)
    return grant


def session_end(*, session_key: str | None) -> None:
    """Close the sockets opened with a session that has just ended (logout or timeout)."""
    if session_key:
        live.end_session(session_key)


@transaction.atomic
def presence_join(*, team: Team, user: User, channel_name: str) -> None:
    Presence.objects.create(team=team, user=user, channel_name=channel_name)
    live.publish(team, "presence-changed")


def presence_seen(*, channel_name: str, now: datetime | None = None) -> None:
    """Refresh an open socket's presence (its consumer calls this every heartbeat)."""
    Presence.objects.filter(channel_name=channel_name).update(seen_at=clock.now_or(now))


@transaction.atomic
def presence_leave(*, channel_name: str) -> None:
    presence = Presence.objects.select_related("team").filter(channel_name=channel_name).first()
    if presence is None:
        return
    presence.delete()
    live.publish(presence.team, "presence-changed")


def organisation_get_or_create(*, name: str, kind: str) -> Organisation:
    organisation, _created = Organisation.objects.get_or_create(
        name=name.strip(), defaults={"kind": kind}
    )
    return organisation


def organisation_join(
    *, team: Team, organisation: Organisation | None, by: User | None = None
) -> Team:
    """Put a team in an organisation (or take it out); sharing starts off either way."""
    team.organisation, team.shares_figures = organisation, False
    team.save(update_fields=["organisation", "shares_figures"])
    audit.record(
        actor=by,
        team=team,
        action="organisation.join" if organisation else "organisation.leave",
        obj=organisation,
    )
    return team


def figures_sharing_set(*, team: Team, share: bool, by: User) -> Team:
    """Opt the team in to (or out of) showing its weekly figures to its organisation's teams.

    Opting out takes effect at once: every page asks for the current setting.
    """
    if share and team.organisation_id is None:
        raise TeamError(_("This team is not part of an organisation."))
    team.shares_figures = share
    team.save(update_fields=["shares_figures"])
    audit.record(actor=by, team=team, action="figures.share" if share else "figures.unshare")
    return team


def user_language_set(*, user: User, language: str) -> User:
    """Remember the person's language on their account, for every device and printed output."""
    if language not in dict(settings.LANGUAGES):
        raise TeamError(_("Choose English or Welsh."))
    user.language = language
    user.save(update_fields=["language"])
    return user
