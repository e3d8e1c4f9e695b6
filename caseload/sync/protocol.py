"""The batch format and its limits (docs/sync-protocol.md)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.utils.translation import gettext as _

MAX_MUTATIONS = 100
MAX_BODY_BYTES = 512 * 1024
MAX_DEPTH = 16  # a valid batch nests 6 deep (body, list, item, payload, ratings, rating)


class BatchError(Exception):
    """The whole request is unusable; the device keeps every item and retries later."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class Rejected(Exception):
    """This one mutation cannot be applied; the reason is shown to its author."""


def _no_constant(name: str) -> None:
    raise ValueError(name)


def _too_deep(data: Any) -> bool:
    level = [data]
    for _depth in range(MAX_DEPTH):
        level = [
            child
            for node in level
            if isinstance(node, dict | list)
            for child in (node.values() if isinstance(node, dict) else node)
        ]
        if not level:
            return False
    return True


def parse_batch(body: bytes) -> tuple[uuid.UUID, list[Any]]:
    """Read a batch, or raise BatchError: strict JSON (no NaN or Infinity), shallow, bounded."""
    if len(body) > MAX_BODY_BYTES:
        raise BatchError(
            413, _("A batch may be at most %(kib)d KiB.") % {"kib": MAX_BODY_BYTES // 1024}
        )
    try:
        data = json.loads(body, parse_constant=_no_constant)
    except (ValueError, RecursionError):  # bad JSON, bad UTF-8, NaN, a number too long
        raise BatchError(400, _("The body is not valid JSON.")) from None
    if _too_deep(data):
        raise BatchError(400, _("The body is nested too deeply."))
    if not isinstance(data, dict):
        raise BatchError(400, _("The body must be a JSON object with device and mutations."))
    try:
        device = uuid.UUID(str(data.get("device")))
    except ValueError:
        raise BatchError(400, _("device must be a UUID.")) from None
    mutations = data.get("mutations")
    if not isinstance(mutations, list):
        raise BatchError(400, _("mutations must be a list."))
    if len(mutations) > MAX_MUTATIONS:
        raise BatchError(413, _("A batch may hold at most %(n)d mutations.") % {"n": MAX_MUTATIONS})
    return device, mutations


class Refused(str):
    """A handler's answer for a change that was kept but not applied as sent (a consent answer
    after its round closed): its effect is committed, and the mutation is reported ``rejected``
    with this text as the reason, so the author sees it under "Needs attention"."""
