"""When a consent round closes and what it decided: one pure rule for readers and writers.

The service records a close with this rule; pages compute the same close from it before the
close is recorded, so a round is never shown open after its time, with or without a worker.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

CONSENT = "consent"
CONCERN = "concern"
OBJECTION = "objection"
TIME = "time"
EVERYONE = "everyone"

TRIAL_WEEKS_MIN = 1
TRIAL_WEEKS_MAX = 52
ROUND_DAYS_MAX = 60  # the latest closing time a round may be given


@dataclass(frozen=True)
class Close:
    at: datetime
    reason: str  # TIME or EVERYONE
    outcome: str  # CONSENT or OBJECTION


def counted(answers: Mapping[int, str], members: Iterable[int]) -> dict[int, str]:
    """Answers that count: those of current members (a member who left no longer counts)."""
    current = set(members)
    return {member: kind for member, kind in answers.items() if member in current}


def outcome(answers: Mapping[int, str], members: Iterable[int]) -> str:
    """An objection blocks; a concern does not; not answering is not objecting."""
    return OBJECTION if OBJECTION in counted(answers, members).values() else CONSENT


def close(
    *,
    closes_at: datetime,
    answers: Mapping[int, str],
    members: Iterable[int],
    now: datetime,
) -> Close | None:
    """Answer how the round closed by ``now``, or None while it is open.

    ``answers`` maps each member who answered in time to their answer. The round closes at its
    time, or as soon as every current member has answered.
    """
    members = set(members)
    if closes_at <= now:
        return Close(closes_at, TIME, outcome(answers, members))
    if members and members <= set(answers):
        return Close(now, EVERYONE, outcome(answers, members))
    return None


def review_due(*, started: date, weeks: int) -> date:
    return started + timedelta(weeks=weeks)
