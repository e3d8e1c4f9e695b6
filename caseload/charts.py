"""The Knowledge/Behaviour/Status chart of a care-plan problem, with its text alternative."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from caseload.models import Rating
from charts.svg import Series, When, line_chart


def _concepts() -> list[tuple[str, str]]:
    return [("knowledge", _("Knowledge")), ("behaviour", _("Behaviour")), ("status", _("Status"))]


def _short_date(when: When) -> str:
    return formats.date_format(when, "j M")


def kbs_svg(ratings: Sequence[Rating], *, title: str) -> SafeString:
    """Draw each concept's ratings on the 1–5 scale, placed by the date they were given."""
    moments = [timezone.localtime(r.rated_at) for r in ratings]
    series = [
        Series(
            label=label,
            points=[(m, getattr(r, name)) for m, r in zip(moments, ratings, strict=True)],
        )
        for name, label in _concepts()
    ]
    description = _describe(ratings, moments)
    svg = line_chart(
        title=title,
        description=description,
        series=series,
        y_ticks=range(1, 6),
        format_date=_short_date,
    )
    return mark_safe(svg)  # noqa: S308 - ElementTree escaped every label and value


def _describe(ratings: Sequence[Rating], moments: Sequence[When]) -> str:
    if not ratings:
        return ""
    first, last = ratings[0], ratings[-1]
    changes = "; ".join(
        _("%(concept)s from %(first)d to %(last)d")
        % {"concept": label, "first": getattr(first, name), "last": getattr(last, name)}
        for name, label in _concepts()
    )
    summary = ngettext(
        "%(count)d rating from %(start)s to %(end)s: %(changes)s.",
        "%(count)d ratings from %(start)s to %(end)s: %(changes)s.",
        len(ratings),
    )
    return summary % {
        "count": len(ratings),
        "start": formats.date_format(moments[0], "j M Y"),
        "end": formats.date_format(moments[-1], "j M Y"),
        "changes": changes,
    }


CHART_SECONDS = 24 * 60 * 60


def _chart_key(ratings: Sequence[Rating], *, problem: object, table: bool) -> str:
    """Name a chart by everything it draws: each rating of the one care-plan problem (its
    ids, time and scores), the problem's name, the table, the language and the time zone."""
    drawn = [
        (r.pk, r.care_problem_id, r.rated_at.isoformat(), r.knowledge, r.behaviour, r.status)
        for r in ratings
    ]
    what = (drawn, str(problem), table, get_language(), timezone.get_current_timezone_name())
    return "caseload:kbs:" + hashlib.sha256(repr(what).encode()).hexdigest()


def kbs_chart(ratings: Sequence[Rating], *, problem: object, table: bool = True) -> SafeString:
    """Render the chart and, when ``table``, every rating as a table (the chart's text twin).

    Drawing is the costliest part of a client's page, and a chart changes only when a rating
    does, so it is kept in the cache under its own content (``_chart_key``): a new or changed
    rating is a new key, never a stale chart, and no other record can share it.
    """
    if not ratings:
        return mark_safe("")  # noqa: S308 - constant
    key = _chart_key(ratings, problem=problem, table=table)
    if (kept := cache.get(key)) is not None:
        return mark_safe(kept)  # noqa: S308 - rendered below from escaped parts
    title = _("Ratings over time: %(problem)s") % {"problem": problem}
    html = render_to_string(
        "caseload/_kbs_chart.html",
        {"svg": kbs_svg(ratings, title=title), "ratings": ratings, "table": table, "title": title},
    )
    cache.set(key, str(html), CHART_SECONDS)
    return html
