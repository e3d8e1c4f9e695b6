"""Nurse-rostering planner: plain dataclasses in, a roster out. No Django here."""

from __future__ import annotations

from .evaluate import Evaluation, evaluate
from .problem import (
    Assignment,
    Cover,
    Issue,
    Problem,
    Progress,
    Request,
    ShiftType,
    Solution,
    StaffMember,
)
from .solver import solve

__all__ = [
    "Assignment",
    "Cover",
    "Evaluation",
    "Issue",
    "Problem",
    "Progress",
    "Request",
    "ShiftType",
    "Solution",
    "StaffMember",
    "evaluate",
    "solve",
]
