"""The team look-up every team page runs lists exactly the teams the model's rule allows."""

from __future__ import annotations

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from teams.models import Team
from teams.selectors import reachable_teams
from tests.factories import CoachGrantFactory, MembershipFactory, TeamFactory, UserFactory

# Per team: no tie, a current membership, a past one, a live coach grant or a revoked one.
TIES = st.lists(
    st.lists(st.sampled_from(["member", "left", "coach", "revoked"]), max_size=2, unique=True),
    min_size=1,
    max_size=4,
)


def _tie(team, user, kind: str) -> None:
    now = timezone.now()
    if kind in ("member", "left"):
        MembershipFactory(team=team, user=user, left_at=now if kind == "left" else None)
    else:
        CoachGrantFactory(team=team, coach=user, revoked_at=now if kind == "revoked" else None)


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ties=TIES)
def test_reachable_teams_are_the_models_rule_with_how_each_is_reached(ties):
    user = UserFactory()
    for n, kinds in enumerate(ties):
        team = TeamFactory(name=f"Team {len(ties) - n}")
        for kind in kinds:
            _tie(team, user, kind)
    teams = reachable_teams(user=user)
    assert [t.pk for t in teams] == list(
        Team.objects.for_user(user).order_by("name", "pk").values_list("pk", flat=True)
    )
    for team in teams:
        assert team.as_member is team.memberships.filter(user=user, left_at=None).exists()
