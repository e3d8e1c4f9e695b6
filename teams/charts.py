"""Line charts over time as SVG, drawn on the server so the page and the PDF show one picture.

Pure Python (no Django): callers pass translated labels and a date formatter, and mark the
result safe. The SVG is built with ElementTree, which escapes every text and attribute, so a
label cannot inject markup. Each series differs in colour, dash pattern and marker shape, and
is nudged a few pixels off the others, so series with equal values stay visible side by side
(and apart without colour vision).
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

    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {WIDTH} {HEIGHT + LEGEND}",
            "class": "patch-chart",
            "font-family": "system-ui, sans-serif",
            "role": "img",
            "aria-label": _xml(title),
        },
    )
    _el(svg, "title", title)
    _el(svg, "desc", description)
    for value in y_ticks:
        _el(
            svg,
            "line",
            x1=PAD,
            x2=WIDTH - PAD,
            y1=_fmt(y(value)),
            y2=_fmt(y(value)),
            stroke=GRID,
            stroke_width=1,
        )
        _el(
            svg,
            "text",
            f"{value:g}",
            x=PAD - 8,
            y=_fmt(y(value) + 4),
            font_size=11,
            text_anchor="end",
            fill=INK,
        )
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
