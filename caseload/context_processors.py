from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from caseload.selectors import handovers_awaiting


def handover_count(request: HttpRequest) -> dict:
    """Give the navigation the count of handovers awaiting the member (one query, if shown)."""
    team = getattr(request, "team", None)
    if team is None:
        return {}
    return {
        "handovers_waiting": SimpleLazyObject(
            lambda: handovers_awaiting(team=team, member=request.user).count()
        )
    }
