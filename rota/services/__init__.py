"""Writes for the rota. Each function validates, writes in one transaction, audits and publishes.

Split by subject; import from here: ``from rota import services; services.swap_accept(...)``.
"""

from __future__ import annotations

from rota.services.common import RotaError
from rota.services.feeds import feed_create, feed_revoke
from rota.services.leave import (
    availability_set,
    leave_decide,
    leave_request,
    shift_request_create,
)
from rota.services.periods import (
    assignment_set,
    period_create,
    period_publish,
    period_reopen,
)
from rota.services.planning import plan_execute, plan_start, plan_stop
from rota.services.setup import (
    contract_save,
    cover_need_delete,
    cover_need_save,
    member_skills_set,
    skill_delete,
    skill_save,
    team_rules_save,
)
from rota.services.shift_types import (
    shift_type_delete,
    shift_type_reinstate,
    shift_type_retire,
    shift_type_save,
)
from rota.services.swaps import (
    open_shift_claim,
    swap_accept,
    swap_confirm,
    swap_offer,
    swap_withdraw,
)

__all__ = [
    "RotaError",
    "assignment_set",
    "availability_set",
    "contract_save",
    "cover_need_delete",
    "cover_need_save",
    "feed_create",
    "feed_revoke",
    "leave_decide",
    "leave_request",
    "member_skills_set",
    "open_shift_claim",
    "period_create",
    "period_publish",
    "period_reopen",
    "plan_execute",
    "plan_start",
    "plan_stop",
    "shift_request_create",
    "shift_type_delete",
    "shift_type_reinstate",
    "shift_type_retire",
    "shift_type_save",
    "skill_delete",
    "skill_save",
    "swap_accept",
    "swap_confirm",
    "swap_offer",
    "swap_withdraw",
    "team_rules_save",
]
