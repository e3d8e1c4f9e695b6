from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.rostering.__main__ import main
from bench.rostering.reader import parse_instance, read_instance, read_roster
from bench.rostering.runner import SHARED, parse_range
from rota.planner import Assignment, evaluate

INSTANCES = SHARED / "instances"
needs_instances = pytest.mark.skipif(
    not INSTANCES.exists(), reason=f"the published instances are not in {INSTANCES}"
)
ROOT = Path(__file__).resolve().parents[2]

TINY = """\
# comment
SECTION_HORIZON
7

SECTION_SHIFTS
E,480,
L,480,E

SECTION_STAFF
A,E=7|L=7,2400,480,5,1,1,1
B,E=7|L=0,2400,480,5,1,1,1

SECTION_DAYS_OFF
B,6

SECTION_SHIFT_ON_REQUESTS
A,0,L,2

SECTION_SHIFT_OFF_REQUESTS
B,1,E,3

SECTION_COVER
0,E,1,100,1
0,L,1,100,1
1,E,1,100,1
1,L,0,100,1
"""


@needs_instances
def test_reader_parses_instance1_sizes():
    problem = read_instance(INSTANCES / "Instance1.txt")
    assert problem.horizon == 14
    assert len(problem.staff) == 8
    assert [s.id for s in problem.shifts] == ["D"]
    assert len(problem.cover) == 14
    assert problem.staff[0].days_off == frozenset({0})


def test_reader_reads_cannot_follow_and_crlf():
    problem = parse_instance(TINY.replace("\n", "\r\n"))
    assert problem.shift("L").forbidden_next == frozenset({"E"})
    assert problem.shift("E").forbidden_next == frozenset()
    assert problem.staff[1].max_shifts == {"E": 7, "L": 0}


def test_evaluator_objective_of_hand_built_roster():
    problem = parse_instance(TINY)
    roster = [
        Assignment("A", 0, "E"),  # misses A's L request (2); covers 0,E
        Assignment("A", 1, "E"),  # leaves 1,E over-covered by one (1)
        Assignment("B", 1, "E"),  # B's off request granted anyway (3)
    ]
    ev = evaluate(problem, roster)
    # 0,L uncovered (100) + on-request 2 + off-request 3 + 1,E over by one (1)
    assert ev.objective == 106
    assert ev.feasible


def test_evaluator_flags_shift_rotation_violation():
    problem = parse_instance(TINY)
    roster = [Assignment("A", 0, "L"), Assignment("A", 1, "E"), Assignment("B", 0, "E")]
    ev = evaluate(problem, roster)
    assert not ev.feasible
    assert any("right after L" in v for v in ev.violations)


def test_parse_range_expands_ranges_and_lists():
    assert parse_range("1-3,7") == [1, 2, 3, 7]


def test_cli_evaluate_exits_nonzero_on_infeasible_roster(tmp_path, capsys):
    instance = tmp_path / "tiny.txt"
    instance.write_text(TINY)
    roster = tmp_path / "r.csv"
    roster.write_text("staff_id,day_index,shift_id\nB,0,L\nB,1,E\n")
    assert main(["evaluate", str(instance), str(roster)]) == 1
    out = capsys.readouterr().out
    assert "feasible: no" in out
    assert "violation:" in out


def test_cli_evaluate_rejects_unknown_ids(tmp_path):
    instance = tmp_path / "tiny.txt"
    instance.write_text(TINY)
    roster = tmp_path / "r.csv"
    roster.write_text("Z,0,E\n")
    assert main(["evaluate", str(instance), str(roster)]) == 2


@pytest.mark.slow
@needs_instances
def test_cli_solve_then_evaluate_roundtrip_on_instance1(tmp_path):
    out = tmp_path / "roster.csv"
    instance = INSTANCES / "Instance1.txt"
    solved = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.rostering",
            "solve",
            str(instance),
            "--time-limit",
            "3",
            "--workers",
            "2",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    objective = int(solved.stdout.strip())
    checked = subprocess.run(
        [sys.executable, "-m", "bench.rostering", "evaluate", str(instance), str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "feasible: yes" in checked.stdout
    assert f"objective: {objective}" in checked.stdout
    assert read_roster(out, read_instance(instance))
