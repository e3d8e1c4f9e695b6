"""The demo hub: simulated teams whose figures pass the same rules as real ones."""

from __future__ import annotations

from datetime import date

from commons.demo import demo_seed
from commons.models import DataValue, DataValueSet, RegisteredTeam
from disclosure import control, schema

TODAY = date(2026, 12, 3)
CELL = ("value_set__team__ref", "value_set__period", "element", "category", "value")


def test_the_demo_seeds_teams_and_weeks_once(db):
    added = demo_seed(teams=12, weeks=6, today=TODAY)
    again = demo_seed(teams=12, weeks=6, today=TODAY)
    assert RegisteredTeam.objects.count() == 12
    assert added == DataValueSet.objects.count() > 0
    assert again == 0


def test_the_demo_is_the_same_every_time(db):
    demo_seed(teams=12, weeks=4, today=TODAY)
    first = set(DataValue.objects.values_list(*CELL))
    DataValueSet.objects.all().delete()
    demo_seed(teams=12, weeks=4, today=TODAY)
    again = set(DataValue.objects.values_list(*CELL))
    assert first == again


def test_every_demo_week_passes_the_disclosure_check(db):
    demo_seed(teams=12, weeks=3, today=TODAY)
    for value_set in DataValueSet.objects.prefetch_related("values"):
        published = [
            schema.Published(v.element, v.category, v.value, v.status or None)
            for v in value_set.values.all()
        ]
        assert control.check(published) == []
