"""Two teams on one server and the hub mounted beside them; adopting proposes on the real board."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client

from commons import services as hub_services
from ideas.bricks import client as bricks_client
from ideas.models import Idea
from insights.export.services import Answer
from insights.models import CommonsEnrolment
from tests.commons.helpers import ATTRIBUTES

HUB = "http://hub.test/commons/"


class Board:
    """Every team's ideas board, read as what each proposal was given."""

    @property
    def proposed(self) -> list[dict]:
        fields = ("team", "author", "problem", "proposal", "benefit", "metric", "provenance")
        ideas = Idea.objects.select_related("team", "author").order_by("created_at")
        return [{name: getattr(idea, name) for name in fields} for idea in ideas]


@pytest.fixture
def board() -> Board:
    return Board()


class InProcessHub:
    """The outbound calls, answered by this server's own hub through Django's test client."""

    def __init__(self) -> None:
        self.client = Client()
        self.calls: list[tuple[str, str]] = []
        self.down = False

    def _path(self, url: str) -> str:
        assert url.startswith(HUB), url
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> Answer:
        self.calls.append(("POST", url))
        if self.down:
            raise OSError("down")
        meta = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        response = self.client.post(self._path(url), body, content_type="application/json", **meta)
        return Answer(response.status_code, response.json() if response.content else {})

    def fetch(self, path: str, params=None) -> Answer:
        self.calls.append(("GET", path))
        if self.down:
            raise OSError("down")
        response = self.client.get(f"/commons/api/v1/{path}", params or {})
        return Answer(response.status_code, response.json() if response.content else {})


@pytest.fixture
def hub(settings, monkeypatch) -> InProcessHub:
    settings.COMMONS_URL = HUB
    settings.COMMONS_INGEST_RATE = ""
    fake = InProcessHub()
    monkeypatch.setattr(bricks_client, "post", fake.post)
    monkeypatch.setattr(bricks_client, "fetch", fake.fetch)
    return fake


def join(team, *, hub_url: str = HUB) -> CommonsEnrolment:
    """Enrol ``team`` with the hub in this process and store its key as joining would."""
    registered, key = hub_services.team_enrol(attributes=dict(ATTRIBUTES))
    return CommonsEnrolment.objects.create(
        team=team, joined=True, hub_url=hub_url, org_unit=registered.ref, key=key,
        region=ATTRIBUTES["region"], service_type=ATTRIBUTES["serviceType"],
    )  # fmt: skip
