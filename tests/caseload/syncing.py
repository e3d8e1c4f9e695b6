"""Helpers for tests that talk to the sync endpoint as a device would."""

from __future__ import annotations

import json
import uuid

from django.urls import reverse

DEVICE = "0b8f6c2e-3c1d-4c7e-9d3e-8d2f0a7e5b11"


def mutation(kind: str, target, base_version=None, **payload) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "kind": kind,
        "target": str(target),
        "base_version": base_version,
        "payload": payload,
        "created_at": "2026-11-28T10:42:00Z",
    }


def sync_url(team) -> str:
    return reverse("caseload:sync", kwargs={"team_slug": team.slug})


def post(browser, team, mutations, device=DEVICE):
    return post_body(browser, team, json.dumps({"device": device, "mutations": mutations}))


def post_body(browser, team, body: str | bytes, content_type: str = "application/json"):
    return browser.post(sync_url(team), data=body, content_type=content_type)


def sync(browser, team, *mutations) -> list[dict]:
    response = post(browser, team, list(mutations))
    assert response.status_code == 200, response.content
    return response.json()["results"]
