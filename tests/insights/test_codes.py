from __future__ import annotations

from caseload.models import TimeCategory
from insights import formulas
from insights.codes import BY_CODE, CODES


def test_every_activity_has_exactly_one_code():
    assert [code.code for code in CODES] == list(formulas.ACTIVITIES)


def test_every_time_category_a_nurse_can_record_is_a_recorded_activity():
    assert set(TimeCategory.values) == set(formulas.RECORDED)


def test_direct_care_is_the_only_frontline_code():
    assert [c.code for c in CODES if c.group == "frontline"] == [formulas.DIRECT]


def test_codes_json_is_public_and_lists_every_code(client):
    response = client.get("/insights/codes.json")
    assert [c["code"] for c in response.json()["codes"]] == list(BY_CODE)


def test_codes_json_refuses_a_post(client):
    assert client.post("/insights/codes.json").status_code == 405
