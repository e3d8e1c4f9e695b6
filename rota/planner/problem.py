"""Plain data for the rostering planner: what to plan and what came out.

Nothing here knows about Django; the app converts its models to these dataclasses so the
planner can be tested and benchmarked on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WEEKEND_DAYS = (5, 6)  # Saturday, Sunday as offsets from a Monday


@dataclass(frozen=True)
class ShiftType:
    id: str
    minutes: int
    forbidden_next: frozenset[str] = frozenset()


@dataclass(frozen=True)
class StaffMember:
    """One person's hard limits; ``None`` means no limit."""

    id: str
    max_shifts: dict[str, int] = field(default_factory=dict)  # type missing = unlimited
    min_minutes: int = 0
    max_minutes: int | None = None
    min_consecutive: int = 1
    max_consecutive: int | None = None
    min_days_off: int = 1
    max_weekends: int | None = None
    days_off: frozenset[int] = frozenset()
    skills: frozenset[str] = frozenset()

    def may_work(self, shift_id: str) -> bool:
        return self.max_shifts.get(shift_id, 1) > 0


@dataclass(frozen=True)
class Cover:
    """How many people should work ``shift`` on ``day``.

    With ``skill`` set, only people holding that skill count, so one (day, shift) can carry
    several lines: a minimum, a preferred number and "at least one wound-care nurse".
    """

    day: int
    shift: str
    target: int
    under_weight: int = 100
    over_weight: int = 1
    skill: str | None = None

    def counts(self, person: StaffMember) -> bool:
        return self.skill is None or self.skill in person.skills


@dataclass(frozen=True)
class Request:
    """A wish to work (``on``) or not work (``on=False``) one shift on one day."""

    staff: str
    day: int
    shift: str
    weight: int
    on: bool


@dataclass(frozen=True)
class Assignment:
    staff: str
    day: int
    shift: str


@dataclass(frozen=True)
class Problem:
    """A rostering problem; day 0 is the weekday ``first_weekday`` (0 = Monday)."""

    horizon: int
    shifts: tuple[ShiftType, ...]
    staff: tuple[StaffMember, ...]
    cover: tuple[Cover, ...] = ()
    requests: tuple[Request, ...] = ()
    fixed: tuple[Assignment, ...] = ()  # published shifts the planner must keep
    first_weekday: int = 0

    def shift(self, shift_id: str) -> ShiftType:
        for s in self.shifts:
            if s.id == shift_id:
                return s
        raise KeyError(shift_id)

    def weekends(self) -> list[tuple[int, ...]]:
        """Return the in-horizon days of each Saturday/Sunday pair, partial ones included."""
        by_week: dict[int, list[int]] = {}
        for day in range(self.horizon):
            weekday = (day + self.first_weekday) % 7
            if weekday in WEEKEND_DAYS:
                by_week.setdefault((day + self.first_weekday) // 7, []).append(day)
        return [tuple(days) for _, days in sorted(by_week.items())]


@dataclass(frozen=True)
class Issue:
    """A soft-constraint shortfall in a solution, with a sentence a planner can read."""

    kind: str  # "on_request", "off_request", "under_cover", "over_cover"
    day: int
    shift: str
    staff: str | None
    cost: int
    explanation: str
    line: int | None = None  # index into Problem.cover for cover issues


@dataclass(frozen=True)
class Progress:
    """An improved roster found while the search goes on."""

    objective: int
    elapsed: float
    assignment: dict[tuple[str, int], str]


@dataclass(frozen=True)
class Solution:
    status: str  # "optimal", "feasible", "infeasible", "unknown"
    assignment: dict[tuple[str, int], str] = field(default_factory=dict)
    objective: int | None = None
    bound: int | None = None
    breakdown: dict[str, int] = field(default_factory=dict)
    unmet_requests: tuple[Issue, ...] = ()
    uncovered: tuple[Issue, ...] = ()
    explanation: str = ""
    seconds: float = 0.0

    @property
    def feasible(self) -> bool:
        return self.status in ("optimal", "feasible")

    def rows(self) -> list[Assignment]:
        return [Assignment(s, d, sh) for (s, d), sh in sorted(self.assignment.items())]
