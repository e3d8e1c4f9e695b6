"""The short link printed on the day sheet by which a client can answer about a visit later.

The code is random (40 bits from an alphabet without look-alike characters), stored with its
visit, and works for ``ANSWER_DAYS`` after it was made. Insights keeps the answer; caseload
only makes and reads codes.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta

import segno
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from caseload.models import AnswerCode, Visit
from teams import clock

ANSWER_DAYS = 14
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed from paper
LENGTH = 8


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def answer_code(visit: Visit) -> str:
    """The visit's code, made on first use (a second print shows the same code)."""
    existing = AnswerCode.objects.filter(visit=visit).values_list("code", flat=True).first()
    if existing:
        return existing
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return AnswerCode.objects.create(
                    team_id=visit.team_id, visit=visit, code=_new_code()
                ).code
        except IntegrityError:  # the same code drawn twice, or a concurrent print
            existing = AnswerCode.objects.filter(visit=visit).values_list("code", flat=True)
            if existing:
                return existing[0]
    raise RuntimeError("could not draw a free answer code")


def visit_for_code(code: str, *, now: datetime | None = None) -> Visit | None:
    """The visit a code names, or None when there is none or it is older than ANSWER_DAYS."""
    cleaned = "".join(ch for ch in str(code).upper() if ch in ALPHABET)
    if len(cleaned) != LENGTH:
        return None
    since = clock.now_or(now) - timedelta(days=ANSWER_DAYS)
    found = AnswerCode.objects.filter(code=cleaned, created_at__gte=since).select_related(
        "visit__team"
    )
    row = found.first()
    return row.visit if row else None


def answer_qr_svg(url: str) -> SafeString:
    """The link as a QR code, in SVG so it prints sharp on the PDF (segno escapes the data)."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=2, border=2))  # noqa: S308


def answer_links(request: HttpRequest, visits: list[Visit]) -> dict[uuid.UUID, tuple[str, str]]:
    """Each visit's short answer link and its QR code, for the day sheet."""
    links = {}
    for visit in visits:
        url = request.build_absolute_uri(reverse("answer", args=[answer_code(visit)]))
        links[visit.pk] = (url, answer_qr_svg(url))
    return links
