from __future__ import annotations

import pytest

from tests.factories import ClientFactory, InterventionFactory, VisitFactory


@pytest.fixture
def client_record(team, alice):
    return ClientFactory(team=team, name="Edna Walker", primary_nurse=alice, alerts="Dog in house")


@pytest.fixture
def intervention(client_record):
    return InterventionFactory(care_problem__client=client_record)


@pytest.fixture
def visit(client_record, alice, intervention):
    visit = VisitFactory(client=client_record, assigned_to=alice, planned_minutes=25)
    visit.interventions.set([intervention])
    return visit
