"""Reads for the rota: the grid, cover, violations, fairness, balances and feeds.

Split by subject; import from here: ``from rota import selectors; selectors.period_grid(...)``.
"""

from __future__ import annotations

from rota.selectors.fairness import FAIRNESS_DAYS, fairness
from rota.selectors.feeds import feed_for_token, live_feed, published_shifts
from rota.selectors.grid import (
    Cell,
    CoverCell,
    Grid,
    Row,
    RuleContext,
    cover_needs_by_day,
    latest_plan_run,
    open_shifts,
    period_grid,
    periods,
    rule_context,
    to_shift,
)
from rota.selectors.requests import (
    OPEN_SWAP,
    availability,
    coming_shifts,
    leave_balance,
    leave_requests,
    open_swaps,
)
from rota.selectors.setup import (
    ShiftTypeUse,
    contracts,
    cover_needs,
    limits_for,
    member_skills,
    rule_set,
    shift_type_use,
    shift_types,
    skill_holders,
    skills,
    team_rules,
)
from rota.selectors.team import PLANNER_ROLE, is_planner
from teams.selectors import is_member, member_users

__all__ = [
    "FAIRNESS_DAYS",
    "PLANNER_ROLE",
    "Cell",
    "CoverCell",
    "Grid",
    "Row",
    "RuleContext",
    "ShiftTypeUse",
    "OPEN_SWAP",
    "availability",
    "coming_shifts",
    "contracts",
    "cover_needs",
    "cover_needs_by_day",
    "fairness",
    "feed_for_token",
    "is_member",
    "is_planner",
    "latest_plan_run",
    "leave_balance",
    "leave_requests",
    "limits_for",
    "live_feed",
    "member_skills",
    "member_users",
    "open_shifts",
    "open_swaps",
    "period_grid",
    "periods",
    "published_shifts",
    "rule_context",
    "rule_set",
    "shift_type_use",
    "shift_types",
    "skill_holders",
    "skills",
    "team_rules",
    "to_shift",
]
