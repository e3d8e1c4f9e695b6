"""Column generation: a tight lower bound and good whole-person schedules.

The compact model's LP is nearly useless here (a person can work 5/6 of every day), so
CP-SAT alone stalls. The set-partitioning LP, where each column is one person's complete
legal schedule, is much tighter. Columns are priced per person against the cover duals by
dynamic programming (``pricing.py``), with a small CP-SAT model where the DP cannot be exact;
a dive then fixes people one slice at a time (price-and-dive).

The master LP is built once and grown: new columns are added to the live GLOP model and
fixing a person only changes bounds, so each re-solve starts from the last basis. Measured
about ten times faster per round than rebuilding the LP.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable

import numpy as np
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from .model import RosterModel
from .pricing import PersonPricer, Schedule
from .problem import Problem

logger = logging.getLogger(__name__)

Forced = dict[int, dict[int, int | None]]  # person -> day -> shift index (None = off)
_SCALE = 1000
_ARTIFICIAL = 10**7
_TAIL = 0.003
_SMOOTH = 0.5  # weight of the best duals so far in the duals a pricing round uses


class ColumnGeneration:
    def __init__(self, problem: Problem, rm: RosterModel) -> None:
        self.problem, self.rm = problem, rm
        self.n = len(problem.staff)
        p_index = {s.id: i for i, s in enumerate(problem.staff)}
        self.on_const = [0] * self.n
        self.req: dict[tuple[int, int, int], int] = {}  # cost added when (p, d, s) is worked
        for r in problem.requests:
            p, s = p_index.get(r.staff), rm.s_index.get(r.shift)
            if p is None or s is None:
                continue
            key = (p, r.day, s)
            if r.on:
                self.on_const[p] += r.weight
                self.req[key] = self.req.get(key, 0) - r.weight
            else:
                self.req[key] = self.req.get(key, 0) + r.weight
        self.lines = [c for c in problem.cover if c.shift in rm.s_index]
        self.worst = max((c.under_weight for c in self.lines), default=1)
        # hits[p][(d, s)]: the cover lines that count p working shift s on day d
        self.hits: list[dict[tuple[int, int], list[int]]] = [{} for _ in range(self.n)]
        for i, c in enumerate(self.lines):
            key = (c.day, rm.s_index[c.shift])
            for p, person in enumerate(problem.staff):
                if c.counts(person):
                    self.hits[p].setdefault(key, []).append(i)
        self.pricers = [RosterModel(problem, people=[p], soft=False) for p in range(self.n)]
        self.dp = [
            PersonPricer(problem, p, {(d, s) for _, d, s in self.pricers[p].x})
            for p in range(self.n)
        ]
        # The DP's cell costs: the requests' part, and which cover line each cell counts on.
        shape = (problem.horizon, len(rm.shift_ids))
        self._base = [np.zeros(shape) for _ in range(self.n)]
        for (p, d, s), c in self.req.items():
            if d < problem.horizon:
                self._base[p][d, s] = c
        self._cell_lines = []
        for p in range(self.n):
            pairs = [(d * shape[1] + s, i) for (d, s), lines in self.hits[p].items() for i in lines]
            self._cell_lines.append(np.array(pairs, dtype=np.int64).reshape(-1, 2))
        self.lower_bound: float | None = None
        self.stats: list[tuple[float, bool]] = []
        self.forced: Forced = {}
        self.infeasible: set[int] = set()
        self.started = time.monotonic()
        self.lambdas: dict[tuple[int, Schedule], float] = {}
        self.lp_value = math.inf
        self.duals: list[float] = []
        self.converged = False
        self._build_master()

    def _build_master(self) -> None:
        lp = pywraplp.Solver.CreateSolver("GLOP")
        self._lp, self._obj = lp, lp.Objective()
        self._obj.SetMinimization()
        self._conv = []
        for _ in range(self.n):
            row = lp.Add(lp.Sum([]) == 1)
            art = lp.NumVar(0, 1, "")  # keeps the LP feasible whatever is fixed
            row.SetCoefficient(art, 1)
            self._obj.SetCoefficient(art, _ARTIFICIAL)
            self._conv.append(row)
        self._rows = []
        for c in self.lines:
            u = lp.NumVar(0, c.target, "")
            o = lp.NumVar(0, lp.infinity(), "")
            row = lp.Add(u - o == c.target)
            self._obj.SetCoefficient(u, c.under_weight)
            self._obj.SetCoefficient(o, c.over_weight)
            self._rows.append(row)
        self.columns: list[dict[Schedule, pywraplp.Variable]] = [{} for _ in range(self.n)]

    def cost(self, p: int, sched: Schedule) -> int:
        return self.on_const[p] + sum(self.req.get((p, d, s), 0) for d, s in sched)

    def add(self, p: int, sched: Schedule) -> bool:
        if sched in self.columns[p]:
            return False
        lam = self._lp.NumVar(0, 1 if self._agrees(p, sched) else 0, "")
        self._conv[p].SetCoefficient(lam, 1)
        hits = self.hits[p]
        for ds in sched:
            for i in hits.get(ds, ()):
                self._rows[i].SetCoefficient(lam, 1)
        self._obj.SetCoefficient(lam, self.cost(p, sched))
        self.columns[p][sched] = lam
        return True

    def add_roster(self, values: dict[tuple[int, int], int]) -> None:
        per: list[list[tuple[int, int]]] = [[] for _ in range(self.n)]
        for (p, d), s in values.items():
            per[p].append((d, s))
        for p in range(self.n):
            self.add(p, tuple(sorted(per[p])))

    def _agrees(self, p: int, sched: Schedule) -> bool:
        forced = self.forced.get(p)
        if not forced:
            return True
        worked = dict(sched)
        return all(worked.get(d) == s for d, s in forced.items())

    def force(self, p: int, day: int, shift: int | None) -> None:
        """Fix one cell of ``p``'s schedule (``None`` = off) in the master and the pricer.

        Only bounds and domains change, so the LP basis survives and release() undoes it.
        """
        self.forced.setdefault(p, {})[day] = shift
        for sched, lam in self.columns[p].items():
            if lam.ub() > 0 and dict(sched).get(day) != shift:
                lam.SetUb(0)
        pricer = self.pricers[p]
        for t in range(len(self.rm.shift_ids)):
            v = pricer.x.get((p, day, t))
            if v is not None:
                dom = pricer.model.proto.variables[v.index].domain
                dom[0] = dom[1] = int(t == shift)

    def release(self, cells: list[tuple[int, int]] | None = None) -> None:
        """Undo forcings: the given (person, day) cells, or all of them."""
        if cells is None:
            cells = [(p, d) for p, days in self.forced.items() for d in days]
        touched = set()
        for p, day in cells:
            del self.forced[p][day]
            touched.add(p)
            pricer = self.pricers[p]
            for t in range(len(self.rm.shift_ids)):
                v = pricer.x.get((p, day, t))
                if v is not None:
                    dom = pricer.model.proto.variables[v.index].domain
                    dom[0], dom[1] = 0, 1
        for p in touched:
            if not self.forced[p]:
                del self.forced[p]
            for sched, lam in self.columns[p].items():
                lam.SetUb(1 if self._agrees(p, sched) else 0)

    def solve_lp(self) -> tuple[float, list[float], list[float]]:
        if self._lp.Solve() != pywraplp.Solver.OPTIMAL:
            # GLOP's warm start has been seen to give up (ABNORMAL) after many bound changes,
            # and then to stay broken; the same LP built afresh solves.
            self._rebuild()
            if self._lp.Solve() != pywraplp.Solver.OPTIMAL:
                raise RuntimeError("the master LP could not be solved")
        self.lambdas = {
            (p, sched): lam.solution_value()
            for p in range(self.n)
            for sched, lam in self.columns[p].items()
        }
        self.lp_value = self._obj.Value()
        self.duals = [r.dual_value() for r in self._rows]
        return self.lp_value, [c.dual_value() for c in self._conv], self.duals

    def _rebuild(self) -> None:
        kept = [list(columns) for columns in self.columns]
        self._build_master()
        for p, schedules in enumerate(kept):
            for sched in schedules:
                self.add(p, sched)

    def leads(self) -> dict[int, tuple[float, Schedule]]:
        """Return each person's schedule with the largest LP weight among those that agree
        with what is forced, and that weight (0 when the LP uses none of them)."""
        lead: dict[int, tuple[float, Schedule]] = {}
        for (p, sched), lam in self.lambdas.items():
            if lam > lead.get(p, (-1.0, ()))[0] and self._agrees(p, sched):
                lead[p] = (lam, sched)
        return lead

    def worth(self, p: int, sched: Schedule, duals: list[float] | None = None) -> float:
        """What ``sched`` covers, valued at ``duals`` (by default the LP's current ones)."""
        mu = self._dual_at(p, self.duals if duals is None else duals)
        return sum(mu.get(ds, 0.0) for ds in sched)

    def _dual_at(self, p: int, duals: list[float]) -> dict[tuple[int, int], float]:
        return {ds: sum(duals[i] for i in lines) for ds, lines in self.hits[p].items()}

    def _price(
        self, p: int, duals: list[float], limit: float, seed: int
    ) -> tuple[list[Schedule], float | None]:
        """Return schedules of ``p`` found against the cover duals and a lower bound on
        min(cost - duals . coverage) over all of ``p``'s legal schedules."""
        if not self.dp[p].usable:
            return self._price_cp(p, duals, limit, seed)
        t = time.monotonic()
        base = self._base[p]
        pairs = self._cell_lines[p]
        paid = np.bincount(pairs[:, 0], weights=np.asarray(duals)[pairs[:, 1]], minlength=base.size)
        priced = self.dp[p].solve(base - paid.reshape(base.shape), self.forced.get(p))
        if priced is None:
            self.infeasible.add(p)
            return [], None
        if priced.exact:
            self.stats.append((time.monotonic() - t, True))
            return priced.schedules, priced.bound + self.on_const[p]
        return self._price_cp(p, duals, limit, seed)

    def _price_cp(
        self, p: int, duals: list[float], limit: float, seed: int
    ) -> tuple[list[Schedule], float | None]:
        """CP-SAT pricing, for when a shift-type limit left out of the DP binds."""
        pr = self.pricers[p]
        mu = self._dual_at(p, duals)
        terms = []
        for (pp, d, s), v in pr.x.items():
            coef = self.req.get((pp, d, s), 0) - mu.get((d, s), 0.0)
            c = round(coef * _SCALE)
            if c:
                terms.append(c * v)
        pr.model.minimize(sum(terms))
        found: list[Schedule] = []
        xs = list(pr.x.items())

        class Collect(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self) -> None:
                found.append(tuple(sorted((d, s) for (_, d, s), v in xs if self.boolean_value(v))))

        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = limit
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.linearization_level = 2
        status = solver.solve(pr.model, Collect())
        self.stats.append((solver.wall_time, status == cp_model.OPTIMAL))
        if status == cp_model.INFEASIBLE:
            self.infeasible.add(p)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return [], None
        # Rounded coefficients: allow their worst-case error in the bound.
        slack = len(terms) * 0.5 / _SCALE
        return found[-5:], solver.best_objective_bound / _SCALE + self.on_const[p] - slack

    def _log_round(self, value: float, added: int, lp_seconds: float, price_seconds: float) -> None:
        """Log a pricing round's statistics at debug level, then start the next round's."""
        st, self.stats = self.stats, []
        logger.debug(
            "CG lp=%.1f added=%d priced=%d opt=%d t=%.1f lp_t=%.2f price_wall=%.2f lb=%s",
            value,
            added,
            len(st),
            sum(o for _, o in st),
            sum(w for w, _ in st),
            lp_seconds,
            price_seconds,
            self.lower_bound,
        )

    def _lagrangian(self, duals: list[float], mins: list[float]) -> float:
        """Lagrangian bound of the cover rows at ``duals``, valid for any duals."""
        total = sum(mins)
        for c, mu in zip(self.lines, duals, strict=True):
            if mu < -c.over_weight - 1e-9:
                return -math.inf  # surplus would pay: unbounded below
            total += mu * c.target + min(0.0, (c.under_weight - mu) * c.target)
        return total

    def run(
        self,
        *,
        deadline: float,
        workers: int,
        stop: threading.Event | None = None,
        max_rounds: int | None = None,
    ) -> float:
        """Generate columns until no person has an improving schedule or time runs out."""
        price_limit = 0.15
        horizon = self.problem.horizon
        rounds = 0
        history: list[float] = []
        # Dual smoothing (Wentges): price at a mix of this LP's duals and the duals that gave
        # the best Lagrangian bound. The master is degenerate and its duals swing; smoothed
        # duals reached a lower LP in the same time on the largest instance.
        center: list[float] | None = None
        center_bound = -math.inf
        misprice = False
        while time.monotonic() < deadline and not (stop is not None and stop.is_set()):
            rounds += 1
            if max_rounds is not None and rounds > max_rounds:
                break
            t_lp = time.monotonic()
            value, pi, lp_duals = self.solve_lp()
            t_lp = time.monotonic() - t_lp
            a = 0.0 if misprice or center is None or self.forced else _SMOOTH
            duals = (
                [a * c + (1 - a) * d for c, d in zip(center, lp_duals, strict=True)]
                if a
                else lp_duals
            )
            t_pr = time.monotonic()
            mins: list[float | None] = [None] * self.n
            found: list[tuple[int, Schedule]] = []
            lock = threading.Lock()
            # A person fixed on every day has one schedule left, already a column.
            order = [p for p in range(self.n) if len(self.forced.get(p, ())) < horizon]
            nxt = [0]

            def work(  # defaults bind this round's state (ruff B023)
                tid: int,
                pi: list = pi,
                duals: list = duals,
                lp_duals: list = lp_duals,
                lock: threading.Lock = lock,
                order: list = order,
                nxt: list = nxt,
                mins: list = mins,
                found: list = found,
            ) -> None:
                while time.monotonic() < deadline:
                    with lock:
                        if nxt[0] >= len(order):
                            return
                        p = order[nxt[0]]
                        nxt[0] += 1
                    scheds, low = self._price(p, duals, price_limit, tid)
                    improving = [
                        sched
                        for sched in scheds
                        if self.cost(p, sched) - self.worth(p, sched, lp_duals) - pi[p] < -1e-6
                    ]
                    with lock:
                        mins[p] = low
                        found.extend((p, sched) for sched in improving)

            threads = [threading.Thread(target=work, args=(i,)) for i in range(max(1, workers))]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            added = sum(self.add(p, sched) for p, sched in found)
            if not self.forced and all(m is not None for m in mins):
                lagrange = self._lagrangian(duals, [m for m in mins if m is not None])
                if self.lower_bound is None or lagrange > self.lower_bound:
                    self.lower_bound = lagrange
                if lagrange > center_bound:
                    center_bound, center = lagrange, duals
            self._log_round(value, added, t_lp, time.monotonic() - t_pr)
            if self.infeasible:
                break
            if added == 0 and a:
                misprice = True  # nothing found at the mixed duals: price at the LP's own
                continue
            misprice = False
            if added == 0:
                self.converged = True
                break
            history.append(value)
            # The tail of column generation creeps; a near-converged LP is enough to dive.
            if len(history) > 4 and history[-5] - value < _TAIL * max(1.0, abs(value)):
                self.converged = True
                break
        return self.solve_lp()[0]

    def lp_cells(self) -> tuple[dict[tuple[int, int, int], float], dict[tuple[int, int], float]]:
        """Return the LP's x[p, d, s] and its work[p, d] (sum over shifts)."""
        x: dict[tuple[int, int, int], float] = {}
        work: dict[tuple[int, int], float] = {}
        for (p, sched), lam in self.lambdas.items():
            if lam > 1e-9:
                for d, s in sched:
                    x[p, d, s] = x.get((p, d, s), 0.0) + lam
                    work[p, d] = work.get((p, d), 0.0) + lam
        return x, work

    def integer_master(
        self,
        *,
        limit: float,
        workers: int,
        hint: dict[tuple[int, int], int] | None,
        stop: threading.Event | None,
        run: Callable,
    ) -> tuple[dict[tuple[int, int], int], int] | None:
        """Pick one generated schedule per person (agreeing with the forced cells) with CP-SAT."""
        m = cp_model.CpModel()
        count: list[list] = [[] for _ in self.lines]
        choice: list[list[tuple[cp_model.IntVar, Schedule]]] = []
        obj = []
        hint_sched = None
        if hint is not None:
            per: list[list[tuple[int, int]]] = [[] for _ in range(self.n)]
            for (p, d), s in hint.items():
                per[p].append((d, s))
            hint_sched = [tuple(sorted(x)) for x in per]
        for p in range(self.n):
            opts = []
            pool = {c for c in self.columns[p] if self._agrees(p, c)}
            if hint_sched is not None:
                pool.add(hint_sched[p])
            hits = self.hits[p]
            for sched in sorted(pool):
                b = m.new_bool_var("")
                opts.append((b, sched))
                obj.append(self.cost(p, sched) * b)
                for ds in sched:
                    for i in hits.get(ds, ()):
                        count[i].append(b)
                if hint_sched is not None:
                    m.add_hint(b, sched == hint_sched[p])
            m.add_exactly_one(b for b, _ in opts)
            choice.append(opts)
        for c, vs in zip(self.lines, count, strict=True):
            u = m.new_int_var(0, c.target, "")
            o = m.new_int_var(0, max(0, len(vs)), "")
            m.add(sum(vs) + u - o == c.target)
            obj.append(c.under_weight * u + c.over_weight * o)
        m.minimize(sum(obj))
        solver, status = run(m, limit=limit, workers=workers, seed=0, stop=stop)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        values = {}
        for p, opts in enumerate(choice):
            for b, sched in opts:
                if solver.boolean_value(b):
                    for d, s in sched:
                        values[p, d] = s
        return values, round(solver.objective_value)
