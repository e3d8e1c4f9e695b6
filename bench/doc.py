"""Rewrite one generated section of docs/benchmarks.md, leaving the hand-written text alone."""

from __future__ import annotations

import argparse
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCHMARKS = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def cpu_model() -> str:
    """The processor's name: solver results move with it, so every table records it."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def commit() -> str:
    """The checkout's commit, marked when the tree has uncommitted changes: a figure is only
    comparable with the code it measured."""
    root = BENCHMARKS.parents[1]

    def git(*args: str) -> str:
        return subprocess.run(  # noqa: S603
            ["git", *args],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,  # noqa: S607
        ).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{head} with uncommitted changes" if git("status", "--porcelain") else head


def write_section(name: str, text: str, path: Path = BENCHMARKS) -> None:
    """Put ``text`` between the ``<!-- bench.NAME results: begin/end -->`` markers (or append)."""
    begin, end = f"<!-- bench.{name} results: begin -->", f"<!-- bench.{name} results: end -->"
    block = f"{begin}\n{text.strip()}\n{end}"
    doc = path.read_text() if path.exists() else "# Benchmarks\n"
    pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.DOTALL)
    if pattern.search(doc):
        doc = pattern.sub(lambda _: block, doc, count=1)
    else:
        doc = f"{doc.rstrip()}\n\n{block}\n"
    path.write_text(doc)


def database_options(parser: argparse.ArgumentParser, *, default: str = "sqlite") -> None:
    """Add the ``--database`` and ``--no-write`` options every per-database bench takes."""
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default=default)
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")


def run_per_database(
    name: str,
    args: argparse.Namespace,
    run: Callable[[str, argparse.Namespace], Any],
    markdown: Callable[[list[Any], str], str],
    command: str,
) -> None:
    """Run the bench on each database asked for, print the table, and keep it in the docs."""
    databases = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    text = markdown([run(db, args) for db in databases], f"{command} --database {args.database}")
    print(text)
    if not args.no_write:
        write_section(name, text)
