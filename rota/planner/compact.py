"""The compact CP-SAT model as one arm of the planner's portfolio, started from a roster.

On instances unlike the published ones (more people, shift types or days), CP-SAT's own
search on the whole compact model beats column generation at a minute (docs/benchmarks.md,
generated set), as long as building the model leaves it time. Hinting it with the roster
found so far means it starts where the other arms stopped, so it can only add rosters, and
every roster it finds is handed on at once, so a stop or a time-out keeps the best.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from .model import RosterModel
from .problem import Problem

Values = dict[tuple[int, int], int]

# Cells (people x shift types x days) up to which CP-SAT on the whole model gains fast from a
# roster; past it, building the model and presolve take most of a minute on two cores and
# the window search alone does better (measured on the generated set, docs/benchmarks.md).
MAX_CELLS = 120_000
WINDOWS_SHARE = 0.05  # of the time, for the window search's quick gains before CP-SAT
_HINT_SHARE = 0.2  # most of the arm's time that completing the hint may take


def windows_share(problem: Problem) -> float:
    """The share of the time the window search keeps before CP-SAT takes over (1 = all)."""
    cells = len(problem.staff) * len(problem.shifts) * problem.horizon
    return WINDOWS_SHARE if cells <= MAX_CELLS else 1.0


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Hand every improving roster to ``report`` while CP-SAT runs; stop when asked."""

    def __init__(self, rm: RosterModel, report: Callable[[Values], None], stop) -> None:
        super().__init__()
        self.rm, self.report, self.stop = rm, report, stop
        self.best: float | None = None

    def on_solution_callback(self) -> None:
        if self.stop is not None and self.stop.is_set():
            self.stop_search()
            return
        value = self.objective_value
        if self.best is not None and value >= self.best:
            return
        self.best = value
        self.report({(p, d): s for (p, d, s), v in self.rm.x.items() if self.boolean_value(v)})


def _complete_hint(rm: RosterModel, values: Values, *, limit: float, workers: int) -> None:
    """Hint every variable of the model, not only the roster's cells.

    CP-SAT drops a partial hint it cannot complete within a few conflicts (the cover slacks
    and block helpers are left open), and then starts from nothing; measured on the
    generated set, its first roster was then five times worse than the one it was given.
    Solving the model with the roster's cells fixed fills in the rest in about a second.
    """
    for (p, d, s), var in rm.x.items():
        rm.model.add_hint(var, values.get((p, d)) == s)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, limit)
    solver.parameters.num_workers = workers
    solver.parameters.fix_variables_to_their_hinted_value = True
    if solver.solve(rm.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return  # the partial hint stays: CP-SAT may still use part of it
    model = rm.model
    full = [model.get_int_var_from_proto_index(i) for i in range(len(model.proto.variables))]
    values_of = [solver.value(var) for var in full]
    model.clear_hints()
    for var, value in zip(full, values_of, strict=True):
        model.add_hint(var, value)


def run(
    problem: Problem,
    values: Values,
    *,
    deadline: float,
    workers: int,
    seed: int,
    stop: threading.Event | None,
    report: Callable[[Values], None],
) -> None:
    """Search the compact model from ``values`` until ``deadline`` or ``stop``."""
    rm = RosterModel(problem)
    _complete_hint(rm, values, limit=_HINT_SHARE * (deadline - time.monotonic()), workers=workers)
    limit = deadline - time.monotonic()
    if limit <= 0.5 or (stop is not None and stop.is_set()):
        return
    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.max_time_in_seconds = limit
    prm.num_workers = workers
    prm.random_seed = seed
    reporter = _Reporter(rm, report, stop)
    done = threading.Event()

    def watch() -> None:
        """A stop must end the search even while no better roster arrives."""
        while not done.is_set():
            if stop.wait(0.05):
                solver.stop_search()
                return

    watcher = threading.Thread(target=watch, daemon=True) if stop is not None else None
    if watcher is not None:
        watcher.start()
    solver.solve(rm.model, reporter)
    done.set()
    if watcher is not None:
        watcher.join()
