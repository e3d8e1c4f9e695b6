"""Turn runs into markdown, and refresh only the generated part of the benchmarks doc."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from bench.doc import commit

START = "<!-- bench.caseload results: generated, do not edit by hand -->"
END = "<!-- end bench.caseload results -->"
BASELINE = "/healthz (baseline)"
ALONE = "/healthz, alone"


def _probe_summary(run: dict, name: str) -> tuple[str, str]:
    """Return (queries, SQL ms) over the page's variants, as a range when they differ."""
    probes = [p for key, p in run["probes"].items() if key.split("#")[0] == name]
    if not probes:
        return "", ""
    counts = sorted({p["queries"] for p in probes})
    sql = [p["sql_ms"] for p in probes]
    queries = str(counts[0]) if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
    return queries, f"{min(sql):.1f}–{max(sql):.1f}"


def markdown_table(run: dict) -> str:
    base = next(t for t in run["timings"] if t["name"] == BASELINE)
    alone = next((t for t in run["timings"] if t["name"] == ALONE), None)
    lines = [
        "| page | median ms | p95 ms | median ÷ baseline | p95 ÷ baseline "
        "| median ÷ healthz alone | SQL queries | SQL ms (in-process) | KB |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for t in run["timings"]:
        queries, sql_ms = _probe_summary(run, t["name"].replace(ALONE, BASELINE))
        vs_alone = f"{t['median'] / alone['median']:.1f}×" if alone else ""
        lines.append(
            f"| {t['name']} | {t['median']:.1f} | {t['p95']:.1f} "
            f"| {t['median'] / base['median']:.1f}× | {t['p95'] / base['p95']:.1f}× "
            f"| {vs_alone} | {queries} | {sql_ms} | {t['bytes'] / 1024:.0f} |"
        )
    return "\n".join(lines)


def _slowest(run: dict) -> str:
    """The slowest query of each page's worst variant, with its plan."""
    out = []
    worst: dict[str, dict] = {}
    for key, probe in run["probes"].items():
        name = key.split("#")[0]
        if name == BASELINE or not probe["slowest"]:
            continue
        if name not in worst or probe["slowest"][0]["ms"] > worst[name]["slowest"][0]["ms"]:
            worst[name] = probe
    for name, probe in worst.items():
        top = probe["slowest"][0]
        sql = top["sql"] if len(top["sql"]) < 900 else top["sql"][:900] + " …"
        out.append(
            f"**{name}** (`{probe['path']}`): {top['ms']:.1f} ms of {probe['sql_ms']:.1f} ms SQL"
        )
        out.append(f"\n```sql\n{sql}\n```")
        if top.get("plan"):
            out.append(f"\n```\n{top['plan']}\n```")
        out.append("")
    return "\n".join(out)


def results_section(*, runs: list[dict], command: str, machine: dict, when: datetime) -> str:
    first = runs[0]["built"]
    sizes = first["sizes"]
    lines = [
        START,
        "",
        f"Run on {when:%Y-%m-%d %H:%M} UTC at commit `{commit()}` with `{command}`.",
        "",
        f"- Machine: {machine['cpus']}; Python {machine['python']}, Django {machine['django']}, "
        f"daphne {machine['daphne']}, SQLite {machine['sqlite']}; "
        + ", ".join(r["engine"] for r in runs if r["database"] == "postgres")
        + ".",
        "- Dataset (one team): "
        + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in sizes.items())
        + ".",
        f"- Timing: first `/healthz, alone` ({runs[0]['timings'][0]['n']} GETs in a row); then "
        f"20 untimed warm-up rounds and {runs[0]['timings'][0]['n']} timed rounds, each round "
        "GETting every page once, in turn (the baseline row comes from these rounds), over "
        "one logged-in keep-alive connection to "
        "daphne on 127.0.0.1 (DEBUG off, DATABASE_CONN_MAX_AGE "
        f"{runs[0].get('conn_max_age') or '0 (the default)'}"
        + "".join(
            f"; PostgreSQL with the connection pool DATABASE_POOL={r['pool']}"
            for r in runs
            if r.get("pool")
        )
        + "). Times are client-observed wall time (perf_counter around request and full read).",
        "- SQL columns: one in-process run of each URL through Django's test client, five times, "
        "median per query; the range is over the URLs a page rotates through.",
        "- Client page rotates over "
        f"{len(runs[0]['pages']['Client page'])} of the member's clients today; search over "
        + ", ".join(f"`{q}`" for q in first["searches"])
        + ".",
        "",
    ]
    for run in runs:
        lines += [f"### {run['engine']}", "", markdown_table(run), ""]
        lines += [
            f"Build took {run['built']['build_seconds']:.0f} s. One-minute load average before "
            f"and after the timed rounds: {run['load'][0]} and {run['load'][1]} "
            f"on {machine['nproc']} CPUs.",
            "",
            "<details><summary>Slowest query per page, with plan</summary>",
            "",
            _slowest(run),
            "</details>",
            "",
        ]
    lines.append(END)
    return "\n".join(lines)


INTRO = """# Benchmark: the caseload at scale

`bench/caseload` builds one team with 5,000 clients and 200,000 visits (six months either side
of today) and measures what a nurse waits for: Today, a client's page and search. Times are
client-observed over loopback through daphne, and each is also given as a ratio to `/healthz`
(a view that touches no database) served the same way, so the ratios survive a change of
machine better than the milliseconds do. Targets live here, never as timed assertions in tests.

Re-run with `.venv/bin/python -m bench.caseload` (both databases, about ten minutes on two
cores); only the part between the markers below is rewritten.

## Results

"""


def write_doc(path: Path, *, runs: list[dict], command: str, machine: dict, when: datetime) -> None:
    section = results_section(runs=runs, command=command, machine=machine, when=when)
    text = path.read_text() if path.exists() else INTRO + START + "\n" + END + "\n"
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text, count=1)
    else:
        text = text.rstrip() + "\n\n## Results\n\n" + section + "\n"
    path.write_text(text)
