"""Make rostering instances in the published file format (``FORMAT.md``) at chosen sizes.

The published instances 1–12 stop at 60 people and 28 days; a team planning half a year or a
large staff bank needs more. ``generate`` writes the same sections with the same kind of rules
(per-type limits with 0 as a missing skill, minutes between a minimum and a maximum, blocks,
weekends, days off, weighted requests, cover at 100 under and 1 over), all drawn from one seed,
so a size is one line of parameters and the same parameters always give the same file.

Every person's own rules hold together by construction: the minimum minutes are at most half
of what their shortest allowed shift on five weekdays a week (or up to their per-type limits)
would give, so a legal roster always exists and only its cost is at stake.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

_LENGTHS = (480, 480, 600, 420, 540, 720)  # minutes, multiples of 60
_REST = 11 * 60  # minimum rest between shifts that forbids a next-day succession


@dataclass(frozen=True)
class Shape:
    """The parameters of one generated instance."""

    name: str
    people: int
    shift_types: int
    days: int  # a multiple of 7: day 0 is a Monday
    request_density: float = 0.15  # share of person-days with an on or off request
    seed: int = 1


# The fixed set reported in docs/benchmarks.md, from the problem sizes up to the
# largest the published family holds (150 people, 32 shift types, 364 days).
SET = (
    Shape("G1-40x28", 40, 5, 28),
    Shape("G2-120x28", 120, 18, 28),
    Shape("G3-40x84", 40, 5, 84),
    Shape("G4-45x84", 45, 6, 84),
    Shape("G5-50x182", 50, 8, 182),
    Shape("G6-100x182", 100, 16, 182),
    Shape("G7-80x364", 80, 12, 364),
    Shape("G8-150x364", 150, 32, 364),
)


def _shift_ids(n: int) -> list[str]:
    letters = [chr(ord("A") + i) for i in range(26)]
    return [letters[i] if i < 26 else f"{letters[i % 26]}{i // 26}" for i in range(n)]


def generate(shape: Shape) -> str:
    """Return the instance text for ``shape``; the same shape gives the same text."""
    if shape.days % 7:
        raise ValueError("days must be a multiple of 7")
    rng = random.Random(f"{shape.seed}:{shape.people}:{shape.shift_types}:{shape.days}")  # noqa: S311
    ids = _shift_ids(shape.shift_types)
    starts = {s: rng.choice((6, 7, 8, 10, 13, 14, 15, 21, 22)) * 60 for s in ids}
    lengths = {s: rng.choice(_LENGTHS) for s in ids}
    out = ["SECTION_HORIZON", str(shape.days), "", "SECTION_SHIFTS"]
    for s in ids:
        end = starts[s] + lengths[s]
        banned = [t for t in ids if starts[t] + 24 * 60 - end < _REST]
        out.append(f"{s},{lengths[s]},{'|'.join(banned)}")

    weeks = shape.days // 7
    out += ["", "SECTION_STAFF"]
    people = [f"P{i}" for i in range(shape.people)]
    allowed: dict[str, list[str]] = {}
    for pid in people:
        skills = [s for s in ids if rng.random() < 0.7] or [rng.choice(ids)]
        allowed[pid] = skills
        cap = {s: rng.randint(weeks, 5 * weeks) if s in skills else 0 for s in ids}
        caps = "|".join(f"{s}={cap[s]}" for s in ids)
        longest = max(lengths[s] for s in skills)
        shortest = min(lengths[s] for s in skills)
        share = rng.choice((1.0, 1.0, 0.8, 0.6))
        max_minutes = max(longest, 60 * round(share * 5 * weeks * longest / 60))
        most_shifts = min(5 * weeks, sum(cap.values()))
        min_minutes = 60 * math.floor(min(0.8 * max_minutes, 0.5 * most_shifts * shortest) / 60)
        max_consecutive = rng.choice((5, 5, 6))
        min_consecutive = rng.choice((1, 2, 2, 3))
        min_days_off = rng.choice((1, 2, 2))
        max_weekends = max(1, round(weeks * rng.choice((0.5, 0.5, 0.75))))
        out.append(
            f"{pid},{caps},{max_minutes},{min_minutes},{max_consecutive},{min_consecutive},"
            f"{min_days_off},{max_weekends}"
        )

    out += ["", "SECTION_DAYS_OFF"]
    for pid in people:
        off = sorted(rng.sample(range(shape.days), max(1, shape.days // 14)))
        out.append(",".join([pid, *map(str, off)]))

    out += ["", "SECTION_SHIFT_ON_REQUESTS"]
    on, off_requests = [], []
    for pid in people:
        for d in range(shape.days):
            if rng.random() < shape.request_density:
                s = rng.choice(allowed[pid])
                line = f"{pid},{d},{s},{rng.randint(1, 3)}"
                (on if rng.random() < 0.5 else off_requests).append(line)
    out += on
    out += ["", "SECTION_SHIFT_OFF_REQUESTS", *off_requests]

    # Cover: on weekdays about as many shifts as the team could work five days in seven, a
    # little more than their minutes allow, so some cover is always left short (as in the
    # published instances); spread over the types by how many people may work them, and
    # fewer at weekends.
    per_day = shape.people * 5 / 7 * rng.uniform(0.85, 1.0)
    holders = {s: sum(s in allowed[p] for p in people) for s in ids}
    total = sum(holders.values()) or 1
    out += ["", "SECTION_COVER"]
    for d in range(shape.days):
        weekend = d % 7 >= 5
        for s in ids:
            mean = per_day * holders[s] / total * (0.7 if weekend else 1.0)
            need = max(0, round(mean + rng.uniform(-0.3, 0.3) * mean))
            out.append(f"{d},{s},{need},100,1")
    return "\n".join(out) + "\n"


def shape_named(name: str) -> Shape:
    for shape in SET:
        if shape.name == name:
            return shape
    raise KeyError(name)
