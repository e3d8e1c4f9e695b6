"""The demo seeded on an awkward day still gives the README's example nurse a day's work.

Kept apart from tests/teams/test_seed_demo.py, whose tests share one demo seeded today.
"""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from caseload.models import Visit
from rota.models import Assignment

EXAMPLE_NURSE = "amara@riverside.example"  # the README's example login


def test_the_example_nurse_has_visits_and_a_shift_on_the_day_the_demo_is_seeded(db, time_machine):
    time_machine.move_to(datetime(2026, 3, 29, 10, 0, tzinfo=UTC))  # a Sunday, the clocks change
    call_command("seed_demo", stdout=StringIO())
    today = timezone.localdate()
    assert Visit.objects.filter(assigned_to__email=EXAMPLE_NURSE, date=today).exists()
    assert Assignment.objects.filter(user__email=EXAMPLE_NURSE, date=today).exists()
