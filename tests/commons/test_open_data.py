"""Open data: SDMX-CSV, paginated JSON, the code list, the schema and the OpenAPI document."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from commons import keys, selectors, services
from commons.models import PublishedWeek, RegisteredTeam
from disclosure import schema
from tests.commons.helpers import enrol_and_report, payload, signed_headers_plain

SDMX_HEAD = [
    "STRUCTURE",
    "STRUCTURE_ID",
    "ACTION",
    "TIME_PERIOD",
    "REF_AREA",
    "SERVICE_TYPE",
    "DATA_ELEMENT",
    "CATEGORY",
    "MEASURE",
    "OBS_VALUE",
    "OBS_STATUS",
    "N_TEAMS",
]


def rows(client) -> list[dict]:
    return list(csv.DictReader(io.StringIO(client.get("/commons/data.csv").text)))


def test_the_csv_has_the_sdmx_columns(db, client):
    enrol_and_report(10)
    text = client.get("/commons/data.csv").text
    assert text.splitlines()[0].split(",") == SDMX_HEAD


def test_every_csv_row_is_a_value_or_a_reason_code(db, client):
    enrol_and_report(10)
    enrol_and_report(2, region="E12000002")
    for row in rows(client):
        assert row["STRUCTURE"] == "dataflow" and row["ACTION"] == "I"
        assert bool(row["OBS_VALUE"]) != bool(row["OBS_STATUS"])


def test_a_total_over_twenty_teams_is_shown_and_over_fewer_is_flagged_t(db, client):
    enrol_and_report(20)
    enrol_and_report(2, region="E12000002")
    by_key = {(r["REF_AREA"], r["SERVICE_TYPE"], r["DATA_ELEMENT"], r["CATEGORY"], r["MEASURE"]): r
              for r in rows(client)}  # fmt: skip
    total = by_key[("_T", "_T", "VISITS", "done", "SUM")]
    assert (total["OBS_VALUE"], total["N_TEAMS"]) == ("2640", "22")
    assert by_key[("E12000002", "_T", "VISITS", "done", "SUM")]["OBS_STATUS"] == "T"


def test_the_groups_left_over_never_hold_too_few_teams_for_a_sum(db, client):
    """London's sum is withheld too (S): total minus London would be the two other teams."""
    enrol_and_report(20)
    enrol_and_report(2, region="E12000002")
    london = next(
        r
        for r in rows(client)
        if r["REF_AREA"] == "E12000007"
        and r["DATA_ELEMENT"] == "VISITS"
        and r["CATEGORY"] == "done"
    )
    assert london["OBS_STATUS"] == "S"


def test_json_observations_are_the_csv_rows_paginated(db, client, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 10)
    enrol_and_report(10)
    first = client.get("/commons/api/v1/observations/").json()
    assert first["count"] == len(rows(client))
    assert len(first["results"]) == 10
    assert first["next"] == "/commons/api/v1/observations/?page=2"
    assert set(first["results"][0]) == set(SDMX_HEAD[3:])


def test_observations_may_be_cached_by_browsers_and_proxies(db, client):
    response = client.get("/commons/api/v1/observations/")
    assert response["Cache-Control"] == "public, max-age=300"


@pytest.mark.parametrize("page", ["0", "-1", "x", "99999999999999999999"])
def test_a_bad_page_is_a_4xx(db, client, page):
    assert 400 <= client.get(f"/commons/api/v1/observations/?page={page}").status_code < 500


SIZES = [(10, ["2026W10"]), (20, ["2026W09", "2026W10", "2026W11"])]


@pytest.mark.parametrize(("teams", "weeks"), SIZES)
def test_open_data_query_counts_do_not_grow_with_teams_or_weeks(
    db, client, teams, weeks, django_assert_num_queries, monkeypatch
):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 10)
    enrol_and_report(teams, periods=weeks)
    client.get("/commons/api/v1/observations/")  # publishes every week
    with django_assert_num_queries(3):  # stale weeks, the count, the page
        client.get("/commons/api/v1/observations/?page=2")
    with django_assert_num_queries(2):  # stale weeks, every row in one read
        client.get("/commons/data.csv")


def test_a_revised_week_is_published_again_and_only_that_week(db, client):
    refs = enrol_and_report(20, periods=["2026W10", "2026W11"])  # sums need 20
    before = rows(client)
    published = dict(PublishedWeek.objects.values_list("week_start", "published_version"))
    team = RegisteredTeam.objects.get(ref=refs[0])
    key = keys.team_key(ref=team.ref, salt=team.key_salt)
    revised = payload(team.ref, period="2026W11", revision=2, direct=300.0)
    body = json.dumps(revised).encode()
    services.datavalueset_ingest(body=body, headers=signed_headers_plain(team.ref, key, body),
                                 dry_run=False)  # fmt: skip
    after = rows(client)
    week_10 = [r for r in before if r["TIME_PERIOD"] == "2026-W10"]
    assert week_10 == [r for r in after if r["TIME_PERIOD"] == "2026-W10"]
    direct = [r for r in after if r["DATA_ELEMENT"] == "HOURS" and r["CATEGORY"] == "direct"
              and r["REF_AREA"] == r["SERVICE_TYPE"] == "_T"]  # fmt: skip
    assert [r["OBS_VALUE"] for r in direct] == ["4900", "5050"]  # 150+160+…+340, then +150
    now = dict(PublishedWeek.objects.values_list("week_start", "published_version"))
    assert now == published | {date(2026, 3, 9): published[date(2026, 3, 9)] + 1}


def test_the_code_list_says_what_counts_as_frontline_and_overhead(db, client):
    codes = client.get("/commons/api/v1/codes/").json()
    hours = next(e for e in codes["elements"] if e["code"] == "HOURS")
    groups = {c["code"]: c["group"] for c in hours["categories"]}
    assert groups["direct"] == "frontline"
    assert {c for c, g in groups.items() if g == "overhead"} == {"team", "training", "other"}
    assert [e["code"] for e in codes["elements"]] == list(schema.ELEMENTS)


def test_the_schema_is_published(db, client):
    assert client.get("/commons/schema/v1.json").json() == schema.json_schema()


def test_the_openapi_document_lists_every_endpoint(db, client):
    document = client.get("/commons/api/openapi.json").json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/commons/api/v1/teams/",
        "/commons/api/v1/datavaluesets/",
        "/commons/api/v1/observations/",
        "/commons/api/v1/codes/",
        "/commons/api/v1/practices/",
        "/commons/api/v1/practices/{public_id}/",
        "/commons/api/v1/practices/{public_id}/adoptions/",
        "/commons/api/v1/practices/{public_id}/effects/",
    }
    ingest = document["paths"]["/commons/api/v1/datavaluesets/"]["post"]
    assert set(ingest["responses"]) >= {"200", "400", "401", "409", "422"}


def test_the_dictionary_page_explains_every_column(db, client):
    page = client.get("/commons/data/").text
    assert all(column in page for column in SDMX_HEAD)
