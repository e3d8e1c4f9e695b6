"""The hub's spread charts: withheld weeks are gaps, never zeros, and no label injects markup."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from charts.svg import Spread, band_chart, range_chart

NS = {"svg": "http://www.w3.org/2000/svg"}


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, the thing under test


def test_a_withheld_week_splits_the_band_instead_of_dropping_to_zero():
    points = [Spread("W1", 0.4, 0.5, 0.6), Spread("W2", None, None, None),
              Spread("W3", 0.4, 0.5, 0.6), Spread("W4", 0.45, 0.55, 0.65)]  # fmt: skip
    svg = _parse(band_chart(title="Trend", description="About it", points=points))
    lines = svg.findall("svg:polyline", NS)
    assert [len(line.get("points").split()) for line in lines] == [1, 2]
    assert len(svg.findall("svg:polygon", NS)) == 2


def test_a_withheld_group_is_labelled_but_not_drawn():
    rows = [Spread("Shown", 0.4, 0.5, 0.6), Spread("Withheld", None, None, None)]
    svg = _parse(range_chart(title="Groups", description="About it", rows=rows))
    assert [t.text for t in svg.findall("svg:text", NS)][:2] == ["Shown", "Withheld"]
    assert len(svg.findall("svg:rect", NS)) == 1


def test_labels_and_titles_are_text_not_markup():
    evil = '<script>alert(1)</script>"&'
    svg = band_chart(title=evil, description=evil, points=[Spread(evil, 0.1, 0.2, 0.3)])
    assert "<script>" not in svg
    assert _parse(svg).find("svg:title", NS).text == evil
