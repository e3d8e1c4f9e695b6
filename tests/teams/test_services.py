from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from teams import services
from teams.models import AuditEvent, Membership, RoleHolding, User
from tests.factories import RoleFactory, UserFactory


def test_invitation_stores_only_a_hash_of_its_token(team, alice):
    invitation, token = services.invitation_create(team=team, email="New@Example.org", by=alice)
    assert token not in invitation.token_hash
    assert invitation.email == "new@example.org"
    assert services.invitation_for_token(token) == invitation


def test_accepting_an_invitation_creates_the_person_and_membership(team, alice):
    _, token = services.invitation_create(team=team, email="dana@example.org", by=alice)
    membership = services.invitation_accept(
        token=token, name="Dana Doyle", password="a-long-enough-passphrase"
    )
    assert membership.team == team
    assert membership.user.check_password("a-long-enough-passphrase")
    assert membership.user.name == "Dana Doyle"


def test_invitation_works_only_once(team, alice):
    _, token = services.invitation_create(team=team, email="dana@example.org", by=alice)
    services.invitation_accept(token=token, name="Dana", password="a-long-enough-passphrase")
    with pytest.raises(services.TeamError, match="already been used"):
        services.invitation_accept(token=token, name="Eve", password="a-long-enough-passphrase")


def test_expired_invitation_is_refused(team, alice):
    created = timezone.now() - timedelta(days=30)
    _, token = services.invitation_create(
        team=team, email="dana@example.org", by=alice, now=created
    )
    with pytest.raises(services.TeamError, match="expired"):
        services.invitation_accept(token=token, name="Dana", password="a-long-enough-passphrase")
    assert not User.objects.filter(email="dana@example.org").exists()


def test_withdrawn_invitation_is_refused(team, alice):
    invitation, token = services.invitation_create(team=team, email="dana@example.org", by=alice)
    services.invitation_withdraw(invitation=invitation, by=alice)
    with pytest.raises(services.TeamError, match="withdrawn"):
        services.invitation_accept(token=token, name="Dana", password="a-long-enough-passphrase")


def test_weak_password_is_refused_and_nothing_is_created(team, alice):
    _, token = services.invitation_create(team=team, email="dana@example.org", by=alice)
    with pytest.raises(ValidationError):
        services.invitation_accept(token=token, name="Dana", password="123")
    assert not User.objects.filter(email="dana@example.org").exists()
    assert services.invitation_problem(services.invitation_for_token(token)) == ""


def test_existing_person_joins_a_second_team_through_an_invitation(other_team, charlie, alice):
    _, token = services.invitation_create(team=other_team, email=alice.email, by=charlie)
    services.invitation_accept(token=token, user=alice)
    assert Membership.objects.current().filter(user=alice).count() == 2


def test_inviting_a_current_member_is_refused(team, alice, bob):
    with pytest.raises(services.TeamError, match="already a member"):
        services.invitation_create(team=team, email="BOB@example.org", by=alice)


def test_handing_over_a_role_ends_the_previous_holding(team, alice, bob):
    role = RoleFactory(team=team, name="Planner")
    services.role_hand_over(role=role, to_user=alice, by=alice)
    services.role_hand_over(role=role, to_user=bob, by=alice)
    holdings = RoleHolding.objects.filter(role=role).order_by("started_at")
    assert [h.holder for h in holdings] == [alice, bob]
    assert holdings[0].ended_at is not None
    assert holdings[1].ended_at is None


def test_role_cannot_go_to_someone_outside_the_team(team, alice, charlie):
    role = RoleFactory(team=team)
    with pytest.raises(services.TeamError, match="not a member"):
        services.role_hand_over(role=role, to_user=charlie, by=alice)


def test_role_names_are_unique_per_team_whatever_the_case(team, alice):
    services.role_create(team=team, name="Planner", by=alice)
    with pytest.raises(services.TeamError, match="already has a role"):
        services.role_create(team=team, name="planner", by=alice)


def test_leaving_ends_the_members_roles_but_keeps_history(team, alice, bob):
    role = RoleFactory(team=team)
    services.role_hand_over(role=role, to_user=bob, by=alice)
    services.member_leave(membership=bob.memberships.get(team=team), by=bob)
    assert RoleHolding.objects.get(role=role).ended_at is not None
    assert Membership.objects.filter(team=team, user=bob).exists()


def test_coach_grant_and_revoke_are_audited(team, alice):
    coach = UserFactory()
    grant = services.coach_grant(team=team, coach=coach, by=alice)
    services.coach_revoke(grant=grant, by=alice)
    actions = list(AuditEvent.objects.for_team(team).values_list("action", flat=True))
    assert "coach.grant" in actions and "coach.revoke" in actions


def test_a_member_cannot_also_be_the_coach(team, alice, bob):
    with pytest.raises(services.TeamError, match="member"):
        services.coach_grant(team=team, coach=bob, by=alice)


def test_role_hand_over_publishes_after_commit(
    team, alice, bob, live_events, django_capture_on_commit_callbacks
):
    role = RoleFactory(team=team)
    with django_capture_on_commit_callbacks(execute=True):
        services.role_hand_over(role=role, to_user=bob, by=alice)
        assert live_events == []
    assert live_events == [{"type": "team.event", "event": "roles-changed", "role": str(role.pk)}]


def test_invitation_cannot_be_used_by_someone_logged_in_with_another_address(team, alice, charlie):
    _, token = services.invitation_create(team=team, email="dana@example.org", by=alice)
    with pytest.raises(services.TeamError, match="sent to dana@example.org"):
        services.invitation_accept(token=token, user=charlie)
    assert not Membership.objects.for_team(team).filter(user=charlie).exists()
