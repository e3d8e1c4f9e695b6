"""Insights' charts: the week-by-week shares on a real time axis, the same SVG in page and PDF."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from charts.svg import Series, When, line_chart
from insights.selectors import TrendPoint


def _week_start(when: When) -> str:
    return date_format(when, "j M")


def shares_svg(trend: Sequence[TrendPoint]) -> SafeString:
    """Frontline, client-facing and unrecorded shares (per cent) by week; a week with no data
    has no point (it is never drawn as zero)."""
    if not any(p.frontline_share is not None for p in trend):
        return mark_safe("")  # noqa: S308 - constant
    lines = [
        (_("Frontline"), "frontline_share"),
        (_("Client-facing"), "client_facing_share"),
        (_("Unrecorded"), "unrecorded_share"),
    ]
    series = [
        Series(
            label=label,
            points=[
                (p.start, 100 * getattr(p, name)) for p in trend if getattr(p, name) is not None
            ],
        )
        for label, name in lines
    ]
    description = _(
        "Share of paid time by week, from %(first)s to %(last)s; the table below gives every value."
    ) % {
        "first": _week_start(trend[0].start),
        "last": _week_start(trend[-1].start),
    }
    svg = line_chart(
        title=_("Time on the frontline, week by week"),
        description=description,
        series=series,
        y_ticks=[0, 25, 50, 75, 100],
        format_date=_week_start,
    )
    return mark_safe(svg)  # noqa: S308 - ElementTree escaped every label and value
