"""The generated set against the plain CP-SAT model: first legal roster, objective over time.

For each shape of ``generate.SET`` the planner runs once with the time limit, recording every
improvement it reports; then the plain compact model (``rota.planner.model.RosterModel``,
CP-SAT with no hint, building included in the same time) runs once. Every roster is scored
by the independent evaluator.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import time
from dataclasses import dataclass
from typing import TextIO

from ortools.sat.python import cp_model

from bench.doc import commit, cpu_model
from rota.planner import Assignment, Problem, Progress, evaluate, solve
from rota.planner.model import RosterModel

from .generate import SET, Shape, generate
from .reader import parse_instance

CHECKPOINTS = (10.0, 30.0, 60.0)


@dataclass(frozen=True)
class Row:
    shape: Shape
    first: float | None  # seconds to the first legal roster
    at: dict[float, int | None]  # the planner's best objective by each checkpoint
    final: int | None
    plain: int | None  # the plain CP-SAT model's objective at the time limit
    load: str  # the load average when the run ended


def _load() -> str:
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "-"


def plain_cp_sat(problem: Problem, *, time_limit: float, workers: int) -> int | None:
    """The compact model alone, the time to build it counted against the limit."""
    started = time.monotonic()
    rm = RosterModel(problem)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit - (time.monotonic() - started))
    solver.parameters.num_workers = workers
    status = solver.solve(rm.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    rows = [
        Assignment(problem.staff[p].id, d, rm.shift_ids[s])
        for (p, d, s), v in rm.x.items()
        if solver.boolean_value(v)
    ]
    ev = evaluate(problem, rows)
    return None if ev.violations else ev.objective


def run_shape(
    shape: Shape, *, time_limit: float, workers: int, plain: bool, log: TextIO = sys.stderr
) -> Row:
    problem = parse_instance(generate(shape))
    seen: list[Progress] = []
    started = time.monotonic()
    solution = solve(problem, time_limit=time_limit, workers=workers, on_progress=seen.append)
    ev = evaluate(problem, solution.rows()) if solution.feasible else None
    final = ev.objective if ev is not None and ev.feasible else None
    first = None
    for found in seen:
        rows = [Assignment(s, d, sh) for (s, d), sh in found.assignment.items()]
        if not evaluate(problem, rows).violations:
            first = found.elapsed
            break
    at = {
        c: min((f.objective for f in seen if f.elapsed <= c), default=None)
        for c in CHECKPOINTS
        if c <= time_limit
    }
    print(
        f"{shape.name}: first {first}s, {at}, final {final} ({time.monotonic() - started:.0f}s)",
        file=log,
        flush=True,
    )
    other = plain_cp_sat(problem, time_limit=time_limit, workers=workers) if plain else None
    print(f"{shape.name}: plain CP-SAT {other}", file=log, flush=True)
    return Row(shape, first, at, final, other, _load())


def markdown(rows: list[Row], *, command: str, time_limit: float) -> str:
    now = dt.datetime.now(dt.UTC)
    lines = [
        f"- Command: `{command}`",
        f"- Machine: {os.cpu_count()} cores, {platform.machine()}"
        f"{f' ({cpu})' if (cpu := cpu_model()) else ''}, Python {platform.python_version()}",
        f"- Date: {now:%Y-%m-%d %H:%M} UTC",
        f"- Commit: `{commit()}`",
        "- Every objective checked by `rota.planner.evaluate`; one run each; load = the 1, 5"
        " and 15 minute load averages as the row finished.",
        "",
        "| instance | people × types × days | first legal roster, s | at 10 s | at 30 s | at 60 s |"
        f" plain CP-SAT at {time_limit:g} s | planner ÷ plain | load |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]

    def num(x: int | None) -> str:
        return "-" if x is None else f"{x:,}"

    for r in rows:
        s = r.shape
        cells = [num(r.at.get(c)) if c <= time_limit else "not run" for c in CHECKPOINTS]
        cells[-1] = num(r.final) if time_limit >= CHECKPOINTS[-1] else cells[-1]
        ratio = f"{r.final / r.plain:.2f}" if r.final is not None and r.plain else "-"
        first = "-" if r.first is None else f"{r.first:.1f}"
        lines.append(
            f"| {s.name} | {s.people} × {s.shift_types} × {s.days} | {first} | "
            + " | ".join(cells)
            + f" | {num(r.plain)} | {ratio} | {r.load} |"
        )
    return "\n".join(lines) + "\n"


def run_set(names: list[str] | None, *, time_limit: float, workers: int, plain: bool) -> list[Row]:
    return [
        run_shape(shape, time_limit=time_limit, workers=workers, plain=plain)
        for shape in SET
        if not names or shape.name in names
    ]
