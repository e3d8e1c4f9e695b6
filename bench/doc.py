"""Rewrite one generated section of docs/benchmarks.md, leaving the hand-written text alone."""

from __future__ import annotations

import re
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
