from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from insights.services import snapshot_save
from teams import services
from teams.models import AuditEvent, Organisation
from tests.factories import TeamFactory


@pytest.fixture
def organisation(team, other_team):
    org = Organisation.objects.create(name="Leeds Community")
    for each in (team, other_team):
        services.organisation_join(team=each, organisation=org)
        snapshot_save(team=each, week="2026W01")
    return org


def _page(client, user, team):
    client.force_login(user)
    return client.get(f"/t/{team.slug}/insights/organisation/").content.decode()


def _share(team, user, share=True):
    services.figures_sharing_set(team=team, share=share, by=user)


def test_teams_see_each_other_once_both_share(
    client, organisation, team, other_team, alice, charlie
):
    _share(team, alice)
    _share(other_team, charlie)
    assert other_team.name in _page(client, alice, team)


def test_a_team_that_shares_sees_no_team_that_does_not(
    client, organisation, team, other_team, alice
):
    _share(team, alice)
    assert other_team.name not in _page(client, alice, team)


def test_a_team_that_does_not_share_sees_no_one(
    client, organisation, team, other_team, alice, charlie
):
    _share(other_team, charlie)
    assert other_team.name not in _page(client, alice, team)


def test_opting_out_takes_effect_at_once(client, organisation, team, other_team, alice, charlie):
    _share(team, alice)
    _share(other_team, charlie)
    client.force_login(charlie)
    client.post(f"/t/{other_team.slug}/insights/organisation/", {"share": "no"})
    assert other_team.name not in _page(client, alice, team)


def test_a_team_in_another_organisation_is_never_shown(client, organisation, team, alice):
    stranger = TeamFactory(name="Elsewhere")
    services.organisation_join(
        team=stranger, organisation=Organisation.objects.create(name="Other")
    )
    stranger.shares_figures = True
    stranger.save()
    _share(team, alice)
    assert "Elsewhere" not in _page(client, alice, team)


def test_sharing_is_audited(organisation, team, alice):
    _share(team, alice)
    assert AuditEvent.objects.filter(team=team, action="figures.share").exists()


def test_a_team_outside_any_organisation_cannot_share(team, alice):
    with pytest.raises(services.TeamError):
        _share(team, alice)


@pytest.mark.parametrize("value", ["", "maybe", "YES", "1", "yes\x00"])
def test_a_bad_sharing_answer_is_a_clear_400(client, organisation, team, alice, value):
    client.force_login(alice)
    response = client.post(f"/t/{team.slug}/insights/organisation/", {"share": value})
    assert response.status_code == 400


def test_command_puts_teams_in_an_organisation(team, other_team):
    call_command("organisation", "North", "--team", team.slug, "--team", other_team.slug)
    assert Organisation.objects.get(name="North").teams.count() == 2


def test_command_refuses_an_unknown_team(db):
    with pytest.raises(CommandError, match="nobody"):
        call_command("organisation", "North", "--team", "nobody")
