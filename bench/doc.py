"""Rewrite one generated section of docs/benchmarks.md, leaving the hand-written text alone."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

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
