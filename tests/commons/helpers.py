"""Hub test helpers: a valid payload and signed requests."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Sequence

from django.test import Client

from commons import services
from disclosure import signing

INGEST_URL = "/commons/api/v1/datavaluesets/"
ATTRIBUTES = {"region": "E12000007", "serviceType": "district_nursing", "sizeBand": "9-12"}


def payload(ref: str, *, period: str = "2026W10", revision: int = 1, direct: float = 200.0,
            paid: float = 400.0) -> dict:  # fmt: skip
    return {
        "dataSet": "patch-team-week",
        "schemaVersion": "1.0",
        "period": period,
        "orgUnit": ref,
        "completeDate": period,
        "revision": revision,
        "attributes": dict(ATTRIBUTES),
        "dataValues": [
            {"dataElement": "HOURS", "category": "direct", "value": direct, "status": None},
            {"dataElement": "HOURS", "category": "paid", "value": paid, "status": None},
            {"dataElement": "VISITS", "category": "done", "value": 120, "status": None},
            {"dataElement": "VISITS", "category": "missed", "value": None, "status": "C"},
        ],
    }


def signed_headers(ref: str, key: str, body: bytes, *, timestamp: int | None = None,
                   nonce: str | None = None) -> dict[str, str]:  # fmt: skip
    timestamp = int(time.time()) if timestamp is None else timestamp
    nonce = nonce or secrets.token_hex(16)
    return {
        "HTTP_X_COMMONS_TEAM": ref,
        "HTTP_X_COMMONS_TIMESTAMP": str(timestamp),
        "HTTP_X_COMMONS_NONCE": nonce,
        "HTTP_X_COMMONS_SIGNATURE": signing.sign(key, body, timestamp, nonce),
    }


class Hub:
    """A test client that signs what it sends as one enrolled team."""

    def __init__(self, client: Client, ref: str, key: str) -> None:
        self.client, self.ref, self.key = client, ref, key

    def send(self, data: dict | bytes, *, dry_run: bool = False, **headers: str):
        body = data if isinstance(data, bytes) else json.dumps(data).encode()
        url = INGEST_URL + ("?dryRun=true" if dry_run else "")
        signed = signed_headers(self.ref, self.key, body) | headers
        return self.client.post(url, body, content_type="application/json", **signed)


def enrol_and_report(
    count: int, *, period: str = "2026W10", periods: Sequence[str] = (), **attributes: str
) -> list[str]:
    """Enrol ``count`` teams and have each send ``period`` (or each of ``periods``) through the
    ingest service."""
    refs = []
    for index in range(count):
        team, key = services.team_enrol(attributes=ATTRIBUTES | attributes)
        for week in periods or [period]:
            data = payload(team.ref, period=week, direct=150.0 + 10 * index)
            data["attributes"] = ATTRIBUTES | attributes
            body = json.dumps(data).encode()
            services.datavalueset_ingest(
                body=body, headers=signed_headers_plain(team.ref, key, body), dry_run=False
            )
        refs.append(team.ref)
    return refs


def signed_headers_plain(ref: str, key: str, body: bytes) -> dict[str, str]:
    return signing.headers(team=ref, key=key, body=body, timestamp=int(time.time()))
