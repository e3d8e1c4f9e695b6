"""The instance generator: reproducible files in the published format."""

from __future__ import annotations

from bench.rostering.generate import SET, Shape, generate
from bench.rostering.reader import parse_instance


def test_the_same_shape_always_gives_the_same_file():
    shape = Shape("t", 12, 4, 28, seed=3)
    assert generate(shape) == generate(shape)
    assert generate(shape) != generate(Shape("t", 12, 4, 28, seed=4))


def test_a_generated_file_reads_back_at_its_size():
    problem = parse_instance(generate(Shape("t", 15, 6, 56)))
    assert (len(problem.staff), len(problem.shifts), problem.horizon) == (15, 6, 56)
    assert {c.day for c in problem.cover} == set(range(56))


def test_the_fixed_set_runs_from_40_people_over_28_days_to_150_over_364():
    sizes = [(s.people, s.days) for s in SET]
    assert len(SET) == 8
    assert min(sizes) == (40, 28)
    assert max(sizes, key=lambda s: s[0] * s[1]) == (150, 364)
