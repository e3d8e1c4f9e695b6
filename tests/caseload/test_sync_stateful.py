"""Three devices, random offline periods, lost responses, duplicates and retries.

Invariants: every mutation id ends in exactly one outcome, and the server's time entries equal
what you get by applying the accepted mutations in the order the server accepted them.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

import pytest
from django.test import Client as Browser
from django.urls import reverse
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from caseload.models import SyncMutation, TimeEntry

pytestmark = pytest.mark.slow


@dataclass
class Device:
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    online: bool = True
    outbox: list[dict] = field(default_factory=list)
    versions: dict[str, int] = field(default_factory=dict)


def _machine(team, alice):
    browser = Browser()
    browser.force_login(alice)
    url = reverse("caseload:sync", kwargs={"team_slug": team.slug})

    class SyncMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            SyncMutation.objects.all().delete()
            TimeEntry.objects.all().delete()
            self.devices = [Device() for _ in range(3)]
            self.sent: set[str] = set()
            self.entries: list[str] = []

        def _queue(
            self, device: Device, target: str, base_version: int | None, minutes: int
        ) -> None:
            mutation = {
                "id": str(uuid.uuid4()),
                "kind": "time.save",
                "target": target,
                "base_version": base_version,
                "payload": {"date": "2026-11-30", "category": "team", "minutes": minutes},
            }
            device.outbox.append(mutation)
            self.sent.add(mutation["id"])

        @rule(d=st.integers(0, 2), minutes=st.integers(1, 600))
        def create_entry(self, d: int, minutes: int) -> None:
            self._queue(self.devices[d], str(uuid.uuid4()), None, minutes)

        @precondition(lambda self: self.entries)
        @rule(d=st.integers(0, 2), which=st.integers(0, 1000), minutes=st.integers(1, 600))
        def edit_entry(self, d: int, which: int, minutes: int) -> None:
            device = self.devices[d]
            target = self.entries[which % len(self.entries)]
            self._queue(device, target, device.versions.get(target, 1), minutes)

        @rule(d=st.integers(0, 2))
        def toggle_network(self, d: int) -> None:
            self.devices[d].online = not self.devices[d].online

        @rule(d=st.integers(0, 2), lose_response=st.booleans(), send_twice=st.booleans())
        def sync(self, d: int, lose_response: bool, send_twice: bool) -> None:
            device = self.devices[d]
            if not device.online or not device.outbox:
                return
            batch = list(device.outbox)
            body = json.dumps({"device": device.id, "mutations": batch})
            response = browser.post(url, data=body, content_type="application/json")
            assert response.status_code == 200
            if send_twice:
                again = browser.post(url, data=body, content_type="application/json").json()[
                    "results"
                ]
                assert {r["status"] for r in again} == {"duplicate"}
            if lose_response:
                return
            for mutation, result in zip(batch, response.json()["results"], strict=True):
                assert result["id"] == mutation["id"]
                device.outbox.remove(mutation)
                outcome = result.get("outcome", result["status"])
                if outcome == "applied":
                    device.versions[mutation["target"]] = result["version"]
                    if mutation["base_version"] is None:
                        self.entries.append(mutation["target"])

        @invariant()
        def one_original_per_id(self) -> None:
            originals = SyncMutation.objects.filter(original=True)
            assert originals.count() == originals.values("mutation_id").distinct().count()

        def teardown(self) -> None:
            for device in self.devices:
                device.online = True
                while device.outbox:
                    self.sync(self.devices.index(device), lose_response=False, send_twice=False)
            outcomes = dict(
                SyncMutation.objects.filter(original=True).values_list("mutation_id", "status")
            )
            assert {str(k) for k in outcomes} == self.sent
            expected: dict[str, int] = {}
            applied = SyncMutation.objects.filter(original=True, status="applied").order_by("pk")
            for row in applied:
                expected[row.target] = row.payload["minutes"]
            actual = {str(k): v for k, v in TimeEntry.objects.values_list("pk", "minutes")}
            assert actual == expected

    return SyncMachine


def test_three_devices_with_random_outages_converge_without_loss_or_duplication(team, alice):
    run_state_machine_as_test(
        _machine(team, alice),
        settings=settings(
            max_examples=6,
            stateful_step_count=150,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
