"""One query tells whether and how a person may see a team, and gives the team menu its list."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from teams.access import Access, team_access
from tests.factories import CoachGrantFactory, MembershipFactory, UserFactory


def test_a_member_is_told_from_a_coach_in_one_query(team, alice, django_assert_num_queries):
    coach = CoachGrantFactory(team=team).coach
    with django_assert_num_queries(1):
        assert team_access(user=alice, slug=team.slug) == (team, Access.MEMBER)
    with django_assert_num_queries(1):
        assert team_access(user=coach, slug=team.slug) == (team, Access.COACH)


def test_a_member_who_also_coaches_the_team_is_a_member(team, alice):
    CoachGrantFactory(team=team, coach=alice)
    assert team_access(user=alice, slug=team.slug) == (team, Access.MEMBER)


def test_a_member_whose_coach_grant_was_revoked_is_still_a_member(team, alice):
    CoachGrantFactory(team=team, coach=alice, revoked_at=timezone.now())
    assert team_access(user=alice, slug=team.slug) == (team, Access.MEMBER)


@pytest.mark.parametrize("slug", ["hillside", "no-such-team"])
def test_another_teams_slug_and_no_teams_slug_are_the_same_404(alice, other_team, slug):
    with pytest.raises(Http404):
        team_access(user=alice, slug=slug)


def test_a_former_member_and_a_revoked_coach_are_outsiders(team):
    former = MembershipFactory(team=team, left_at=timezone.now()).user
    revoked = CoachGrantFactory(team=team, revoked_at=timezone.now()).coach
    for user in (former, revoked, UserFactory()):
        with pytest.raises(Http404):
            team_access(user=user, slug=team.slug)


def test_the_team_menu_marks_the_section_and_hides_members_pages_from_a_coach(client, team):
    coach = CoachGrantFactory(team=team).coach
    client.force_login(coach)
    page = client.get(reverse("caseload:clients", kwargs={"team_slug": team.slug})).content
    menu = page.decode().split('class="govuk-service-navigation__list"')[1].split("</ul>")[0]
    assert 'aria-current="page">Clients' in menu
    assert menu.count("aria-current") == 1
    assert "Audit log" not in menu and ">Time<" not in menu and "Rota" in menu


def test_the_team_menu_shows_a_member_every_section(alice_client, team):
    page = alice_client.get(reverse("teams:team", kwargs={"team_slug": team.slug})).content
    menu = page.decode().split('class="govuk-service-navigation__list"')[1].split("</ul>")[0]
    for label in ("Today", "Board", "Clients", "Handovers", "Time", "Rota", "Insights", "Team"):
        assert f">{label}<" in menu
    assert "Audit log" in menu
