"""Column generation: a tight lower bound and good whole-person schedules.

The compact model's LP is nearly useless here (a person can work 5/6 of every day), so
CP-SAT alone stalls. The set-partitioning LP, where each column is one person's complete
legal schedule, is much tighter. Columns are priced per person with a small CP-SAT model
against the cover duals; then CP-SAT picks one column per person (price-and-branch).
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from .model import RosterModel
from .problem import Problem

Schedule = tuple[tuple[int, int], ...]  # sorted (day, shift index) pairs worked
_SCALE = 1000
_ARTIFICIAL = 10**7
_TAIL = 0.003
_ALPHA = 0.0  # Wentges smoothing; measured slower here, so off by default
_DEBUG = bool(os.environ.get("PLANNER_DEBUG"))


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
        self.cover = {
            (c.day, rm.s_index[c.shift]): c for c in problem.cover if c.shift in rm.s_index
        }
        self.columns: list[set[Schedule]] = [set() for _ in range(self.n)]
        self.pricers = [RosterModel(problem, people=[p], soft=False) for p in range(self.n)]
        self.lower_bound: float | None = None
        self.stats: list[tuple[float, bool]] = []
        self.fixed: dict[int, Schedule] = {}
        self.infeasible: set[int] = set()
        self.started = time.monotonic()
        self.lambdas: dict[tuple[int, Schedule], float] = {}
        self.lp_value = math.inf
        self.converged = False

    def cost(self, p: int, sched: Schedule) -> int:
        return self.on_const[p] + sum(self.req.get((p, d, s), 0) for d, s in sched)

    def add(self, p: int, sched: Schedule) -> bool:
        if sched in self.columns[p]:
            return False
        self.columns[p].add(sched)
        return True

    def add_roster(self, values: dict[tuple[int, int], int]) -> None:
        per: list[list[tuple[int, int]]] = [[] for _ in range(self.n)]
        for (p, d), s in values.items():
            per[p].append((d, s))
        for p in range(self.n):
            self.add(p, tuple(sorted(per[p])))

    def _solve_lp(self) -> tuple[float, list[float], dict[tuple[int, int], float]]:
        lp = pywraplp.Solver.CreateSolver("GLOP")
        conv = [lp.Add(lp.Sum([]) == 1) for _ in range(self.n)]
        self.lambdas: dict[tuple[int, Schedule], float] = {}
        lam_vars = []
        rows = {}
        obj = []
        for key, c in self.cover.items():
            u = lp.NumVar(0, c.target, "")
            o = lp.NumVar(0, lp.infinity(), "")
            row = lp.Add(u - o == c.target)
            rows[key] = row
            obj.append(c.under_weight * u + c.over_weight * o)
        for p in range(self.n):
            if not self.columns[p]:
                art = lp.NumVar(0, 1, "")  # keeps the LP feasible before p has a column
                conv[p].SetCoefficient(art, 1)
                obj.append(_ARTIFICIAL * art)
            pool = [self.fixed[p]] if p in self.fixed else self.columns[p]
            for sched in pool:
                lam = lp.NumVar(0, 1, "")
                lam_vars.append((p, sched, lam))
                conv[p].SetCoefficient(lam, 1)
                for ds in sched:
                    if ds in rows:
                        rows[ds].SetCoefficient(lam, 1)
                obj.append(self.cost(p, sched) * lam)
        lp.Minimize(lp.Sum(obj))
        lp.Solve()
        self.lambdas = {(p, sched): v.solution_value() for p, sched, v in lam_vars}
        self.lp_value = lp.Objective().Value()
        return (
            lp.Objective().Value(),
            [c.dual_value() for c in conv],
            {k: r.dual_value() for k, r in rows.items()},
        )

    def _price(
        self, p: int, mu: dict[tuple[int, int], float], limit: float, seed: int
    ) -> tuple[list[Schedule], float | None]:
        """Return schedules of ``p`` found against duals ``mu`` and a lower bound on
        min(cost - mu . coverage) over all of ``p``'s legal schedules."""
        pr = self.pricers[p]
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

    def run(
        self,
        *,
        deadline: float,
        workers: int,
        stop: threading.Event | None = None,
        max_rounds: int | None = None,
    ) -> float:
        """Generate columns until no person has an improving schedule or time runs out.

        Duals are smoothed towards the best Lagrangian point found (Wentges), which cuts
        the oscillation that makes plain column generation crawl; a round that finds
        nothing at smoothed duals is repeated at the true ones before stopping.
        """
        price_limit = 0.15
        rounds = 0
        history: list[float] = []
        center: dict[tuple[int, int], float] | None = None
        best_l = -math.inf
        alpha = _ALPHA
        while time.monotonic() < deadline and not (stop is not None and stop.is_set()):
            rounds += 1
            if max_rounds is not None and rounds > max_rounds:
                break
            t_lp = time.monotonic()
            value, pi, mu = self._solve_lp()
            t_lp = time.monotonic() - t_lp
            t_pr = time.monotonic()
            if center is not None and alpha > 0:
                mu_p = {k: alpha * center.get(k, 0.0) + (1 - alpha) * v for k, v in mu.items()}
            else:
                mu_p = mu
            mins: list[float | None] = [None] * self.n
            added = [0]
            lock = threading.Lock()
            order = [p for p in range(self.n) if p not in self.fixed]
            nxt = [0]

            def work(  # defaults bind this round's state (ruff B023)
                tid: int,
                mu_p: dict = mu_p,
                pi: list = pi,
                mu: dict = mu,
                lock: threading.Lock = lock,
                order: list = order,
                nxt: list = nxt,
                mins: list = mins,
                added: list = added,
            ) -> None:
                while time.monotonic() < deadline:
                    with lock:
                        if nxt[0] >= len(order):
                            return
                        p = order[nxt[0]]
                        nxt[0] += 1
                    scheds, low = self._price(p, mu_p, price_limit, tid)
                    with lock:
                        mins[p] = low
                        for sched in scheds:
                            rc = self.cost(p, sched) - sum(mu.get(ds, 0.0) for ds in sched) - pi[p]
                            if rc < -1e-6:
                                added[0] += self.add(p, sched)

            threads = [threading.Thread(target=work, args=(i,)) for i in range(max(1, workers))]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            if not self.fixed and all(m is not None for m in mins):
                lagrange = sum(mu_p[k] * c.target for k, c in self.cover.items()) + sum(
                    m for m in mins if m is not None
                )
                if lagrange > best_l:
                    best_l, center = lagrange, dict(mu_p)
                    if self.lower_bound is None or lagrange > self.lower_bound:
                        self.lower_bound = lagrange
            elif center is None:
                center = dict(mu)
            if _DEBUG:
                st = self.stats
                print(
                    f"CG lp={value:.1f} added={added[0]} priced={len(st)} "
                    f"opt={sum(o for _, o in st)} t={sum(w for w, _ in st):.1f} "
                    f"lp_t={t_lp:.2f} price_wall={time.monotonic() - t_pr:.2f} "
                    f"lb={self.lower_bound} a={alpha}"
                )
                self.stats = []
            if self.infeasible:
                break
            if added[0] == 0:
                if mu_p is mu:
                    self.converged = True
                    break
                alpha = 0.0  # mis-pricing: check the true duals before stopping
                continue
            alpha = _ALPHA if not self.fixed else 0.0
            history.append(value)
            # The tail of column generation creeps; a near-converged LP is enough to dive.
            if len(history) > 4 and history[-5] - value < _TAIL * max(1.0, abs(value)):
                self.converged = True
                break
        return self._solve_lp()[0]

    def dive(
        self,
        *,
        deadline: float,
        workers: int,
        stop: threading.Event | None = None,
        finish: Callable[[dict[int, Schedule], dict[int, Schedule], float], dict | None],
    ) -> dict[tuple[int, int], int]:
        """Round the LP by fixing the most-chosen schedules, re-pricing the rest each step.

        Fixing the last few people greedily is where dives go wrong, so once few are left
        (or time is short) ``finish(fixed, suggested, seconds)`` solves the rest exactly.
        """
        self.fixed = {}
        values: dict[tuple[int, int], int] | None = None
        step = 0.1
        while len(self.fixed) < self.n:
            free = [p for p in range(self.n) if p not in self.fixed]
            best_of: dict[int, tuple[float, Schedule]] = {}
            for (p, sched), v in self.lambdas.items():
                if p not in self.fixed and (p not in best_of or v > best_of[p][0]):
                    best_of[p] = (v, sched)
            for p in free:
                if p not in best_of and self.columns[p]:
                    best_of[p] = (0.0, min(self.columns[p], key=lambda c, p=p: self.cost(p, c)))
            if len(best_of) < len(free):
                break
            left = deadline - time.monotonic()
            if len(free) <= max(4, self.n // 4) or left < 0.1 * (deadline - self.started):
                suggested = {p: best_of[p][1] for p in free}
                values = finish(dict(self.fixed), suggested, max(1.0, left))
                break
            ranked = sorted(free, key=lambda p: -best_of[p][0])
            count = max(1, round(len(free) * step))
            for i, p in enumerate(ranked):
                if best_of[p][0] >= 0.9 or i < count:
                    self.fixed[p] = best_of[p][1]
            before = self.lp_value
            self.run(deadline=deadline, workers=workers, stop=stop, max_rounds=3)
            # Fix more at once while the LP does not move, fewer once it starts to climb.
            if self.lp_value <= before + max(1.0, 0.002 * abs(before)):
                step = min(0.5, step * 1.5)
            else:
                step = max(0.05, step / 2)
        if values is None and len(self.fixed) == self.n:
            values = {(p, d): s for p, sched in self.fixed.items() for d, s in sched}
        self.fixed = {}
        return values or {}

    def integer_master(
        self,
        *,
        limit: float,
        workers: int,
        hint: dict[tuple[int, int], int] | None,
        stop: threading.Event | None,
        run: Callable,
        fixed: dict[int, Schedule] | None = None,
    ) -> tuple[dict[tuple[int, int], int], int] | None:
        """Pick one generated schedule per person with CP-SAT (price-and-branch)."""
        m = cp_model.CpModel()
        count: dict[tuple[int, int], list] = {}
        choice: list[list[tuple[cp_model.IntVar, Schedule]]] = []
        obj = []
        hint_sched = None
        if hint is not None:
            per: list[list[tuple[int, int]]] = [[] for _ in range(self.n)]
            for (p, d), s in hint.items():
                per[p].append((d, s))
            hint_sched = [tuple(sorted(x)) for x in per]
        fixed = fixed or {}
        for p in range(self.n):
            opts = []
            pool = (
                [fixed[p]]
                if p in fixed
                else sorted(self.columns[p] | {hint_sched[p]} if hint_sched else self.columns[p])
            )
            for sched in pool:
                b = m.new_bool_var("")
                opts.append((b, sched))
                obj.append(self.cost(p, sched) * b)
                for ds in sched:
                    count.setdefault(ds, []).append(b)
                if hint_sched is not None:
                    m.add_hint(b, sched == hint_sched[p])
            m.add_exactly_one(b for b, _ in opts)
            choice.append(opts)
        for key, c in self.cover.items():
            vs = count.get(key, [])
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
