"""The team's calls to the hub's practices API: public reads, and signed writes.

Signed writes go out through the commons export's one outbound ``post`` with the key the hub
issued at enrolment, signed the same way as the weekly figures; reads go through ``fetch``
here. Tests replace these two functions, never urllib.
"""

from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.utils import timezone

from disclosure import signing
from disclosure.practice import PRACTICE_ID_PATTERN
from insights.export import selectors as export_selectors
from insights.export.services import Answer, hub_url, post
from insights.export.services import _json as answer_json  # one reading of the hub's answers
from insights.models import CommonsEnrolment
from teams.models import Team

MAX_ANSWER_BYTES = 1024 * 1024
READ_TIMEOUT_SECONDS = 5  # a person is waiting for the page


class HubError(Exception):
    """The hub could not be reached, or the team cannot write to it; says why in plain words."""


def enrolment_for(*, team: Team) -> CommonsEnrolment | None:
    """The team's enrolment when it may sign requests to the configured hub, else None."""
    enrolment = export_selectors.enrolment(team=team)
    base = hub_url()
    if not base or not enrolment.can_send or enrolment.hub_url != base:
        return None
    return enrolment


def practice_url(public_id: str) -> str:
    """The practice's public page on the hub (its provenance on an adopted idea)."""
    return f"{hub_url()}practices/{public_id}/"


def is_practice_id(value: str) -> bool:
    return re.fullmatch(PRACTICE_ID_PATTERN, value) is not None


def signed_post(*, enrolment: CommonsEnrolment, path: str, payload: dict[str, Any]) -> Answer:
    """POST ``payload`` to ``api/v1/<path>``, signed as the team; raise OSError when unreachable."""
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    headers = signing.headers(
        team=enrolment.org_unit,
        key=enrolment.key,
        body=body,
        timestamp=int(timezone.now().timestamp()),
    )
    return post(f"{hub_url()}api/v1/{path}", body, headers)


def fetch(path: str, params: dict[str, str | int] | None = None) -> Answer:
    """GET ``api/v1/<path>`` from the hub: the one outbound read, which tests replace.

    Network failures, and answers that are not HTTP, raise ``OSError``; any HTTP status is an
    ``Answer``.
    """
    query = f"?{urllib.parse.urlencode(params)}" if params else ""
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's COMMONS_URL
        f"{hub_url()}api/v1/{path}{query}", headers={"Accept": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=READ_TIMEOUT_SECONDS) as response:  # noqa: S310
            return Answer(response.status, answer_json(response.read(MAX_ANSWER_BYTES)))
    except urllib.error.HTTPError as error:
        return Answer(error.code, answer_json(error.read(MAX_ANSWER_BYTES)))
    except http.client.HTTPException as error:
        raise OSError(f"not an HTTP answer: {type(error).__name__}") from error
