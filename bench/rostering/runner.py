"""Solve, evaluate and benchmark instances; the CLI in ``__main__`` is a thin shell over this."""

from __future__ import annotations

import csv
import datetime as dt
import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bench.doc import commit, cpu_model
from rota.planner import Progress, evaluate, solve

from .reader import read_instance, write_roster

# The published instances live in the shared folder beside the checkout (../shared).
SHARED = Path(
    os.environ.get(
        "ROSTERING_BENCH_DIR",
        Path(__file__).resolve().parents[2].parent / "shared" / "bench" / "rostering",
    )
)


@dataclass(frozen=True)
class Result:
    instance: str
    objective: int | None
    best_known: int | None
    seconds: float
    feasible: bool

    @property
    def gap(self) -> float | None:
        if self.objective is None or not self.best_known:
            return None
        return 100.0 * (self.objective - self.best_known) / self.best_known


def best_known(path: Path = SHARED / "best_known.csv") -> dict[str, int]:
    if not path.exists():
        return {}
    with open(path, newline="") as fh:
        return {row["instance"]: int(row["best_known_objective"]) for row in csv.DictReader(fh)}


def parse_range(text: str) -> list[int]:
    """Turn ``1-4,7`` into ``[1, 2, 3, 4, 7]``."""
    out: list[int] = []
    for part in filter(None, text.split(",")):
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


def solve_file(
    instance: Path, *, time_limit: float, workers: int, out: Path | None, log: TextIO = sys.stderr
) -> Result:
    problem = read_instance(instance)
    started = time.monotonic()

    def progress(found: Progress) -> None:
        print(
            f"  {instance.stem}: {found.objective} after {found.elapsed:.1f}s", file=log, flush=True
        )

    solution = solve(problem, time_limit=time_limit, workers=workers, on_progress=progress)
    seconds = time.monotonic() - started
    if out is not None and solution.feasible:
        write_roster(out, solution.rows())
    # Score with the independent evaluator, not the solver's own number.
    ev = evaluate(problem, solution.rows()) if solution.feasible else None
    return Result(
        instance=instance.stem,
        objective=ev.objective if ev else None,
        best_known=best_known().get(instance.stem),
        seconds=seconds,
        feasible=bool(ev and ev.feasible),
    )


def run_all(
    numbers: list[int],
    *,
    time_limit: float,
    workers: int,
    instances_dir: Path = SHARED / "instances",
    log: TextIO = sys.stderr,
) -> list[Result]:
    results = []
    for i, n in enumerate(numbers, 1):
        path = instances_dir / f"Instance{n}.txt"
        print(f"[{i}/{len(numbers)}] {path.stem} ...", file=log, flush=True)
        r = solve_file(path, time_limit=time_limit, workers=workers, out=None, log=log)
        gap = f"{r.gap:.2f}%" if r.gap is not None else "-"
        print(
            f"[{i}/{len(numbers)}] {r.instance}: {r.objective} (best {r.best_known}, gap {gap}, "
            f"{r.seconds:.1f}s, {'feasible' if r.feasible else 'INFEASIBLE'})",
            file=log,
            flush=True,
        )
        results.append(r)
    return results


def markdown(results: list[Result], *, command: str, now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    lines = [
        f"- Command: `{command}`",
        f"- Machine: {os.cpu_count()} cores, {platform.machine()}"
        f"{f' ({cpu})' if (cpu := cpu_model()) else ''}, Python {platform.python_version()}",
        f"- Date: {now:%Y-%m-%d %H:%M} UTC",
        f"- Commit: `{commit()}`",
        "- Objective checked by `rota.planner.evaluate`, independent of the solver.",
        "- Target: every instance feasible; gap ≤ 1 % on instances 1–8 and ≤ 5 % on 9–12.",
        "",
        "| instance | objective | best known | gap % | seconds | feasible |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r in results:
        gap = f"{r.gap:.2f}" if r.gap is not None else "-"
        obj = "-" if r.objective is None else str(r.objective)
        best = "-" if r.best_known is None else str(r.best_known)
        lines.append(
            f"| {r.instance} | {obj} | {best} | {gap} | {r.seconds:.1f} | "
            f"{'yes' if r.feasible else 'no'} |"
        )
    return "\n".join(lines) + "\n"
