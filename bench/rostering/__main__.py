"""CLI: ``python -m bench.rostering {solve,evaluate,run} ...``."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from bench.doc import write_section
from rota.planner import evaluate

from . import generated
from .generate import SET, Shape, generate
from .reader import FormatError, read_instance, read_roster
from .runner import markdown, parse_range, run_all, solve_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.rostering")
    sub = parser.add_subparsers(dest="command", required=True)
    p_solve = sub.add_parser("solve", help="solve one instance and write its roster as CSV")
    p_solve.add_argument("instance", type=Path)
    p_solve.add_argument("--time-limit", type=float, default=60.0)
    p_solve.add_argument("--workers", type=int, default=2)
    p_solve.add_argument("--out", type=Path, required=True)
    p_eval = sub.add_parser("evaluate", help="check a roster CSV against an instance")
    p_eval.add_argument("instance", type=Path)
    p_eval.add_argument("roster", type=Path)
    p_run = sub.add_parser("run", help="benchmark many instances, write a markdown table")
    p_run.add_argument("--time-limit", type=float, default=60.0)
    p_run.add_argument("--workers", type=int, default=2)
    p_run.add_argument("--instances", default="1-12")
    p_run.add_argument(
        "--out", type=Path, help="write the table to this file instead of docs/benchmarks.md"
    )
    p_gen = sub.add_parser(
        "generate", help="write generated instances (the fixed set, or one size) to a folder"
    )
    p_gen.add_argument("--out", type=Path, required=True)
    p_gen.add_argument("--people", type=int, help="one instance of this size, not the set")
    p_gen.add_argument("--shift-types", type=int, default=5)
    p_gen.add_argument("--days", type=int, default=28)
    p_gen.add_argument("--request-density", type=float, default=0.15)
    p_gen.add_argument("--seed", type=int, default=1)
    p_set = sub.add_parser("generated", help="run the generated set beside the plain CP-SAT model")
    p_set.add_argument("--time-limit", type=float, default=60.0)
    p_set.add_argument("--workers", type=int, default=2)
    p_set.add_argument("--names", help="comma-separated names from the set (default: all)")
    p_set.add_argument("--no-plain", action="store_true", help="skip the plain CP-SAT runs")
    p_set.add_argument("--out", type=Path, help="write the table here, not docs/benchmarks.md")
    args = parser.parse_args(argv)

    if args.command == "generated":
        rows = generated.run_set(
            args.names.split(",") if args.names else None,
            time_limit=args.time_limit,
            workers=args.workers,
            plain=not args.no_plain,
        )
        command = "python -m bench.rostering " + shlex.join(
            argv if argv is not None else sys.argv[1:]
        )
        table = generated.markdown(rows, command=command, time_limit=args.time_limit)
        if args.out:
            args.out.write_text(table)
        else:
            write_section("rostering-generated", table)
        print(table)
        return 0

    if args.command == "generate":
        shapes = SET
        if args.people:
            name = f"G-{args.people}x{args.days}x{args.shift_types}-s{args.seed}"
            shapes = (
                Shape(
                    name,
                    args.people,
                    args.shift_types,
                    args.days,
                    args.request_density,
                    args.seed,
                ),
            )
        args.out.mkdir(parents=True, exist_ok=True)
        for shape in shapes:
            (args.out / f"{shape.name}.txt").write_text(generate(shape))
            print(args.out / f"{shape.name}.txt")
        return 0

    if args.command == "solve":
        r = solve_file(
            args.instance, time_limit=args.time_limit, workers=args.workers, out=args.out
        )
        if not r.feasible:
            print(f"{r.instance}: no feasible roster", file=sys.stderr)
            return 1
        print(r.objective)
        return 0
    if args.command == "evaluate":
        problem = read_instance(args.instance)
        try:
            rows = read_roster(args.roster, problem)
        except FormatError as exc:
            print(f"unreadable roster: {exc}", file=sys.stderr)
            return 2
        ev = evaluate(problem, rows)
        print(f"feasible: {'yes' if ev.feasible else 'no'}")
        print(f"objective: {ev.objective}")
        for key, value in ev.breakdown.items():
            print(f"  {key}: {value}")
        for v in ev.violations:
            print(f"violation: {v}")
        return 0 if ev.feasible else 1
    results = run_all(parse_range(args.instances), time_limit=args.time_limit, workers=args.workers)
    command = "python -m bench.rostering " + shlex.join(argv if argv is not None else sys.argv[1:])
    table = markdown(results, command=command)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(table)
    else:
        write_section("rostering", table)
    print(table)
    return 0 if all(r.feasible for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
