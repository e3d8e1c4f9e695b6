"""The disclosure rules against attackers: random teams, an LP solver, differencing, absence.

Every test is seeded, so a run is repeatable; docs/privacy.md states each attacker.
"""

from __future__ import annotations

import math
import random

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure import schema
from disclosure.control import (
    MIN_TEAMS_FOR_SUMS,
    Published,
    check,
    hub_distribution,
    protect_hub_cell,
    protect_team_week,
    protection_needed,
    round_to_base,
)
from disclosure.schema import DOMINANCE, ELEMENTS, HOURS_PARTS, P_PERCENT, SMALL_COUNT
from tests.disclosure.attacker import Attacker, intervals
from tests.disclosure.world import hours_cells, random_member, random_week

EPS = 1e-6
# A seed, not hypothesis' own random: a team-week makes hundreds of draws, and a seed keeps
# each example fast and still printable and repeatable when one fails.
seeds = st.integers(0, 2**32 - 1).map(random.Random)
HALF = ELEMENTS["HOURS"].rounding / 2
teams = st.tuples(st.integers(1, 30), st.integers(0, 200), seeds)
quick = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@quick
@given(teams)
def test_no_output_breaks_a_rule(team):
    """Withheld small weeks included: check() is told the team's size."""
    staff, clients, rng = team
    cells = random_week(rng, staff=staff, clients=clients)
    out = protect_team_week(cells, staff=staff, clients=clients)
    assert check(out, cells, staff=staff, clients=clients) == []
    payload = schema.build_payload(
        period="2026W48",
        org_unit="t-0123456789",
        revision=1,
        region="E12000001",
        service_type="district_nursing",
        size_band=schema.size_band(staff),
        values=out,
    )
    assert schema.validate(payload) == []


@quick
@given(teams, st.data())
def test_check_catches_any_primary_cell_shown(team, data):
    """check() is not vacuous: showing any cell a rule hid is caught."""
    staff, clients, rng = team
    staff, clients = max(staff, 5), max(clients, 5)
    cells = random_week(rng, staff=staff, clients=clients)
    out = protect_team_week(cells, staff=staff, clients=clients)
    primary = [i for i, p in enumerate(out) if p.status in (SMALL_COUNT, DOMINANCE, P_PERCENT)]
    if not primary:
        return
    i = data.draw(st.sampled_from(primary))
    base = ELEMENTS[out[i].element].rounding
    shown = Published(out[i].element, out[i].category, round_to_base(cells[i].value, base), None)
    assert check([*out[:i], shown, *out[i + 1 :]], cells, staff=staff, clients=clients)


@quick
@given(teams)
def test_the_lp_attacker_cannot_narrow_a_hidden_cell(team):
    staff, clients, rng = team
    cells = random_week(rng, staff=max(staff, 5), clients=max(clients, 5))
    out = protect_team_week(cells, staff=max(staff, 5), clients=max(clients, 5))
    truth = {(c.element, c.category): c for c in cells}
    status = {(p.element, p.category): p.status for p in out}
    for key, (low, high) in intervals(out).items():
        value = truth[key].value
        assert low - EPS <= value <= high + EPS, key
        if status[key] == SMALL_COUNT:
            assert low <= 1 + EPS and high >= 7 - EPS, (key, low, high)
            continue
        # never pinned closer than a published number is
        assert high - low >= ELEMENTS[key[0]].rounding - EPS, (key, low, high)
        if status[key] in (DOMINANCE, P_PERCENT):
            need = protection_needed(truth[key].contributions)
            assert low <= value - need + EPS and high >= value + need - EPS, (key, low, high)


def person_hours_interval(week1, week2) -> dict[str, tuple[float, float]]:
    """Return the LP's interval for the joiner's hours in each category and paid.

    The attacker knows the two weeks differ by exactly one person and nobody else's hours
    changed: week 2 = week 1 + the person, category by category.
    """
    attacker = Attacker()
    first = attacker.week(week1)
    person = {c: attacker.variable() for c in (*HOURS_PARTS, "paid")}
    attacker.lp.Add(sum(person[c] for c in HOURS_PARTS) == person["paid"])
    for p in week2:
        if p.element != "HOURS":
            continue
        low, high = (0, math.inf) if p.value is None else (p.value - HALF, p.value + HALF)
        total = first[("HOURS", p.category)] + person[p.category]
        attacker.lp.Add(total >= low)
        if high < math.inf:
            attacker.lp.Add(total <= high)
    return {c: attacker.interval(v) for c, v in person.items()}


@quick
@given(st.integers(5, 29), seeds)
def test_differencing_two_weeks_never_reveals_the_one_who_joined(staff, rng):
    members = [random_member(rng) for _ in range(staff)]
    joiner = random_member(rng)
    week1 = protect_team_week(hours_cells(members), staff=staff, clients=40)
    week2 = protect_team_week(hours_cells([*members, joiner]), staff=staff + 1, clients=40)
    joiner["paid"] = sum(joiner.get(c, 0.0) for c in HOURS_PARTS)
    for category, (low, high) in person_hours_interval(week1, week2).items():
        hours = joiner.get(category, 0.0)
        assert low - EPS <= hours <= high + EPS
        # at least 10 hours wide, unless it only says "under so many hours" (from zero)
        assert low <= EPS or high - low >= 2 * HALF - EPS, (category, low, high)


def advantage(inside: np.ndarray, outside: np.ndarray) -> float:
    """Return the best threshold attacker's advantage (true minus false positive rate)."""
    labels = np.r_[np.ones(len(inside)), np.zeros(len(outside))]
    labels = labels[np.argsort(np.r_[inside, outside], kind="stable")]
    caught = np.cumsum(labels) / len(inside)
    false = np.cumsum(1 - labels) / len(outside)
    return float(np.max(np.abs(caught - false)))


def test_absence_inference_on_hub_quartiles_stays_within_a_tenth():
    """10,000 team-week pairs: is the target's week in the figure, or another team's?

    The attacker knows the target's share, how shares vary across teams and the number of
    teams (10 to 40); it scores each quartile, and their sum, by how far it moved towards the
    target, and picks the best threshold with hindsight.
    """
    rng = np.random.default_rng(14)
    pairs = 10_000
    scores_in, scores_out = [], []
    for i in range(pairs):
        n = int(rng.integers(10, 41)) if i % 2 else 10  # half of them at the threshold itself
        a, b = (8, 10) if i % 4 < 2 else (30, 40)
        others = rng.beta(a, b, size=n - 1).tolist()
        target, stranger = rng.beta(a, b, size=2)
        centre = a / (a + b)
        for extra, scores in ((target, scores_in), (stranger, scores_out)):
            d = hub_distribution([*others, extra], secret=b"hub", label=str(i))
            moved = [(q - centre) * (target - centre) for q in (d.q1, d.median, d.q3)]
            scores.append([*moved, sum(moved), -abs(d.median - target)])
    scores_in, scores_out = np.array(scores_in), np.array(scores_out)
    best = max(advantage(scores_in[:, k], scores_out[:, k]) for k in range(5))
    assert best <= 0.10, best


def test_absence_inference_on_hub_sums_stays_within_a_tenth():
    """The same attacker against a sum of teams' direct hours, at the sums' threshold."""
    rng = np.random.default_rng(20)
    teams = MIN_TEAMS_FOR_SUMS
    scores_in, scores_out = [], []
    for _ in range(10_000):
        others = rng.gamma(9, 18, size=teams - 1).tolist()
        target, stranger = rng.gamma(9, 18, size=2)
        for extra, scores in ((target, scores_in), (stranger, scores_out)):
            shown = protect_hub_cell("HOURS", "direct", [*others, extra]).value
            scores.append((shown - 162 * teams) * (target - 162) if shown is not None else 0)
    assert advantage(np.array(scores_in), np.array(scores_out)) <= 0.10


def test_absence_inference_needs_the_noise():
    """The same attacker against exact quartiles: the test above is not vacuous."""
    rng = random.Random(7)
    scores_in, scores_out = [], []
    for _ in range(4000):
        others = [rng.betavariate(8, 10) for _ in range(9)]
        target, stranger = rng.betavariate(8, 10), rng.betavariate(8, 10)
        for extra, scores in ((target, scores_in), (stranger, scores_out)):
            values = sorted([*others, extra])
            median = (values[4] + values[5]) / 2
            scores.append((median - 8 / 18) * (target - 8 / 18))
    assert advantage(np.array(scores_in), np.array(scores_out)) > 0.10
