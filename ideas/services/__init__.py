"""Writes for ideas: propose, comment, consent rounds, outcomes and reviews (docs/ideas.md).

Every write is audited through ``teams.audit`` and tells the team's open pages through one
small live event, ``idea-changed`` (an idea id, nothing personal), after commit.
"""

from ideas.services.common import FACILITATOR_ROLE, IdeaError, facilitators
from ideas.services.ideas import (
    comment_add,
    idea_amend,
    idea_practice_record,
    idea_propose,
    idea_withdraw,
    outcome_record,
    review_record,
)
from ideas.services.rounds import (
    answer_give,
    late_reason,
    round_close_task,
    round_open,
    round_settle,
    rounds_settle_due,
)

__all__ = [
    "FACILITATOR_ROLE",
    "IdeaError",
    "answer_give",
    "comment_add",
    "facilitators",
    "idea_amend",
    "idea_practice_record",
    "idea_propose",
    "idea_withdraw",
    "late_reason",
    "outcome_record",
    "review_record",
    "round_close_task",
    "round_open",
    "round_settle",
    "rounds_settle_due",
]
