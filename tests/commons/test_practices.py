"""The hub's practices: publish (refusing personal data), browse, adopt once, report effects,
and the pooled effect shown only from enough adopting teams."""

from __future__ import annotations

import json

import pytest

from commons import services as hub_services
from commons.practices.models import Adoption, Effect, Practice
from tests.commons.helpers import ATTRIBUTES, signed_headers

PRACTICES = "/commons/api/v1/practices/"


def practice_body(**changes) -> dict:
    return {
        "source": "0" * 32,
        "title": "A shorter morning huddle",
        "problem": "The morning huddle took 40 minutes and visits started late.",
        "practice": "We cut the huddle to 15 minutes with a written list of risks.",
        "metric": "frontline_share",
        "before": 0.48,
        "after": 0.55,
        "weeksBefore": 6,
        "weeksAfter": 6,
        "trialWeeks": 8,
    } | changes


class Team:
    """An enrolled team that signs its practice requests."""

    def __init__(self, client) -> None:
        team, self.key = hub_services.team_enrol(attributes=dict(ATTRIBUTES))
        self.ref, self.client = team.ref, client

    def post(self, url: str, data: dict | bytes):
        body = data if isinstance(data, bytes) else json.dumps(data).encode()
        return self.client.post(
            url, body, content_type="application/json", **signed_headers(self.ref, self.key, body)
        )

    def publish(self, **changes):
        return self.post(PRACTICES, practice_body(**changes))

    def adopt(self, public_id: str):
        return self.post(f"{PRACTICES}{public_id}/adoptions/", {})

    def report(self, public_id: str, before: float, after: float):
        body = {"before": before, "after": after, "weeksBefore": 4, "weeksAfter": 4}
        return self.post(f"{PRACTICES}{public_id}/effects/", body)


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.COMMONS_INGEST_RATE = ""


@pytest.fixture
def teams(db, client):
    return [Team(client) for _ in range(12)]


@pytest.fixture
def published(teams) -> str:
    response = teams[0].publish()
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_a_signed_practice_is_published_under_an_opaque_id(teams):
    response = teams[0].publish()
    assert response.status_code == 201
    practice = Practice.objects.get()
    assert response.json() == {"id": practice.public_id, "revision": 1}
    assert practice.public_id.startswith("p-") and practice.published_week


def test_the_same_source_revises_the_practice_instead_of_adding_one(teams, published):
    again = teams[0].publish(title="A 15-minute morning huddle")
    assert again.status_code == 200
    assert again.json() == {"id": published, "revision": 2}
    assert Practice.objects.get().title == "A 15-minute morning huddle"


def test_personal_data_is_refused_with_the_words_and_nothing_is_stored(teams):
    response = teams[0].publish(
        problem="Mrs Jones at LS1 4AP (943 476 5919) was visited late.",
        practice="We phoned 07700 900123 before visits; her birthday is 3 April 1948.",
    )
    assert response.status_code == 422
    errors = " ".join(response.json()["errors"])
    for words in ("LS1 4AP", "943 476 5919", "07700 900123", "3 April 1948"):
        assert words in errors
    assert not Practice.objects.exists()


def test_an_unsigned_or_badly_signed_publication_is_refused(client, teams):
    body = json.dumps(practice_body()).encode()
    assert client.post(PRACTICES, body, content_type="application/json").status_code == 401
    headers = signed_headers(teams[0].ref, "not-the-key", body)
    response = client.post(PRACTICES, body, content_type="application/json", **headers)
    assert response.status_code == 401
    assert not Practice.objects.exists()


def test_a_replayed_publication_is_refused(client, teams):
    body = json.dumps(practice_body()).encode()
    headers = signed_headers(teams[0].ref, teams[0].key, body)
    assert (
        client.post(PRACTICES, body, content_type="application/json", **headers).status_code == 201
    )
    replay = client.post(PRACTICES, body, content_type="application/json", **headers)
    assert replay.status_code == 401


@pytest.mark.parametrize(
    "changes",
    [{"title": ""}, {"title": "   "}, {"trialWeeks": 0}, {"metric": "Frontline Share"},
     {"before": "high"}, {"extra": 1}, {"source": "x"}, {"problem": "a\x00b"},
     {"practice": "x" * 2001}],
)  # fmt: skip
def test_a_body_outside_the_schema_is_refused_with_422(teams, changes):
    response = teams[0].publish(**changes)
    assert response.status_code == 422
    assert response.json()["errors"]


def test_practices_are_listed_and_searched_publicly(client, teams, published):
    teams[1].publish(
        source="1" * 32,
        title="Rota planned four weeks ahead",
        problem="Late rotas.",
        practice="We plan the rota four weeks ahead, agreed at the team meeting.",
    )
    listing = client.get(PRACTICES).json()
    assert listing["count"] == 2 and {r["id"] for r in listing["results"]} >= {published}
    found = client.get(PRACTICES, {"q": "huddle"}).json()
    assert [r["id"] for r in found["results"]] == [published]
    assert client.get(PRACTICES, {"q": "nothing like it"}).json()["count"] == 0


def test_an_adoption_counts_once_per_team_and_never_names_it(teams, published):
    assert teams[1].adopt(published).status_code == 201
    assert teams[1].adopt(published).json() == {"id": published, "counted": False}
    assert teams[2].adopt(published).status_code == 201
    adopters = list(Adoption.objects.values_list("adopter", flat=True))
    assert len(adopters) == 2
    assert not any(team.ref in adopter for team in teams for adopter in adopters)
    assert teams[0].client.get(f"{PRACTICES}{published}/").json()["adoptions"] == 2


def test_the_publisher_cannot_adopt_its_own_practice(teams, published):
    assert teams[0].adopt(published).status_code == 409
    assert not Adoption.objects.exists()


def test_adopting_an_unknown_practice_is_404(teams):
    assert teams[1].adopt("p-000000000000").status_code == 404
    assert teams[1].adopt("nonsense").status_code == 404


def test_only_an_adopting_team_reports_an_effect_and_the_latest_counts(teams, published):
    assert teams[1].report(published, 0.4, 0.5).status_code == 409
    teams[1].adopt(published)
    assert teams[1].report(published, 0.4, 0.5).status_code == 200
    assert teams[1].report(published, 0.4, 0.6).status_code == 200
    assert list(Effect.objects.values_list("after", flat=True)) == [0.6]


def test_the_pooled_effect_shows_only_from_ten_reporting_teams(client, teams, published):
    for index, team in enumerate(teams[1:10]):
        team.adopt(published)
        team.report(published, 0.40 + index / 100, 0.50 + index / 100)
    detail = client.get(f"{PRACTICES}{published}/").json()
    assert detail["adoptions"] == 9
    assert detail["pooled"]["status"] == "T"
    assert detail["pooled"]["change"]["median"] is None
    page = client.get(f"/commons/practices/{published}/").content.decode()
    assert "Shown once at least 10 adopting teams have reported" in page

    teams[10].adopt(published)
    teams[10].report(published, 0.45, 0.56)
    detail = client.get(f"{PRACTICES}{published}/").json()
    assert detail["pooled"]["teams"] == 10 and detail["pooled"]["status"] is None
    assert 0.0 <= detail["pooled"]["change"]["median"] <= 0.25
    page = client.get(f"/commons/practices/{published}/").content.decode()
    assert 'id="pooled"' in page


def test_the_hub_pages_list_search_and_show_a_practice(client, teams, published):
    teams[1].adopt(published)
    listing = client.get("/commons/practices/", {"q": "huddle"})
    assert listing.status_code == 200
    assert "A shorter morning huddle" in listing.content.decode()
    page = client.get(f"/commons/practices/{published}/").content.decode()
    assert "Adopted by 1 team." in page
    assert "48%" in page and "55%" in page
    assert teams[0].ref not in page


def test_an_unknown_practice_page_is_404(client, db):
    assert client.get("/commons/practices/p-000000000000/").status_code == 404
    assert client.get("/commons/practices/%00/").status_code == 404
    assert client.get(f"{PRACTICES}p-000000000000/").status_code == 404


def test_the_list_takes_two_queries_whatever_the_number_of_practices(
    client, teams, published, django_assert_num_queries
):
    for index in range(1, 6):
        teams[index].publish(source=f"{index:032x}")
        teams[(index + 1) % 12].adopt(published)
    with django_assert_num_queries(2):
        assert client.get(PRACTICES).status_code == 200
    with django_assert_num_queries(2):
        assert client.get(f"{PRACTICES}{published}/").status_code == 200


def test_the_openapi_document_describes_the_practice_endpoints(client, db):
    paths = client.get("/commons/api/openapi.json").json()["paths"]
    assert {"/commons/api/v1/practices/", "/commons/api/v1/practices/{public_id}/",
            "/commons/api/v1/practices/{public_id}/adoptions/",
            "/commons/api/v1/practices/{public_id}/effects/"} <= set(paths)  # fmt: skip
