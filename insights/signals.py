"""Hear of changes to the rows Insights counts, without the apps that own them knowing.

caseload, rota and teams must never import insights, so insights listens to their models'
``post_save`` and ``post_delete`` signals and calls ``services.figures_changed``: the running
week's cached figures are dropped, and a row dated in a closed week has that week's snapshot
revised by a task. Writes that skip model signals (bulk inserts of invented history,
``QuerySet.update``) are caught by the cache's own expiry (``selectors.FRESH_SECONDS``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from caseload.models import Handover, Rating, TimeEntry, Visit
from insights.services import figures_changed
from rota.models import (
    Assignment,
    Contract,
    CoverNeed,
    LeaveRequest,
    MemberSkill,
    RotaPeriod,
    ShiftRequest,
    ShiftType,
)
from teams.models import Membership

# Each model whose rows feed a figure, and the day a row counts on (None: no single day,
# so only the running week is refreshed).
DAY_OF: dict[type[Model], Callable[[Model], date | None]] = {
    Visit: lambda visit: _day(visit.date),
    TimeEntry: lambda entry: _day(entry.date),
    Assignment: lambda shift: _day(shift.date),
    Rating: lambda rating: _day(rating.rated_at),
    Handover: lambda handover: _day(handover.created_at),
    RotaPeriod: lambda period: None,
    LeaveRequest: lambda leave: None,
    Contract: lambda contract: None,
    ShiftRequest: lambda request: None,
    CoverNeed: lambda need: None,
    ShiftType: lambda shift_type: None,
    MemberSkill: lambda skill: None,
    Membership: lambda membership: None,
}


def _day(value: date | datetime | str | None) -> date | None:
    """The day a field holds: a saved instance keeps what it was given until it is read
    back, so a sync handler's ISO string arrives here as a string."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _changed(sender: type[Model], instance: Model, raw: bool = False, **kwargs: object) -> None:
    if raw:  # loaddata: fixtures, not changes
        return
    figures_changed(team_id=instance.team_id, day=DAY_OF[sender](instance))


def connect() -> None:
    """Listen to every model in ``DAY_OF`` (called once, from ``InsightsConfig.ready``)."""
    for model in DAY_OF:
        post_save.connect(_changed, sender=model, dispatch_uid=f"insights-{model.__name__}-save")
        post_delete.connect(
            _changed, sender=model, dispatch_uid=f"insights-{model.__name__}-delete"
        )
