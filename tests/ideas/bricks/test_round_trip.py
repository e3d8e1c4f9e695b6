"""Publish → browse on the hub → adopt into a second team's board, through real HTTP.

The hub runs in its own daphne process on the test database; this process is the teams'
server, calling it through the same client code as in production; the adopted practice ends
as a real idea on the second team's board.
"""

from __future__ import annotations

import urllib.request

import pytest
from django.urls import reverse

from ideas.bricks import client, services
from ideas.models import Idea, Status
from insights.export import services as export_services
from tests.ideas.bricks.test_services import TEXT
from tests.servers import NoSharedDatabase, free_port, server_env, start_daphne

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TOKEN = "bricks-round-trip-token"
# The real outbound calls, taken before the suite's guard replaces them for every test.
REAL_FETCH, REAL_POST = client.fetch, client.post


@pytest.fixture
def real_hub(worker_id, tmp_path, settings, monkeypatch):
    try:
        env = server_env(worker_id)
    except NoSharedDatabase as reason:
        pytest.skip(f"the hub needs a server process on the test database: {reason}")
    env.update(COMMONS_HUB="true", COMMONS_ENROL_TOKEN=TOKEN, COMMONS_INGEST_RATE="")
    port = free_port()
    log = tmp_path / "hub.log"
    process = start_daphne(env=env, port=port, log=log)
    settings.COMMONS_URL = f"http://127.0.0.1:{port}/commons/"
    settings.COMMONS_ENROL_TOKEN = TOKEN
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr(client, "fetch", REAL_FETCH)
    monkeypatch.setattr(client, "post", REAL_POST)
    yield settings.COMMONS_URL, log
    process.terminate()
    process.wait(timeout=10)


def _read(url: str) -> str:
    with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 - the local hub
        return response.read().decode()


def test_publish_browse_and_adopt_into_another_teams_board_over_real_http(
    real_hub, board, team, alice, other_team, charlie, charlie_client
):
    base, log = real_hub
    export_services.commons_join(team=team, by=alice, region="E12000003", service_type="other")
    export_services.commons_join(
        team=other_team, by=charlie, region="E12000007", service_type="district_nursing"
    )

    public_id = services.practice_publish(team=team, by=alice, source="idea-1", **TEXT)

    # Anyone browses and searches it on the hub's public pages.
    assert "A shorter morning huddle" in _read(f"{base}practices/?q=huddle"), log.read_text()[
        -2000:
    ]
    assert "Adopted by 0 teams." in _read(f"{base}practices/{public_id}/")

    # The second team finds it from its own pages, which read the hub over HTTP, and adopts it.
    listing = charlie_client.get(reverse("bricks:practices", kwargs={"team_slug": other_team.slug}))
    assert "A shorter morning huddle" in listing.content.decode()
    page = reverse("bricks:practice", kwargs={"team_slug": other_team.slug, "public_id": public_id})
    adopted = charlie_client.post(page)
    assert adopted.status_code == 302

    idea = Idea.objects.get(team=other_team)
    assert adopted["Location"] == idea.get_absolute_url()
    assert (idea.title, idea.problem, idea.proposal, idea.metric, idea.status) == (
        TEXT["title"], TEXT["problem"], TEXT["practice"], "frontline", Status.PROPOSED
    )  # fmt: skip
    assert idea.provenance == f"{base}practices/{public_id}/"
    assert idea.provenance in charlie_client.get(idea.get_absolute_url()).content.decode()
    assert len(board.proposed) == 1
    hub_page = _read(f"{base}practices/{public_id}/")
    assert "Adopted by 1 team." in hub_page
    assert other_team.name not in hub_page and team.name not in hub_page
