"""The KBS ratings chart: dated points and a text alternative."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from datetime import timedelta

from django.utils import timezone

from caseload import services
from caseload.charts import _chart_key, kbs_chart, kbs_svg
from caseload.models import Rating

NS = {"svg": "http://www.w3.org/2000/svg"}


def _rate(intervention, alice, days_ago: int, k: int) -> Rating:
    return services.rating_add(
        care_problem=intervention.care_problem,
        by=alice,
        knowledge=k,
        behaviour=2,
        status=k,
        now=timezone.now() - timedelta(days=days_ago),
    )


def test_ratings_are_placed_by_the_day_they_were_given(intervention, alice):
    ratings = [_rate(intervention, alice, d, k) for d, k in ((20, 1), (19, 2), (0, 3))]
    svg = ET.fromstring(kbs_svg(ratings, title="Ratings"))  # noqa: S314 - our own output
    line = svg.find("svg:g/svg:polyline", NS).get("points").split()
    xs = [float(point.split(",")[0]) for point in line]
    assert abs((xs[1] - xs[0]) * 19 - (xs[2] - xs[1])) < 1


def test_equal_knowledge_and_status_lines_are_drawn_apart(intervention, alice):
    ratings = [_rate(intervention, alice, d, 3) for d in (7, 0)]
    svg = ET.fromstring(kbs_svg(ratings, title="Ratings"))  # noqa: S314 - our own output
    knowledge, _behaviour, status = (
        line.get("points") for line in svg.iterfind("svg:g/svg:polyline", NS)
    )
    assert knowledge != status


def test_the_chart_comes_with_every_rating_as_a_table_and_a_summary(intervention, alice):
    for d, k in ((14, 1), (7, 2), (0, 4)):
        _rate(intervention, alice, d, k)
    html = kbs_chart(list(Rating.objects.all()), problem="Skin")
    assert "Ratings as a table" in html and html.count('<tr class="govuk-table__row">') == 4
    assert "3 ratings from" in html and "Knowledge from 1 to 4" in html


def test_the_pdf_chart_leaves_the_table_to_the_summary(intervention, alice):
    _rate(intervention, alice, 0, 2)
    html = kbs_chart(list(Rating.objects.all()), problem="Skin", table=False)
    assert "<svg" in html and "<table" not in html


def test_a_new_rating_is_drawn_at_once_though_the_chart_before_it_is_cached(intervention, alice):
    _rate(intervention, alice, 7, 1)
    assert "1 rating from" in kbs_chart(list(Rating.objects.all()), problem="Skin")
    _rate(intervention, alice, 0, 4)
    assert "Knowledge from 1 to 4" in kbs_chart(list(Rating.objects.all()), problem="Skin")


def test_a_cached_chart_is_never_another_problems(intervention, alice):
    """Two records rated alike at the same moment still draw their own charts (their ids)."""
    mine = _rate(intervention, alice, 0, 3)
    other = Rating.objects.get(pk=mine.pk)
    other.pk = uuid.uuid4()
    key = _chart_key([mine], problem="Skin", table=True)
    assert key != _chart_key([other], problem="Skin", table=True)
    assert key != _chart_key([mine], problem="Skin", table=False)
