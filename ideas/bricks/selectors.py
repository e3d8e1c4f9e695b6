"""Reads from the hub: its practices, a page at a time, and one practice.

What the hub answers is checked field by field before a page shows it: it comes from another
server, and a malformed answer reads as "the hub could not answer", never as an error page.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from typing import Any

from disclosure.practice import MAX_WEEKS, TEXT_MAX, TITLE_MAX
from ideas import selectors as board
from ideas.bricks import client
from ideas.models import Idea, Status
from insights import metrics
from teams.models import Team

MAX_QUERY = 200


class Unanswered(Exception):
    """The hub is off, unreachable, or answered something that is not a practice."""


@dataclass(frozen=True)
class Summary:
    public_id: str
    title: str
    problem: str
    published_week: str
    adoptions: int


@dataclass(frozen=True)
class HubPage:
    count: int
    page: int
    pages: int
    results: list[Summary]


@dataclass(frozen=True)
class Pooled:
    teams: int
    shown: bool
    before: tuple[float | None, float | None, float | None]
    after: tuple[float | None, float | None, float | None]
    change: tuple[float | None, float | None, float | None]


@dataclass(frozen=True)
class HubPractice:
    public_id: str
    title: str
    problem: str
    practice: str
    metric: str
    before: float | None
    after: float | None
    weeks_before: int
    weeks_after: int
    trial_weeks: int
    published_week: str
    adoptions: int
    pooled: Pooled


def _text(body: dict, key: str, limit: int = TEXT_MAX) -> str:
    value = body.get(key)
    if not isinstance(value, str) or len(value) > limit:
        raise Unanswered(key)
    return value


def _count(body: dict, key: str, limit: int = 10**9) -> int:
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
        raise Unanswered(key)
    return value


def _figure(body: dict, key: str) -> float | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Unanswered(key)
    return float(value)


def _quartiles(body: Any) -> tuple[float | None, float | None, float | None]:
    if not isinstance(body, dict):
        raise Unanswered("quartiles")
    return _figure(body, "q1"), _figure(body, "median"), _figure(body, "q3")


def _get(path: str, params: dict[str, str | int] | None = None) -> dict[str, Any] | None:
    """The hub's JSON answer; None when it has nothing at ``path`` (404)."""
    if not client.hub_url():
        raise Unanswered("off")
    try:
        answer = client.fetch(path, params)
    except OSError:
        raise Unanswered("unreachable") from None
    if answer.status == 404:
        return None
    if answer.status != 200:
        raise Unanswered(str(answer.status))
    return answer.body


def hub_practices(*, query: str = "", page: int = 1) -> HubPage:
    """One page of the hub's practices (search with ``query``); raise Unanswered without one."""
    params: dict[str, str | int] = {"page": page}
    if query.strip():
        params["q"] = query.strip()[:MAX_QUERY]
    body = _get("practices/", params)
    results = body.get("results") if body is not None else None
    if not isinstance(results, list):
        raise Unanswered("results")
    return HubPage(
        count=_count(body, "count"),
        page=_count(body, "page"),
        pages=_count(body, "pages"),
        results=[_summary(row) for row in results],
    )


def _summary(row: Any) -> Summary:
    if not isinstance(row, dict) or not client.is_practice_id(str(row.get("id"))):
        raise Unanswered("id")
    return Summary(
        public_id=row["id"],
        title=_text(row, "title", TITLE_MAX),
        problem=_text(row, "problem"),
        published_week=_text(row, "publishedWeek", 7),
        adoptions=_count(row, "adoptions"),
    )


def hub_practice(*, public_id: str) -> HubPractice | None:
    """One practice from the hub, or None when the hub has none with this id."""
    if not client.is_practice_id(public_id):
        return None
    body = _get(f"practices/{public_id}/")
    if body is None:
        return None
    pooled = body.get("pooled")
    if not isinstance(pooled, dict) or body.get("id") != public_id:
        raise Unanswered("pooled")
    metric = _text(body, "metric", 40)
    return HubPractice(
        public_id=public_id,
        title=_text(body, "title", TITLE_MAX),
        problem=_text(body, "problem"),
        practice=_text(body, "practice"),
        metric=metric,
        before=_figure(body, "before"),
        after=_figure(body, "after"),
        weeks_before=_count(body, "weeksBefore", MAX_WEEKS),
        weeks_after=_count(body, "weeksAfter", MAX_WEEKS),
        trial_weeks=_count(body, "trialWeeks", MAX_WEEKS),
        published_week=_text(body, "publishedWeek", 7),
        adoptions=_count(body, "adoptions"),
        pooled=Pooled(
            teams=_count(pooled, "teams"),
            shown=pooled.get("status") is None,
            before=_quartiles(pooled.get("before")),
            after=_quartiles(pooled.get("after")),
            change=_quartiles(pooled.get("change")),
        ),
    )


SHARE_SUFFIX = "_share"


def hub_metric(key: str) -> str:
    """The hub's name for an Insights metric: a share out of 100 here is a ``_share`` there.

    The hub keeps shares between 0 and 1 (``disclosure.practice.is_share_metric``), so the
    team's percentages are divided by 100 on the way out (``hub_figure``).
    """
    metric = metrics.BY_KEY.get(key)
    if metric is None or metric.unit != "%" or key.endswith(SHARE_SUFFIX):
        return key
    return key + SHARE_SUFFIX


def hub_figure(key: str, value: float) -> float:
    metric = metrics.BY_KEY.get(key)
    return value / 100 if metric is not None and metric.unit == "%" else value


def board_metric(name: str) -> str:
    """The Insights metric a hub metric name stands for, or "" when this server has none."""
    if name in metrics.BY_KEY:
        return name
    key = name.removesuffix(SHARE_SUFFIX)
    metric = metrics.BY_KEY.get(key)
    return key if name.endswith(SHARE_SUFFIX) and metric and metric.unit == "%" else ""


@dataclass(frozen=True)
class Figures:
    """The idea's metric before and after its trial began, as the hub takes them."""

    metric: str
    before: float
    after: float
    weeks_before: int
    weeks_after: int


def idea_figures(*, idea: Idea) -> Figures | None:
    """The effect figures of ``idea`` in the hub's terms, when it has weeks on both sides."""
    effect = board.effect(idea=idea)
    if effect is None or effect.before_mean is None or effect.after_mean is None:
        return None
    key = effect.metric.key
    return Figures(
        metric=hub_metric(key),
        before=round(hub_figure(key, effect.before_mean), 4),
        after=round(hub_figure(key, effect.after_mean), 4),
        weeks_before=effect.before_weeks,
        weeks_after=effect.after_weeks,
    )


def share_initial(*, idea: Idea) -> dict[str, Any]:
    """The share form filled from an adopted idea: its text, trial and effect figures."""
    initial: dict[str, Any] = {
        "source": idea.pk.hex,
        "title": idea.title,
        "problem": idea.problem,
        "practice": idea.proposal,
        "metric": hub_metric(idea.metric),
        "trial_weeks": idea.trial_weeks,
    }
    figures = idea_figures(idea=idea)
    if figures is not None:
        initial.update(
            before=figures.before,
            after=figures.after,
            weeks_before=figures.weeks_before,
            weeks_after=figures.weeks_after,
        )
    return initial


def practice_id(provenance: str) -> str:
    """The hub practice an adopted idea came from, read back from its provenance, or ""."""
    prefix = f"{client.hub_url()}practices/"
    public_id = provenance.removeprefix(prefix).removesuffix("/")
    return public_id if provenance.startswith(prefix) and client.is_practice_id(public_id) else ""


def shareable_idea(*, team: Team, source: str) -> Idea | None:
    """The team's adopted idea a share starts from (``source`` is its id in hex), if any."""
    try:
        idea_id = uuid.UUID(hex=source)
    except ValueError:
        return None
    return Idea.objects.for_team(team).filter(pk=idea_id, status=Status.ADOPTED).first()
