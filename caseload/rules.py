"""Value rules that forms, services, the sync schema and the device's outbox all apply.

The outbox reads them from the published sync schema (``caseload.sync.schema.published``), so
a range changed here changes everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

MINUTES_MAX = 24 * 60
RATING_MIN, RATING_MAX = 1, 5
RATING_CHOICES = [(n, str(n)) for n in range(RATING_MIN, RATING_MAX + 1)]
RATING_CONCEPTS = ("knowledge", "behaviour", "status")
RATE_ALL_OR_NONE = _("Rate all three (knowledge, behaviour, status) for a problem, or none.")


def minutes_min(*, allow_zero: bool = False) -> int:
    return 0 if allow_zero else 1


def minutes_message(*, allow_zero: bool = False) -> str:
    return str(
        _("Enter minutes between %(low)d and %(high)d (24 hours).")
        % {"low": minutes_min(allow_zero=allow_zero), "high": MINUTES_MAX}
    )


def minutes_valid(minutes: int, *, allow_zero: bool = False) -> bool:
    return minutes_min(allow_zero=allow_zero) <= minutes <= MINUTES_MAX


def rated(scores: Sequence[int | None]) -> bool:
    """Say whether a problem was rated: all three scores, or none; partly is an error."""
    given = [score is not None for score in scores]
    if all(given):
        return True
    if any(given):
        raise ValueError(str(RATE_ALL_OR_NONE))
    return False
