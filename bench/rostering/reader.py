"""Read the Curtois & Qu instance format (see FORMAT.md) into a planner Problem."""

from __future__ import annotations

import csv
from pathlib import Path

from rota.planner.problem import (
    Assignment,
    Cover,
    Problem,
    Request,
    ShiftType,
    StaffMember,
)

SECTIONS = {
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
}


class FormatError(ValueError):
    pass


def parse_instance(text: str) -> Problem:
    lines: dict[str, list[list[str]]] = {name: [] for name in SECTIONS}
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line in SECTIONS:
            section = line
            continue
        if section is None:
            raise FormatError(f"data before any section: {line!r}")
        lines[section].append([f.strip() for f in line.split(",")])

    horizon = int(lines["SECTION_HORIZON"][0][0])
    shifts = tuple(
        ShiftType(
            id=f[0],
            minutes=int(f[1]),
            forbidden_next=frozenset(x for x in (f[2].split("|") if len(f) > 2 else []) if x),
        )
        for f in lines["SECTION_SHIFTS"]
    )
    days_off = {f[0]: frozenset(int(d) for d in f[1:] if d) for f in lines["SECTION_DAYS_OFF"]}
    staff = []
    for f in lines["SECTION_STAFF"]:
        max_shifts = {}
        for pair in filter(None, f[1].split("|")):
            sid, n = pair.split("=")
            max_shifts[sid] = int(n)
        staff.append(
            StaffMember(
                id=f[0],
                max_shifts=max_shifts,
                max_minutes=int(f[2]),
                min_minutes=int(f[3]),
                max_consecutive=int(f[4]),
                min_consecutive=int(f[5]),
                min_days_off=int(f[6]),
                max_weekends=int(f[7]),
                days_off=days_off.get(f[0], frozenset()),
            )
        )
    requests = [
        Request(f[0], int(f[1]), f[2], int(f[3]), on=True)
        for f in lines["SECTION_SHIFT_ON_REQUESTS"]
    ] + [
        Request(f[0], int(f[1]), f[2], int(f[3]), on=False)
        for f in lines["SECTION_SHIFT_OFF_REQUESTS"]
    ]
    cover = tuple(
        Cover(int(f[0]), f[1], int(f[2]), int(f[3]), int(f[4])) for f in lines["SECTION_COVER"]
    )
    return Problem(
        horizon=horizon, shifts=shifts, staff=tuple(staff), cover=cover, requests=tuple(requests)
    )


def read_instance(path: str | Path) -> Problem:
    return parse_instance(Path(path).read_text())


def read_roster(path: str | Path, problem: Problem) -> list[Assignment]:
    """Read ``staff_id,day_index,shift_id`` rows; raise FormatError on unknown ids or days."""
    staff = {s.id for s in problem.staff}
    shifts = {s.id for s in problem.shifts}
    rows = []
    with open(path, newline="") as fh:
        for i, row in enumerate(csv.reader(fh)):
            if not row or (i == 0 and row == ["staff_id", "day_index", "shift_id"]):
                continue
            if len(row) != 3:
                raise FormatError(f"line {i + 1}: expected 3 fields, got {row!r}")
            sid, day_text, shift = (x.strip() for x in row)
            try:
                day = int(day_text)
            except ValueError as exc:
                raise FormatError(f"line {i + 1}: bad day {day_text!r}") from exc
            if sid not in staff or shift not in shifts or not 0 <= day < problem.horizon:
                raise FormatError(f"line {i + 1}: unknown staff, shift or day in {row!r}")
            rows.append(Assignment(sid, day, shift))
    return rows


def write_roster(path: str | Path, assignments: list[Assignment]) -> None:
    with open(path, "w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["staff_id", "day_index", "shift_id"])
        for a in sorted(assignments, key=lambda a: (a.staff, a.day)):
            out.writerow([a.staff, a.day, a.shift])
