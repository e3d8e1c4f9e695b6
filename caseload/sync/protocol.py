"""The batch format and its limits (docs/sync-protocol.md)."""

from __future__ import annotations

import json
import uuid
from typing import Any

MAX_MUTATIONS = 100
MAX_BODY_BYTES = 512 * 1024


class BatchError(Exception):
    """The whole request is unusable; the device keeps every item and retries later."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class Rejected(Exception):
    """This one mutation cannot be applied; the reason is shown to its author."""


def parse_batch(body: bytes) -> tuple[uuid.UUID, list[Any]]:
    if len(body) > MAX_BODY_BYTES:
        raise BatchError(413, f"A batch may be at most {MAX_BODY_BYTES // 1024} KiB.")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BatchError(400, "The body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise BatchError(400, "The body must be a JSON object with device and mutations.")
    try:
        device = uuid.UUID(str(data.get("device")))
    except ValueError:
        raise BatchError(400, "device must be a UUID.") from None
    mutations = data.get("mutations")
    if not isinstance(mutations, list):
        raise BatchError(400, "mutations must be a list.")
    if len(mutations) > MAX_MUTATIONS:
        raise BatchError(413, f"A batch may hold at most {MAX_MUTATIONS} mutations.")
    return device, mutations
