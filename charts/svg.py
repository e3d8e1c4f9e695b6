"""Charts as SVG, drawn on the server so the page and the PDF show one picture.

Lines over time (``line_chart``) for a team's own figures, and spreads across teams
(``band_chart`` over weeks, ``range_chart`` per group) for the commons hub. Pure Python: it
imports nothing from Django or the apps, so the hub, deployable on its own, draws with it too.
Callers pass translated labels and mark the result safe. The SVG is built with ElementTree,
which escapes every text and attribute, so a label cannot inject markup. In a line chart each
series differs in colour, dash pattern and marker shape, and is nudged a few pixels off the
others, so series with equal values stay visible side by side (and apart without colour
vision). A withheld spread (``None``) leaves a gap: missing is never drawn as zero.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH, HEIGHT, PAD, LEGEND = 320, 150, 30, 24
INK, GRID, MUTED = "#0b0c0c", "#b1b4b6", "#505a5f"
BAND, LINE = "#bbd4ea", "#1d70b8"
SPREAD_WIDTH, SPREAD_LEFT = 360, 40  # spreads: wider, with room for "100%" on the left
SHARE_TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)
# Colour, dash pattern and marker shape, in the order series are drawn (GOV.UK palette).
STYLES = [
    ("#1d70b8", "", "circle"),
    ("#00703c", "6 3", "square"),
    ("#d4351c", "2 3", "triangle"),
    ("#4c2c92", "8 2 2 2", "diamond"),
]
NUDGE = 3.0  # pixels between series drawn at the same value
MAX_DATE_TICKS = 4

When = date | datetime
# Characters XML 1.0 cannot carry at all, even escaped.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[When, float]]


@dataclass(frozen=True)
class Spread:
    """Lower quartile, median and upper quartile of one figure across teams (None: withheld)."""

    label: str
    q1: float | None
    median: float | None
    q3: float | None


def _day_number(when: When) -> float:
    """Place a date or a wall-clock datetime on one continuous scale of days."""
    if isinstance(when, datetime):
        seconds = when.hour * 3600 + when.minute * 60 + when.second
        return when.toordinal() + seconds / 86400
    return float(when.toordinal())


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: object) -> ET.Element:
    element = ET.SubElement(
        parent, tag, {k.replace("_", "-"): _xml(str(v)) for k, v in attrs.items()}
    )
    element.text = None if text is None else _xml(text)
    return element


def _xml(text: str) -> str:
    return NOT_XML.sub("", text)


def _svg(*, title: str, description: str, width: int, height: int) -> ET.Element:
    """Start a chart whose accessible name and description are ``title`` and ``description``."""
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {width} {height}",
            "class": "patch-chart",
            "font-family": "system-ui, sans-serif",
            "role": "img",
            "aria-label": _xml(title),
        },
    )
    _el(svg, "title", title)
    _el(svg, "desc", description)
    return svg


def _grid(
    svg: ET.Element,
    ticks: Sequence[float],
    y: Callable[[float], float],
    *,
    left: float,
    right: float,
    label: Callable[[float], str],
) -> None:
    """Draw a horizontal grid line per tick, labelled on the left."""
    for value in ticks:
        _el(svg, "line", x1=left, x2=right, y1=_fmt(y(value)), y2=_fmt(y(value)), stroke=GRID,
            stroke_width=1)  # fmt: skip
        _el(svg, "text", label(value), x=left - 8, y=_fmt(y(value) + 4), font_size=11,
            text_anchor="end", fill=INK)  # fmt: skip


def _marker(parent: ET.Element, shape: str, x: float, y: float, colour: str) -> None:
    r = 4.0
    if shape == "circle":
        _el(parent, "circle", cx=_fmt(x), cy=_fmt(y), r=_fmt(r), fill=colour)
    elif shape == "square":
        _el(
            parent,
            "rect",
            x=_fmt(x - r),
            y=_fmt(y - r),
            width=_fmt(2 * r),
            height=_fmt(2 * r),
            fill=colour,
        )
    else:
        corners = (
            [(x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r)]
            if shape == "triangle"
            else [(x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y)]
        )
        points = " ".join(f"{_fmt(px)},{_fmt(py)}" for px, py in corners)
        _el(parent, "polygon", points=points, fill=colour)


def _date_ticks(first: When, last: When, label: Callable[[When], str]) -> dict[str, When]:
    """Label up to MAX_DATE_TICKS evenly spaced moments from ``first`` to ``last`` once each."""
    steps = MAX_DATE_TICKS - 1
    ticks = [first + (last - first) * i / steps for i in range(steps + 1)]
    return {label(t): t for t in reversed(ticks)} | {label(first): first}


def line_chart(
    *,
    title: str,
    description: str,
    series: Sequence[Series],
    y_ticks: Sequence[float],
    format_date: Callable[[When], str],
) -> str:
    """Draw ``series`` against a time axis (by date, not by position) as an SVG string.

    ``y_ticks`` fixes the vertical scale from its smallest to its largest value; ``title``
    and ``description`` become the SVG's accessible name and description. An empty chart
    (no points) is an empty string.
    """
    if len(series) > len(STYLES):
        raise ValueError(f"A chart draws at most {len(STYLES)} series.")
    moments = [t for s in series for t, _ in s.points]
    if not moments:
        return ""
    first, last = min(moments, key=_day_number), max(moments, key=_day_number)
    low, high = min(y_ticks), max(y_ticks)
    plot_w, plot_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    start, span = _day_number(first), _day_number(last) - _day_number(first)

    def x(when: When) -> float:
        return PAD + (plot_w * (_day_number(when) - start) / span if span else plot_w / 2)

    def y(value: float) -> float:
        return PAD + plot_h * (high - value) / ((high - low) or 1)

    svg = _svg(title=title, description=description, width=WIDTH, height=HEIGHT + LEGEND)
    _grid(svg, y_ticks, y, left=PAD, right=WIDTH - PAD, label=lambda value: f"{value:g}")
    for text, tick in _date_ticks(first, last, format_date).items():
        edge = {first: "start", last: "end"} if span else {}
        anchor = edge.get(tick, "middle")
        _el(
            svg,
            "line",
            x1=_fmt(x(tick)),
            x2=_fmt(x(tick)),
            y1=HEIGHT - PAD,
            y2=HEIGHT - PAD + 4,
            stroke=MUTED,
            stroke_width=1,
        )
        _el(
            svg,
            "text",
            text,
            x=_fmt(x(tick)),
            y=HEIGHT - PAD + 16,
            font_size=10,
            text_anchor=anchor,
            fill=MUTED,
        )
    middle = (len(series) - 1) / 2
    for index, (one, (colour, dash, shape)) in enumerate(zip(series, STYLES, strict=False)):
        nudge = (index - middle) * NUDGE
        placed = sorted(((x(t), y(v) + nudge) for t, v in one.points))
        group = _el(svg, "g")
        line = {"stroke_dasharray": dash} if dash else {}
        _el(
            group,
            "polyline",
            points=" ".join(f"{_fmt(px)},{_fmt(py)}" for px, py in placed),
            fill="none",
            stroke=colour,
            stroke_width=2.5,
            **line,
        )
        for px, py in placed:
            _marker(group, shape, px, py, colour)
        lx = PAD + index * 95
        _el(
            svg,
            "line",
            x1=lx,
            x2=lx + 22,
            y1=HEIGHT + 10,
            y2=HEIGHT + 10,
            stroke=colour,
            stroke_width=2.5,
            **line,
        )
        _marker(svg, shape, lx + 11, HEIGHT + 10, colour)
        _el(svg, "text", one.label, x=lx + 27, y=HEIGHT + 14, font_size=11, fill=INK)
    return ET.tostring(svg, encoding="unicode")


def _percent(share: float) -> str:
    return f"{share:.0%}"


def band_chart(*, title: str, description: str, points: Sequence[Spread]) -> str:
    """Draw the median as a line inside its quartile band, one point per week, on 0–100 %."""
    height = 170
    top, bottom = PAD, height - PAD

    def y(share: float) -> float:
        return bottom - (bottom - top) * share

    svg = _svg(title=title, description=description, width=SPREAD_WIDTH, height=height)
    _grid(svg, SHARE_TICKS, y, left=SPREAD_LEFT, right=SPREAD_WIDTH - PAD, label=_percent)
    step = (SPREAD_WIDTH - PAD - SPREAD_LEFT) / max(len(points) - 1, 1)
    runs: list[list[tuple[float, Spread]]] = [[]]
    for index, point in enumerate(points):
        if point.median is None or point.q1 is None or point.q3 is None:
            runs.append([])
        else:
            runs[-1].append((SPREAD_LEFT + index * step, point))
    for run in filter(None, runs):
        upper = [f"{_fmt(x)},{_fmt(y(p.q3))}" for x, p in run]
        lower = [f"{_fmt(x)},{_fmt(y(p.q1))}" for x, p in reversed(run)]
        _el(svg, "polygon", points=" ".join(upper + lower), fill=BAND)
        line = " ".join(f"{_fmt(x)},{_fmt(y(p.median))}" for x, p in run)
        _el(svg, "polyline", points=line, fill="none", stroke=LINE, stroke_width=2.5)
    for index in (0, len(points) - 1) if points else ():
        _el(svg, "text", points[index].label, x=_fmt(SPREAD_LEFT + index * step), y=height - 6,
            font_size=10, text_anchor="start" if index == 0 else "end", fill=INK)  # fmt: skip
    return ET.tostring(svg, encoding="unicode")


def range_chart(*, title: str, description: str, rows: Sequence[Spread]) -> str:
    """Draw one horizontal quartile range per group with its median marked, on 0–100 %."""
    row_h, label_w = 26, 150
    height = PAD + row_h * len(rows) + 8
    span = SPREAD_WIDTH - PAD - label_w

    def x(share: float) -> float:
        return label_w + span * share

    svg = _svg(title=title, description=description, width=SPREAD_WIDTH, height=height)
    for index, row in enumerate(rows):
        mid = PAD + index * row_h + row_h / 2
        _el(svg, "text", row.label, x=label_w - 6, y=_fmt(mid + 4), font_size=10,
            text_anchor="end", fill=INK)  # fmt: skip
        if row.median is None or row.q1 is None or row.q3 is None:
            continue
        _el(svg, "rect", x=_fmt(x(row.q1)), y=_fmt(mid - 6), height=12, fill=BAND,
            width=_fmt(max(x(row.q3) - x(row.q1), 1)))  # fmt: skip
        _el(svg, "line", x1=_fmt(x(row.median)), x2=_fmt(x(row.median)), y1=_fmt(mid - 9),
            y2=_fmt(mid + 9), stroke=LINE, stroke_width=3)  # fmt: skip
    for tick in (0.0, 0.5, 1.0):
        _el(svg, "text", _percent(tick), x=_fmt(x(tick)), y=PAD - 8, font_size=10,
            text_anchor="middle", fill=INK)  # fmt: skip
    return ET.tostring(svg, encoding="unicode")
