"""The value rules every entry point shares (caseload/rules.py)."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError

from caseload import rules
from caseload.forms import TimeEntryForm
from caseload.services.common import validate_minutes
from caseload.sync import schema
from caseload.sync.protocol import Rejected


@pytest.mark.parametrize(
    ("minutes", "allow_zero", "valid"),
    [(0, False, False), (0, True, True), (1440, False, True), (1441, True, False)],
)
def test_forms_services_and_sync_agree_on_the_minutes_range(minutes, allow_zero, valid):
    form = TimeEntryForm(data={"date": "2026-11-30", "category": "team", "minutes": minutes})
    field = schema.minutes("Minutes", allow_zero=allow_zero)
    assert rules.minutes_valid(minutes, allow_zero=allow_zero) is valid
    if not allow_zero:
        assert form.is_valid() is valid
    try:
        validate_minutes("minutes", minutes, allow_zero=allow_zero)
        field.parse(minutes)
        accepted = True
    except (ValidationError, Rejected):
        accepted = False
    assert accepted is valid


@pytest.mark.parametrize(("scores", "rated"), [((None, None, None), False), ((1, 2, 3), True)])
def test_a_problem_is_rated_with_all_three_scores_or_none(scores, rated):
    assert rules.rated(scores) is rated


def test_a_partly_rated_problem_is_refused_by_the_rule_and_by_sync():
    with pytest.raises(ValueError, match="Rate all three"):
        rules.rated((1, None, 3))
    with pytest.raises(Rejected, match="Rate all three"):
        schema.KINDS["visit.record"].fields["ratings"].parse(
            [{"care_problem": str(uuid.uuid4()), "knowledge": 1, "status": 3}]
        )
