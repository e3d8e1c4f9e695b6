from __future__ import annotations

import pytest

from teams import services as team_services


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Run background tasks inline, so a test sees the task's effect once its transaction ends."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def planner(team, bob, alice):
    """Bob holds the team's Planner role."""
    role = team_services.role_create(team=team, name="Planner", by=alice)
    team_services.role_hand_over(role=role, to_user=bob, by=alice)
    return bob
