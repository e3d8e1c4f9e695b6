"""Working-time rules as pure functions: shifts in, violations out.

Nothing here touches the database. Shift times are local wall-clock times in the zone of the
``TIME_ZONE`` setting (read through ``local_zone``); ``shift_interval`` turns them into UTC
instants, so every length and gap below is real
elapsed time, also in the weeks the clocks change. (Python subtracts two datetimes that
share a tzinfo as wall-clock times, which would be an hour out across a change.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

NIGHT_STARTS = time(20, 0)

RULE_NAMES = {
    "daily-rest": gettext_lazy("Minimum rest between shifts"),
    "consecutive-days": gettext_lazy("Maximum days in a row"),
    "average-hours": gettext_lazy("48-hour average week"),
    "weekly-rest": gettext_lazy("Weekly rest"),
    "nights": gettext_lazy("Nights not in contract"),
    "skills": gettext_lazy("Skill missing on a shift"),
}


@dataclass(frozen=True)
class Shift:
    """One worked shift; ``start`` and ``end`` are aware UTC instants."""

    person_id: int | str
    person: str
    day: date
    name: str
    start: datetime
    end: datetime
    night: bool = False

    @property
    def hours(self) -> float:
        return (self.end - self.start).total_seconds() / 3600


@dataclass(frozen=True)
class Limits:
    """One person's contract limits; ``None`` means no limit."""

    max_consecutive_days: int | None = None
    opted_out_48h: bool = False
    nights_allowed: bool = True


@dataclass(frozen=True)
class RuleSet:
    min_rest: timedelta = timedelta(hours=11)
    max_average_weekly_hours: int = 48
    reference_weeks: int = 17
    weekly_rest: timedelta = timedelta(hours=24)
    weekly_rest_days: int = 7  # or 14: two weekly rests, or one twice as long, in each 14 days


@dataclass(frozen=True)
class Violation:
    rule: str
    person_id: int | str
    person: str
    day: date
    message: str = field(compare=False)

    @property
    def rule_name(self) -> str:
        return RULE_NAMES[self.rule]


def local_zone() -> tzinfo:
    """Return the zone of the team's wall clocks: Django's default, so tests can change it."""
    return timezone.get_default_timezone()


def shift_interval(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    """Return the UTC start and end of a shift starting on ``day`` at local time ``start``.

    An ``end`` at or before ``start`` falls on the next day. A local time the clocks skip is
    read with the offset in force before the change (``fold=0``), as a wall clock would be.
    """
    end_day = day + timedelta(days=1) if end <= start else day
    tz = local_zone()
    begins = datetime.combine(day, start, tzinfo=tz).astimezone(UTC)
    ends = datetime.combine(end_day, end, tzinfo=tz).astimezone(UTC)
    return begins, ends


def make_shift(
    *, person_id: int | str, person: str, day: date, name: str, start: time, end: time
) -> Shift:
    begins, ends = shift_interval(day, start, end)
    return Shift(
        person_id=person_id,
        person=person,
        day=day,
        name=name,
        start=begins,
        end=ends,
        night=end <= start or start >= NIGHT_STARTS,
    )


def _by_person(shifts: Iterable[Shift]) -> dict[int | str, list[Shift]]:
    people: dict[int | str, list[Shift]] = defaultdict(list)
    for shift in shifts:
        people[shift.person_id].append(shift)
    for own in people.values():
        own.sort(key=lambda s: s.start)
    return people


def _hm(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if not minutes:
        return _("%(hours)s h") % {"hours": hours}
    return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}


def _day(day: date) -> str:
    return date_format(day, "D j M")


def check_daily_rest(shifts: Iterable[Shift], *, min_rest: timedelta) -> list[Violation]:
    """Flag each pair of shifts with less than ``min_rest`` between them (reg 10)."""
    found = []
    for own in _by_person(shifts).values():
        for before, after in zip(own, own[1:], strict=False):
            gap = after.start - before.end
            if gap >= min_rest:
                continue
            if gap < timedelta(0):
                text = _(
                    "%(person)s's %(before)s on %(day)s overlaps the %(after)s on %(next)s."
                ) % {
                    "person": after.person,
                    "before": before.name,
                    "day": _day(before.day),
                    "after": after.name,
                    "next": _day(after.day),
                }
            else:
                text = _(
                    "%(person)s has only %(gap)s rest between %(before)s on %(day)s and "
                    "%(after)s on %(next)s; the minimum is %(minimum)s."
                ) % {
                    "person": after.person,
                    "gap": _hm(gap),
                    "before": before.name,
                    "day": _day(before.day),
                    "after": after.name,
                    "next": _day(after.day),
                    "minimum": _hm(min_rest),
                }
            found.append(Violation("daily-rest", after.person_id, after.person, after.day, text))
    return found


def check_consecutive_days(
    shifts: Iterable[Shift], *, limits: dict[int | str, Limits]
) -> list[Violation]:
    """Flag the first day of each run of working days that goes past the person's limit."""
    found = []
    for person_id, own in _by_person(shifts).items():
        limit = limits.get(person_id, Limits()).max_consecutive_days
        if limit is None:
            continue
        days = sorted({s.day for s in own})
        run = 0
        for i, day in enumerate(days):
            run = run + 1 if i and days[i - 1] == day - timedelta(days=1) else 1
            if run == limit + 1:
                name = own[0].person
                found.append(
                    Violation(
                        "consecutive-days",
                        person_id,
                        name,
                        day,
                        _(
                            "%(name)s works %(day)s as day %(run)s in a row; "
                            "the contract allows at most %(limit)s."
                        )
                        % {"name": name, "day": _day(day), "run": run, "limit": limit},
                    )
                )
    return found


def check_nights(shifts: Iterable[Shift], *, limits: dict[int | str, Limits]) -> list[Violation]:
    return [
        Violation(
            "nights",
            s.person_id,
            s.person,
            s.day,
            _("%(name)s is on a %(shift)s night shift on %(day)s but does not work nights.")
            % {"name": s.person, "shift": s.name, "day": _day(s.day)},
        )
        for s in shifts
        if s.night and not limits.get(s.person_id, Limits()).nights_allowed
    ]


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=local_zone()).astimezone(UTC)


def _breaks(own: list[Shift], begins: datetime, ends: datetime) -> list[timedelta]:
    """Return the uninterrupted times off between ``begins`` and ``ends``, in order."""
    found, cursor = [], begins
    for s in own:
        if s.end <= begins or s.start >= ends:
            continue
        found.append(max(timedelta(0), s.start - cursor))
        cursor = max(cursor, s.end)
    found.append(ends - cursor)
    return found


def check_weekly_rest(
    shifts: Iterable[Shift],
    *,
    weekly_rest: timedelta,
    first: date,
    last: date,
    days: int = 7,
) -> list[Violation]:
    """Flag each block of ``days`` from ``first`` (up to ``last``) without its weekly rest (reg 11).

    With 7-day blocks that is one uninterrupted ``weekly_rest`` (reg 11(1)); with 14-day blocks,
    two of them or one twice as long (reg 11(2)(a) or (b); either meets the rule). Blocks are
    counted from the first day of the rota; a block that runs past ``last`` is still checked,
    as the shifts after the rota are not known yet and count as rest.
    """
    if days not in (7, 14):
        raise ValueError("Weekly rest is reckoned over 7 or 14 days.")
    found = []
    for own in _by_person(shifts).values():
        block = first
        while block <= last:
            begins, ends = _local_midnight(block), _local_midnight(block + timedelta(days=days))
            breaks = _breaks(own, begins, ends)
            longest = max(breaks)
            if days == 7:
                rested = longest >= weekly_rest
                wanted = _("no %(rest)s break") % {"rest": _hm(weekly_rest)}
            else:
                rested = longest >= 2 * weekly_rest or sum(b >= weekly_rest for b in breaks) >= 2
                wanted = _("neither two %(rest)s breaks nor one of %(double)s") % {
                    "rest": _hm(weekly_rest),
                    "double": _hm(2 * weekly_rest),
                }
            if not rested:
                name = own[0].person
                found.append(
                    Violation(
                        "weekly-rest",
                        own[0].person_id,
                        name,
                        block,
                        _(
                            "%(name)s has %(wanted)s in the %(days)s days from %(day)s; "
                            "the longest is %(longest)s."
                        )
                        % {
                            "name": name,
                            "wanted": wanted,
                            "days": days,
                            "day": _day(block),
                            "longest": _hm(longest),
                        },
                    )
                )
            block += timedelta(days=days)
    return found


def check_average_hours(
    shifts: Iterable[Shift],
    *,
    limits: dict[int | str, Limits],
    max_hours: int,
    reference_weeks: int,
    last: date,
) -> list[Violation]:
    """Flag anyone not opted out whose average week exceeds ``max_hours`` (reg 4).

    The average is over the ``reference_weeks`` ending on ``last``, or over the weeks since
    the person's first shift in that span if fewer (someone new is not averaged over weeks
    they were not here).
    """
    ends = _local_midnight(last + timedelta(days=1))
    begins = _local_midnight(last + timedelta(days=1) - timedelta(weeks=reference_weeks))
    found = []
    for person_id, own in _by_person(shifts).items():
        if limits.get(person_id, Limits()).opted_out_48h:
            continue
        inside = [s for s in own if s.end > begins and s.start < ends]
        if not inside:
            continue
        seconds = sum((min(s.end, ends) - max(s.start, begins)).total_seconds() for s in inside)
        first_day = inside[0].day
        weeks = min(reference_weeks, max(1, -(-((last - first_day).days + 1) // 7)))
        average = seconds / 3600 / weeks
        if average > max_hours:
            name = own[0].person
            found.append(
                Violation(
                    "average-hours",
                    person_id,
                    name,
                    last,
                    _(
                        "%(name)s averages %(average)s hours a week over %(weeks)s weeks to "
                        "%(day)s; the limit is %(limit)s unless they opt out in writing."
                    )
                    % {
                        "name": name,
                        "average": number_format(average, 1),
                        "weeks": weeks,
                        "day": _day(last),
                        "limit": max_hours,
                    },
                )
            )
    return found


def check_all(
    shifts: Iterable[Shift],
    *,
    rules: RuleSet,
    limits: dict[int | str, Limits],
    first: date,
    last: date,
) -> list[Violation]:
    """Check every rule; ``shifts`` may include earlier ones, violations are from ``first`` on."""
    shifts = list(shifts)
    in_period = [s for s in shifts if first <= s.day <= last]
    found = [
        *check_daily_rest(shifts, min_rest=rules.min_rest),
        *check_consecutive_days(shifts, limits=limits),
        *check_nights(in_period, limits=limits),
        *check_weekly_rest(
            in_period,
            weekly_rest=rules.weekly_rest,
            first=first,
            last=last,
            days=rules.weekly_rest_days,
        ),
        *check_average_hours(
            shifts,
            limits=limits,
            max_hours=rules.max_average_weekly_hours,
            reference_weeks=rules.reference_weeks,
            last=last,
        ),
    ]
    found = [v for v in found if first <= v.day <= last]
    return sorted(found, key=lambda v: (v.day, v.person, v.rule))


def rest_forbids(
    first_start: time, first_end: time, next_start: time, *, min_rest: timedelta
) -> bool:
    """Tell whether a shift ``first_start``–``first_end`` may not be followed next day by one
    starting at ``next_start`` (nominal times, the planner's forbidden sequences)."""
    end = first_end.hour * 60 + first_end.minute
    if first_end <= first_start:
        end += 24 * 60
    begin = 24 * 60 + next_start.hour * 60 + next_start.minute
    return begin - end < min_rest.total_seconds() / 60


def shifts_overlap_minutes(a: tuple[time, time], b: tuple[time, time]) -> int:
    """Return how many minutes two daily shift definitions overlap, on the same or next day."""

    def span(start: time, end: time, offset: int) -> tuple[int, int]:
        s = start.hour * 60 + start.minute + offset
        e = end.hour * 60 + end.minute + offset
        return s, e + 24 * 60 if end <= start else e

    a0, a1 = span(*a, 0)
    best = 0
    for offset in (-24 * 60, 0, 24 * 60):
        b0, b1 = span(*b, offset)
        best = max(best, min(a1, b1) - max(a0, b0))
    return best
