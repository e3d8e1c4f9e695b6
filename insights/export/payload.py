"""What leaves a team for the commons: one week's snapshot as cells, protected, as a payload.

Reads only stored snapshots (never live records), so what the preview shows, what is sent and
what a later revision is compared with all come from the same figures. Every number passes
``disclosure.control.protect_team_week`` before it is put in a payload; the cells themselves
never leave this module's callers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from disclosure import schema
from disclosure.control import Cell, Published, check, protect_team_week
from insights import formulas as f
from insights.pvi import PULSE_KEYS, ClientRating

# Insights' activity codes onto the contract's HOURS categories (a test holds them together).
HOURS_CATEGORY: dict[str, str] = {
    f.DIRECT: "direct",
    f.INDIRECT: "indirect",
    f.TRAVEL: "travel",
    f.TEAM: "team",
    f.TRAINING: "training",
    f.OTHER: "other",
    f.LEAVE: "leave",
    f.UNRECORDED: "not_recorded",
}
PAID = schema.ELEMENTS["HOURS"].total
POOL_WEEKS = 4  # pulse and client answers are pooled over this many weeks before they leave


@dataclass(frozen=True)
class TeamWeekCells:
    """A week's cells before protection, and the counts the W rule reads."""

    cells: tuple[Cell, ...]
    staff: int
    clients: int


def _ones(n: int) -> tuple[float, ...]:
    """A count as contributions of one each: each visit, client or answer is one contributor."""
    return (1.0,) * max(int(n), 0)


def _hours(members: Mapping[str, Mapping[str, Any]]) -> list[Cell]:
    """One HOURS cell per category, with each member's hours as a contribution (dominance)."""
    cells = [
        Cell(
            "HOURS",
            category,
            tuple(week["minutes"].get(code, 0) / 60 for week in members.values()),
        )
        for code, category in HOURS_CATEGORY.items()
    ]
    cells.append(Cell("HOURS", PAID, tuple(week["paid"] / 60 for week in members.values())))
    return cells


def _outcomes(outcomes: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> list[Cell]:
    """Change sums and pair counts per KBS dimension, each problem name one contribution."""
    cells = []
    for dim in f.KBS:
        changes = [by_dim[dim] for by_dim in outcomes.values() if by_dim[dim]["n"]]
        cells.append(
            Cell(
                "OUTCOME_CHANGE",
                dim,
                tuple(float(round(c["mean_change"] * c["n"])) for c in changes),
            )
        )
        cells.append(Cell("OUTCOME_N", dim, tuple(float(c["n"]) for c in changes)))
    return cells


def _continuity(continuity: Mapping[str, Any]) -> list[Cell]:
    """Continuity counts, when the snapshot holds them (older snapshots hold only shares)."""
    if continuity.get("top_two") is None or continuity.get("visits") is None:
        return []
    return [
        Cell("CONTINUITY", "top_two", _ones(continuity["top_two"])),
        Cell("CONTINUITY", "visits", _ones(continuity["visits"])),
    ]


def _pulse(pool: Iterable[Mapping[str, Any]]) -> list[Cell]:
    """Each pulse item's answers over the pooled weeks: every answer one contribution."""
    answers: dict[str, list[float]] = {key: [] for key in PULSE_KEYS}
    for figures in pool:
        for item, tally in figures.get("pulse_tallies", {}).items():
            if item in answers:
                for value, count in tally.items():
                    answers[item] += [float(value)] * int(count)
    cells = []
    for item, values in answers.items():
        cells.append(Cell("PULSE_SUM", item, tuple(values)))
        cells.append(Cell("PULSE_N", item, _ones(len(values))))
    return cells


def _client_answers(pool: Iterable[Mapping[str, Any]]) -> list[Cell]:
    totals = dict.fromkeys(ClientRating.values, 0)
    for figures in pool:
        for rating, count in figures.get("client_answers", {}).items():
            if rating in totals:
                totals[rating] += int(count)
    return [Cell("CLIENT_ANSWERS", rating, _ones(n)) for rating, n in totals.items()]


def week_cells(figures: Mapping[str, Any], earlier: Sequence[Mapping[str, Any]]) -> TeamWeekCells:
    """Turn a snapshot's figures (and up to three earlier weeks', for pooling) into cells.

    ``earlier`` holds the figures of the weeks before, newest first; weeks beyond the pool
    are ignored, so the caller may pass more.
    """
    members = {pk: week for pk, week in figures["members"].items() if week["paid"] > 0}
    pool = [figures, *earlier[: POOL_WEEKS - 1]]
    visits = figures["visits"]
    cells = [
        *_hours(members),
        *(
            Cell("VISITS", status, _ones(visits.get(status, 0)))
            for status in schema.ELEMENTS["VISITS"].categories
        ),
        Cell("CLIENTS", "caseload", _ones(figures["caseload"])),
        *_continuity(figures["continuity"]),
        *_outcomes(figures["outcomes"]),
        *_pulse(pool),
        *_client_answers(pool),
    ]
    return TeamWeekCells(cells=tuple(cells), staff=len(members), clients=int(figures["caseload"]))


def protect(cells: TeamWeekCells) -> tuple[list[Published], list[str]]:
    """Apply the disclosure rules, then audit the result with disclosure's independent check.

    Returns the published cells and the rules the output breaks (empty when none): a week
    with problems is shown to the team but never queued.
    """
    try:
        published = protect_team_week(cells.cells, staff=cells.staff, clients=cells.clients)
    except ValueError as error:  # figures that do not add up: nothing leaves, the team is told
        return [], [str(error)]
    return published, check(published, cells.cells, staff=cells.staff, clients=cells.clients)


def build(
    *,
    week: str,
    org_unit: str,
    region: str,
    service_type: str,
    revision: int,
    staff: int,
    published: Sequence[Published],
) -> dict[str, Any]:
    """The data value set for one team-week, exactly as it will be signed and sent."""
    return schema.build_payload(
        period=week,
        org_unit=org_unit,
        revision=revision,
        region=region,
        service_type=service_type,
        size_band=schema.size_band(staff),
        values=published,
    )


def published_part(payload: Mapping[str, Any]) -> dict[str, Any]:
    """What a revision is judged on: everything but its number (values, attributes, team)."""
    return {key: value for key, value in payload.items() if key != "revision"}
