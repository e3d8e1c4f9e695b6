"""Every URL under /t/<team>/ answers 404 to a member of another team and writes nothing.

The sweep enumerates the URL configuration itself, so a new page joins it automatically; a
page whose URL needs an id this file cannot supply fails the sweep until a sample is added.
"""

from __future__ import annotations

import re
import uuid

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from caseload.models import SyncMutation
from teams import services
from tests.factories import (
    ClientFactory,
    CoachGrantFactory,
    HandoverFactory,
    RoleFactory,
    UserFactory,
    VisitFactory,
)
from tests.rota.factories import (
    AssignmentFactory,
    CoverNeedFactory,
    LeaveRequestFactory,
    SkillFactory,
    SwapFactory,
)

PUBLIC = {
    "home",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "invitation",
    "switch_team",
    "session_status",  # seconds left in one's own session; zeros to anyone else
    "offline",
    "language_switch",  # the one-tap language switch (teams/language.py)
    "javascript_catalog",
    "healthz",
    "rota_feed",
    "service_worker",
    "favicon",
    "manifest",
    "insights_codes",
    "insights_coaching",
    "answer",
    # one's own two-factor sign-in (tests/teams/test_twofactor.py)
    "two_factor",
    "two_factor_setup",
    "two_factor_verify",
    "two_factor_recovery_codes",
    "two_factor_off",
    # the commons hub: public open data and its API, authenticated by signature (tests/commons/)
    "commons-dashboard",
    "commons-data-csv",
    "commons-dictionary",
    "commons-schema",
    "commons-api:api-root",
    "commons-api:enrol",
    "commons-api:ingest",
    "commons-api:observations",
    "commons-api:codes",
    "commons-api:openapi-json",
    # practices teams share (tests/commons/test_practices.py)
    "commons-practices",
    "commons-practice",
    "commons-api:practices",
    "commons-api:practice_publish",
    "commons-api:practice",
    "commons-api:practice_adopt",
    "commons-api:effect_report",
}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}", entry


def all_routes() -> list[tuple[str, str, URLPattern]]:
    return list(_walk(get_resolver().url_patterns))


def team_routes() -> list[tuple[str, str]]:
    return [(route, name) for route, name, _ in all_routes() if route.startswith("t/<")]


@pytest.fixture
def samples(team, alice):
    """One object of each kind in alice's team, keyed by the URL argument that names it."""
    invitation, _ = services.invitation_create(team=team, email="new@example.org", by=alice)
    client = ClientFactory(team=team)
    return {
        "team_slug": team.slug,
        "invitation_id": invitation.pk,
        "grant_id": CoachGrantFactory(team=team, granted_by=alice).pk,
        "role_id": RoleFactory(team=team).pk,
        "membership_id": alice.memberships.get(team=team).pk,
        "client_id": client.pk,
        "visit_id": VisitFactory(client=client, assigned_to=alice).pk,
        "handover_id": HandoverFactory(team=team, author=alice).pk,
        "mutation_pk": SyncMutation.objects.create(
            team=team,
            author=alice,
            mutation_id=uuid.uuid4(),
            device=uuid.uuid4(),
            kind="visit.done",
            payload_hash="",
            status="conflict",
        ).pk,
        "month": "2026-01",
        "public_id": "p-000000000000",  # a practice on the hub (ideas/bricks)
        **_rota_samples(team, alice),
        **_idea_samples(team, alice),
    }


def _rota_samples(team, alice) -> dict:
    from rota.models import PlanRun

    assignment = AssignmentFactory(period__team=team, user=alice)
    return {
        "period_id": assignment.period_id,
        "assignment_id": assignment.pk,
        "shift_type_id": assignment.shift_type_id,
        "skill_id": SkillFactory(team=team).pk,
        "cover_need_id": CoverNeedFactory(shift_type=assignment.shift_type).pk,
        "swap_id": SwapFactory(assignment=assignment).pk,
        "leave_id": LeaveRequestFactory(team=team, user=alice).pk,
        "run_id": PlanRun.objects.create(
            team=team, period=assignment.period, requested_by=alice
        ).pk,
    }


def _idea_samples(team, alice) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from ideas import services as ideas

    idea = ideas.idea_propose(team=team, author=alice, problem="P", proposal="Q", benefit="B")
    consent_round = ideas.round_open(
        idea=idea, by=alice, closes_at=timezone.now() + timedelta(days=1), trial_weeks=4
    )
    return {"idea_id": idea.pk, "round_id": consent_round.pk}


def _url(name: str, route: str, samples: dict) -> str:
    kwargs = {}
    for part in route.split("<")[1:]:
        arg = part.split(">")[0].split(":")[-1]
        assert arg in samples, f"add a sample for URL argument {arg!r} (used by {name})"
        kwargs[arg] = samples[arg]
    return reverse(name, kwargs=kwargs)


def _row_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_every_url_is_either_public_or_under_a_team():
    unscoped = {name for route, name, _ in all_routes() if not route.startswith("t/<")}
    assert unscoped <= PUBLIC, f"new URLs outside /t/<team>/: {sorted(unscoped - PUBLIC)}"


def test_sweep_covers_team_pages():
    names = {name for _, name in team_routes()}
    assert {"teams:team", "teams:members", "teams:roles", "teams:audit"} <= names


def test_every_team_url_answers_404_to_another_team_and_writes_nothing(samples, charlie_client):
    before = _row_counts()
    for route, name in team_routes():
        url = _url(name, route, samples)
        for method in ("get", "post"):
            response = getattr(charlie_client, method)(url, {"email": "x@example.org"})
            assert response.status_code == 404, f"{method.upper()} {url} -> {response.status_code}"
    assert _row_counts() == before


def test_every_team_url_exists_for_a_member(samples, alice_client):
    for route, name in team_routes():
        response = alice_client.get(_url(name, route, samples))
        assert response.status_code in (200, 405), f"GET {name} -> {response.status_code}"


def test_every_team_page_gives_each_element_its_own_id(samples, alice_client):
    # Forms sharing a page share field names (email, name, user): a repeated id sends a label,
    # hint or error link to another form's field.
    for route, name in team_routes():
        response = alice_client.get(_url(name, route, samples))
        if "text/html" not in response.get("Content-Type", ""):
            continue
        ids = re.findall(r'\sid="([^"]+)"', response.content.decode())
        assert sorted({i for i in ids if ids.count(i) > 1}) == [], name


def test_unknown_team_slug_is_404(alice_client):
    assert alice_client.get("/t/no-such-team/").status_code == 404


def test_former_member_gets_404(team, alice, alice_client):
    membership = alice.memberships.get(team=team)
    services.member_leave(membership=membership, by=alice)
    assert alice_client.get(team.get_absolute_url()).status_code == 404


def test_anonymous_is_sent_to_log_in(client, team):
    response = client.get(team.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_coach_reads_but_every_write_is_404(samples, team):
    coach = UserFactory()
    CoachGrantFactory(team=team, coach=coach)
    client = Client()
    client.force_login(coach)
    before = _row_counts()
    assert client.get(team.get_absolute_url()).status_code == 200
    searches = {
        name for _, name, pattern in all_routes() if getattr(pattern.callback, "searches", 0)
    }
    for route, name in team_routes():
        if name in searches:  # a search posts its terms but writes nothing
            continue
        response = client.post(_url(name, route, samples), {"email": "x@example.org"})
        assert response.status_code == 404, f"coach POST {name} -> {response.status_code}"
    assert _row_counts() == before


def test_revoked_coach_gets_404(team, alice):
    grant = CoachGrantFactory(team=team)
    services.coach_revoke(grant=grant, by=alice)
    client = Client()
    client.force_login(grant.coach)
    assert client.get(team.get_absolute_url()).status_code == 404
