"""Reads of the hub's practices: a searchable page of them, and one with its pooled effect.

Nothing read here names a team: the publisher is never selected, adoptions are counted and
effects pooled through ``commons.gate``. Two queries a page, whatever the number of practices.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet

from commons import gate
from commons.practices.models import Effect, Practice
from disclosure.practice import PRACTICE_ID_PATTERN

PAGE_SIZE = 20
MAX_QUERY = 200
SUMMARY_FIELDS = ("public_id", "title", "problem", "metric", "trial_weeks", "published_week")


@dataclass(frozen=True)
class PracticeView:
    """A practice as anyone may see it."""

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
    pooled: gate.PooledEffect


def is_practice_id(public_id: str) -> bool:
    """Whether ``public_id`` has the shape of a practice id (anything else is not looked up)."""
    return re.fullmatch(PRACTICE_ID_PATTERN, public_id) is not None


def _search(query: str) -> QuerySet[Practice]:
    """Practices whose title, problem or practice hold every word of ``query``."""
    practices = Practice.objects.all()
    # No NUL or lone surrogate reaches the database, which refuses both in a text literal.
    for word in re.sub(r"[\x00\ud800-\udfff]", "", query[:MAX_QUERY]).split()[:10]:
        practices = practices.filter(
            Q(title__icontains=word) | Q(problem__icontains=word) | Q(practice__icontains=word)
        )
    return practices


def practice_page(*, query: str = "", page: int = 1, path: str = "") -> dict:
    """One page of practices, newest first, each with how many teams adopted it."""
    practices = _search(query)
    count = practices.count()
    pages = max(math.ceil(count / PAGE_SIZE), 1)
    page = min(max(page, 1), pages)
    start = (page - 1) * PAGE_SIZE
    rows = (
        practices.annotate(teams=Count("adoptions"))
        .order_by("-published_week", "-pk")
        .values(*SUMMARY_FIELDS, "teams")[start : start + PAGE_SIZE]
    )
    return {
        "count": count,
        "page": page,
        "pages": pages,
        "next": _link(path, query, page + 1) if page < pages else None,
        "previous": _link(path, query, page - 1) if page > 1 else None,
        "results": [_summary(row) for row in rows],
    }


def _summary(row: dict) -> dict:
    return {
        "id": row["public_id"],
        "title": row["title"],
        "problem": row["problem"],
        "metric": row["metric"],
        "trialWeeks": row["trial_weeks"],
        "publishedWeek": row["published_week"],
        "adoptions": row["teams"],
    }


def _link(path: str, query: str, page: int) -> str:
    return f"{path}?{urlencode({'q': query, 'page': page} if query else {'page': page})}"


def practice_detail(*, public_id: str) -> PracticeView | None:
    """The practice, its adoption count and its pooled effect; None for an unknown id."""
    if not is_practice_id(public_id):
        return None
    practice = (
        Practice.objects.filter(public_id=public_id).annotate(teams=Count("adoptions")).first()
    )
    if practice is None:
        return None
    reports = list(
        Effect.objects.filter(adoption__practice=practice).values_list("before", "after")
    )
    return PracticeView(
        public_id=practice.public_id,
        title=practice.title,
        problem=practice.problem,
        practice=practice.practice,
        metric=practice.metric,
        before=practice.before,
        after=practice.after,
        weeks_before=practice.weeks_before,
        weeks_after=practice.weeks_after,
        trial_weeks=practice.trial_weeks,
        published_week=practice.published_week,
        adoptions=practice.teams,
        pooled=gate.pooled_effect(reports, practice_id=practice.public_id, metric=practice.metric),
    )
