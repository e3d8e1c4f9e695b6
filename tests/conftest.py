"""The three-person world: alice and bob share a team, charlie is in another."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from teams import twofactor
from tests.factories import MembershipFactory, TeamFactory, UserFactory


@pytest.fixture
def team(db):
    return TeamFactory(name="Riverside", slug="riverside")


@pytest.fixture
def other_team(db):
    return TeamFactory(name="Hillside", slug="hillside")


@pytest.fixture
def alice(team):
    return MembershipFactory(
        team=team, user=UserFactory(name="Alice Adams", email="alice@example.org")
    ).user


@pytest.fixture
def bob(team):
    return MembershipFactory(
        team=team, user=UserFactory(name="Bob Brown", email="bob@example.org")
    ).user


@pytest.fixture
def charlie(other_team):
    return MembershipFactory(
        team=other_team, user=UserFactory(name="Charlie Chen", email="charlie@example.org")
    ).user


@pytest.fixture
def alice_client(alice) -> Client:
    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def charlie_client(charlie) -> Client:
    client = Client()
    client.force_login(charlie)
    return client


@pytest.fixture
def live_events(monkeypatch):
    """Capture what teams.live sends; a message appears only once its transaction commits."""
    sent: list[dict] = []
    monkeypatch.setattr("teams.live._send", lambda group, message: sent.append(message))
    return sent


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """Give each test an empty in-process cache: no login or reset-mail counters from another
    test, and never a flush of a Redis shared with the channel layer or other test workers."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "patch-tests",
        }
    }
    cache.clear()


@pytest.fixture(autouse=True)
def _force_login_includes_second_factor(monkeypatch):
    """Let ``force_login`` stand for a whole sign-in, code included, with a fresh step-up:
    tests of other features manage members without an authenticator app. The two-factor
    tests sign in through the pages, or call ``twofactor.forget_verified``."""
    force_login = Client.force_login

    def force_login_verified(self, user, backend=None):
        force_login(self, user, backend)
        session = self.session
        twofactor.mark_verified(session)
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login_verified)


def _no_hub(*args, **kwargs):
    raise OSError("no commons hub in this test")


@pytest.fixture(autouse=True)
def _no_practices_hub(monkeypatch):
    """Keep the team's practices pages off the network: no test reads a hub it did not start
    (tests/ideas/bricks/ put their own in place)."""
    monkeypatch.setattr("ideas.bricks.client.fetch", _no_hub)
    monkeypatch.setattr("ideas.bricks.client.post", _no_hub)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed the demo once for a module's tests (it takes most of a minute), rolled back after."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)
