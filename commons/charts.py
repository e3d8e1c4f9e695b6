"""Distribution charts for the hub's dashboard, as SVG drawn on the server.

``teams/charts.py`` draws lines over time; a hub figure is a spread (quartiles and median
across teams), which needs a band over weeks and a range per group, so these two live here.
Pure Python: callers pass translated text. ElementTree escapes every text and attribute.
Suppressed points (``None``) leave a gap: missing is never drawn as zero.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH, PAD, LEFT = 360, 24, 40
INK, GRID, BAND, LINE = "#0b0c0c", "#b1b4b6", "#bbd4ea", "#1d70b8"


@dataclass(frozen=True)
class Spread:
    """Lower quartile, median and upper quartile of one figure across teams (None: withheld)."""

    label: str
    q1: float | None
    median: float | None
    q3: float | None


def _svg(title: str, description: str, height: int) -> ET.Element:
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {WIDTH} {height}",
            "class": "patch-chart",
            "font-family": "system-ui, sans-serif",
            "role": "img",
            "aria-label": title,
        },
    )
    ET.SubElement(svg, "title").text = title
    ET.SubElement(svg, "desc").text = description
    return svg


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: object) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.replace("_", "-"): str(v) for k, v in attrs.items()})
    element.text = text
    return element


def _percent_axis(svg: ET.Element, y: callable, right: float) -> None:
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        _el(svg, "line", x1=LEFT, x2=right, y1=f"{y(tick):.1f}", y2=f"{y(tick):.1f}", stroke=GRID)
        _el(
            svg, "text", f"{tick:.0%}", x=LEFT - 6, y=f"{y(tick) + 4:.1f}",
            font_size=10, text_anchor="end", fill=INK,
        )  # fmt: skip


def band_chart(*, title: str, description: str, points: Sequence[Spread]) -> str:
    """Draw the median as a line inside its quartile band, one point per week, on 0–100 %."""
    height = 170
    top, bottom = PAD, height - PAD
    svg = _svg(title, description, height)

    def y(share: float) -> float:
        return bottom - (bottom - top) * share

    _percent_axis(svg, y, WIDTH - PAD)
    step = (WIDTH - PAD - LEFT) / max(len(points) - 1, 1)
    runs: list[list[tuple[float, Spread]]] = [[]]
    for index, point in enumerate(points):
        if point.median is None:
            runs.append([])
        else:
            runs[-1].append((LEFT + index * step, point))
    for run in filter(None, runs):
        upper = [f"{x:.1f},{y(p.q3):.1f}" for x, p in run]
        lower = [f"{x:.1f},{y(p.q1):.1f}" for x, p in reversed(run)]
        _el(svg, "polygon", points=" ".join(upper + lower), fill=BAND)
        line = " ".join(f"{x:.1f},{y(p.median):.1f}" for x, p in run)
        _el(svg, "polyline", points=line, fill="none", stroke=LINE, stroke_width=2.5)
    for index in (0, len(points) - 1) if points else ():
        anchor = "start" if index == 0 else "end"
        _el(
            svg, "text", points[index].label, x=f"{LEFT + index * step:.1f}", y=height - 6,
            font_size=10, text_anchor=anchor, fill=INK,
        )  # fmt: skip
    return ET.tostring(svg, encoding="unicode")


def range_chart(*, title: str, description: str, rows: Sequence[Spread]) -> str:
    """Draw one horizontal quartile range per group with its median marked, on 0–100 %."""
    row_h, label_w = 26, 150
    height = PAD + row_h * len(rows) + 8
    svg = _svg(title, description, height)
    span = WIDTH - PAD - label_w

    def x(share: float) -> float:
        return label_w + span * share

    for index, row in enumerate(rows):
        mid = PAD + index * row_h + row_h / 2
        _el(svg, "text", row.label, x=label_w - 6, y=f"{mid + 4:.1f}", font_size=10,
            text_anchor="end", fill=INK)  # fmt: skip
        if row.median is None:
            continue
        _el(svg, "rect", x=f"{x(row.q1):.1f}", y=f"{mid - 6:.1f}", height=12, fill=BAND,
            width=f"{max(x(row.q3) - x(row.q1), 1):.1f}")  # fmt: skip
        _el(svg, "line", x1=f"{x(row.median):.1f}", x2=f"{x(row.median):.1f}",
            y1=f"{mid - 9:.1f}", y2=f"{mid + 9:.1f}", stroke=LINE, stroke_width=3)  # fmt: skip
    for tick in (0.0, 0.5, 1.0):
        _el(svg, "text", f"{tick:.0%}", x=f"{x(tick):.1f}", y=PAD - 8, font_size=10,
            text_anchor="middle", fill=INK)  # fmt: skip
    return ET.tostring(svg, encoding="unicode")
