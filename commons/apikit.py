"""What every part of the hub's API shares: the error body, the ingest throttle, the size limit.

Kept apart from the API object so that each part (ingest, practices) imports it without
importing the others.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja import Schema
from ninja.throttling import AnonRateThrottle


class IngestThrottle(AnonRateThrottle):
    """Limit ingest per client address at the rate in ``COMMONS_INGEST_RATE`` (read per call)."""

    scope = "commons-ingest"

    def __init__(self) -> None:
        self.rate = None

    def allow_request(self, request: HttpRequest) -> bool:
        rate = settings.COMMONS_INGEST_RATE
        if not rate:
            return True
        self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)


class Errors(Schema):
    errors: list[str]


def too_large(request: HttpRequest) -> bool:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return declared > settings.COMMONS_MAX_BODY_BYTES
