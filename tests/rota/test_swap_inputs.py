"""Malformed input to the swap and reopen endpoints: a clear answer, never a 5xx."""

from __future__ import annotations

from datetime import date, time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rota import services
from tests.rota.factories import AssignmentFactory, RotaPeriodFactory, ShiftTypeFactory

FIELDS = st.dictionaries(
    st.sampled_from(["approve", "date", "shift_type", "user", "seen", "action"]),
    st.one_of(st.text(max_size=20), st.integers().map(str), st.just("")),
    max_size=4,
)


@pytest.fixture
def urls(team, alice):
    early = ShiftTypeFactory(team=team, name="Early", start=time(7, 0), end=time(15, 0))
    period = RotaPeriodFactory(team=team, start=date(2030, 3, 4))
    mine = AssignmentFactory(period=period, user=alice, date=date(2030, 3, 5), shift_type=early)
    swap = services.swap_offer(assignment=mine, by=alice)
    base = f"/t/{team.slug}/rota/"
    return [
        f"{base}swaps/offer/{mine.pk}/",
        f"{base}swaps/{swap.pk}/withdraw/",
        f"{base}swaps/{swap.pk}/accept/",
        f"{base}swaps/{swap.pk}/confirm/",
        f"{base}swaps/999999/withdraw/",
        f"{base}periods/{period.pk}/claim/",
        f"{base}periods/{period.pk}/reopen/",
    ]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=FIELDS)
def test_swap_and_reopen_endpoints_never_answer_5xx(alice_client, urls, data):
    for url in urls:
        response = alice_client.post(url, data)
        assert response.status_code < 500, (url, data)
