"""The shared SVG line chart: a true time axis, escaped text, series that never hide each other."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charts.svg import STYLES, Series, line_chart

NS = {"svg": "http://www.w3.org/2000/svg"}
DAY = date(2026, 11, 1)


def _chart(*series: Series, title: str = "Chart", description: str = "About it") -> ET.Element:
    svg = line_chart(
        title=title,
        description=description,
        series=series,
        y_ticks=range(1, 6),
        format_date=lambda when: f"{when:%d %b}",
    )
    return _parse(svg)


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, the thing under test


def _points(svg: ET.Element) -> list[list[tuple[float, float]]]:
    return [
        [tuple(map(float, pair.split(","))) for pair in line.get("points").split()]
        for line in svg.iterfind("svg:g/svg:polyline", NS)
    ]


def test_points_are_placed_by_date_not_by_position():
    days = [DAY, DAY + timedelta(days=1), DAY + timedelta(days=10)]
    (line,) = _points(_chart(Series("Knowledge", [(d, 3) for d in days])))
    xs = [x for x, _ in line]
    assert (xs[1] - xs[0]) * 9 == pytest.approx(xs[2] - xs[1], abs=0.5)


def test_datetimes_are_placed_by_time_of_day_too():
    morning, evening = datetime(2026, 11, 1, 8, tzinfo=UTC), datetime(2026, 11, 1, 20, tzinfo=UTC)
    later = datetime(2026, 11, 2, 8, tzinfo=UTC)
    (line,) = _points(_chart(Series("Status", [(morning, 1), (evening, 2), (later, 3)])))
    xs = [x for x, _ in line]
    assert xs[1] - xs[0] == pytest.approx(xs[2] - xs[1], abs=0.5)


def test_series_with_equal_values_stay_apart_in_place_dash_and_marker():
    points = [(DAY, 2), (DAY + timedelta(days=7), 4)]
    svg = _chart(Series("Knowledge", points), Series("Status", points))
    first, second = _points(svg)
    assert all(a[1] != b[1] for a, b in zip(first, second, strict=True))
    groups = list(svg.iterfind("svg:g", NS))
    dashes = [g.find("svg:polyline", NS).get("stroke-dasharray") for g in groups]
    shapes = [g[1].tag for g in groups]
    assert len(set(dashes)) == 2 and len(set(shapes)) == 2


def test_title_and_description_name_the_chart_for_assistive_technology():
    svg = _chart(Series("K", [(DAY, 1)]), title="Ratings", description="One rating of 1.")
    assert svg.get("role") == "img" and svg.get("aria-label") == "Ratings"
    assert svg.findtext("svg:desc", namespaces=NS) == "One rating of 1."


def test_labels_are_escaped_not_markup():
    label = '<script>alert("x")</script> & "quotes"'
    raw = line_chart(
        title=label,
        description=label,
        series=[Series(label, [(DAY, 1)])],
        y_ticks=[1, 5],
        format_date=lambda when: label,
    )
    assert "<script>" not in raw
    assert label in [t.text for t in _parse(raw).iterfind(".//svg:text", NS)]


def test_a_chart_without_points_is_empty():
    assert (
        line_chart(
            title="t", description="d", series=[Series("K", [])], y_ticks=[1], format_date=str
        )
        == ""
    )


def test_more_series_than_styles_is_refused():
    series = [Series(str(i), [(DAY, 1)]) for i in range(len(STYLES) + 1)]
    with pytest.raises(ValueError, match="at most"):
        line_chart(title="t", description="d", series=series, y_ticks=[1], format_date=str)


@settings(deadline=None)  # a shared CI machine must not turn slowness into a failure
@given(
    labels=st.lists(st.text(), min_size=1, max_size=len(STYLES)),
    points=st.lists(
        st.tuples(st.dates(), st.floats(min_value=-1e6, max_value=1e6)), min_size=1, max_size=8
    ),
    ticks=st.lists(st.floats(min_value=-1e6, max_value=1e6), min_size=1, max_size=6),
)
def test_any_labels_dates_and_values_give_well_formed_svg(labels, points, ticks):
    series = [Series(label, points) for label in labels]
    svg = line_chart(
        title=labels[0], description=labels[-1], series=series, y_ticks=ticks, format_date=str
    )
    assert _parse(svg).tag == "{http://www.w3.org/2000/svg}svg"
