"""Public pages of the hub: no login, nothing about one team, every figure through the gate."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from charts import svg as charts
from commons import gate, selectors
from commons.periods import period_of, sdmx_period

STRUCTURE_ID = "PATCH:COMMONS_WEEK(1.0)"
SDMX_COLUMNS = ["STRUCTURE", "STRUCTURE_ID", "ACTION", *selectors.COLUMNS]


Row = tuple[str, gate.Distribution, str]  # a table row: label, spread, unit ("share" or "points")


def _svg(svg: str) -> str:
    return mark_safe(svg)  # noqa: S308 - ElementTree escaped every text in the SVG


def _trend_chart(title: str, trend: selectors.Trend) -> str:
    return _svg(
        charts.band_chart(
            title=title,
            description=_(
                "The median team's share of paid hours spent with clients, inside the band "
                "from the lower to the upper quartile. Gaps are weeks with too few teams."
            ),
            points=[charts.Spread(period_of(monday), q.q1, q.median, q.q3) for monday, q in trend],
        )
    )


def _trend_rows(trend: selectors.Trend) -> list[Row]:
    return [(sdmx_period(period_of(monday)), q, "share") for monday, q in trend]


def _spreads_chart(title: str, rows: list[Row]) -> str:
    return _svg(
        charts.range_chart(
            title=title,
            description=_("Lower quartile to upper quartile, with the median marked."),
            rows=[charts.Spread(label, q.q1, q.median, q.q3) for label, q, _unit in rows],
        )
    )


def _group_trends(groups: list[selectors.GroupTrend], name: Callable[[str], str]) -> list[dict]:
    """Each group's chart and table over the year, or nothing where every week is withheld."""
    result = []
    for group in groups:
        title = _("Time on the frontline, week by week: %(group)s") % {"group": name(group.code)}
        result.append(
            {
                "name": name(group.code),
                "caption": title,
                "chart": _trend_chart(title, group.trend) if group.shown else "",
                "rows": _trend_rows(group.trend),
            }
        )
    return result


def _components(data: selectors.Dashboard) -> list[Row]:
    labels = {
        "client_voice": _("Client voice: answers good or very good"),
        "staff_voice": _("Staff voice: mean pulse, 1–5 mapped onto 0–100 %"),
        "outcome_change": _("Outcomes: mean change in Status rating"),
        "frontline": _("Time on the frontline"),
        "continuity": _("Continuity: visits by one of the client's two most frequent nurses"),
    }
    nothing = gate.spread([], label="")
    return [
        (
            text,
            data.components.get(name, nothing),
            "points" if name == "outcome_change" else "share",
        )
        for name, text in labels.items()
    ]


def _figures(data: selectors.Dashboard) -> str:
    """Render the dashboard's figures, cached under what they show and the language.

    The key is the figures themselves, so a cached fragment can never outlive its data; the
    page around it (header, sign-in links) is rendered per request.
    """
    digest = hashlib.sha256(f"{get_language()}|{data!r}".encode()).hexdigest()
    key = f"commons:dashboard:{digest}"
    figures = cache.get(key)
    if figures is None:
        region_rows = [(gate.region_name(g.code), g.spread, "share") for g in data.by_region]
        service_rows = [
            (gate.service_type_name(g.code), g.spread, "share") for g in data.by_service_type
        ]
        context = {
            "data": data,
            "min_teams": gate.MIN_TEAMS,
            "trend_chart": _trend_chart(
                _("Time on the frontline across teams, week by week"), data.trend
            ),
            "trend_rows": _trend_rows(data.trend),
            "region_chart": _spreads_chart(_("Time on the frontline by region"), region_rows),
            "region_rows": region_rows,
            "service_chart": _spreads_chart(
                _("Time on the frontline by service type"), service_rows
            ),
            "service_rows": service_rows,
            "group_sections": [
                (_("By region"), _group_trends(data.region_trends, gate.region_name)),
                (
                    _("By service type"),
                    _group_trends(data.service_trends, gate.service_type_name),
                ),
            ],
            "component_rows": _components(data),
        }
        figures = render_to_string("commons/_dashboard_figures.html", context)
        cache.set(key, figures, settings.COMMONS_CACHE_SECONDS)
    return mark_safe(figures)  # noqa: S308 - rendered by the template engine, which escaped it


@require_safe
@cache_control(public=True, max_age=300)
def dashboard(request: HttpRequest) -> HttpResponse:
    data = selectors.dashboard()
    context = {"data": data, "min_teams": gate.MIN_TEAMS}
    if data is not None:
        context["figures"] = _figures(data)
    return render(request, "commons/dashboard.html", context)


@require_safe
@cache_control(public=True, max_age=300)
def data_csv(request: HttpRequest) -> HttpResponse:
    """Serve every observation in the SDMX-CSV 2.0 shape, with OBS_STATUS flags."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="patch-commons.csv"'
    writer = csv.writer(response, lineterminator="\n")
    writer.writerow(SDMX_COLUMNS)
    lead = ("dataflow", STRUCTURE_ID, "I")
    writer.writerows(
        (*lead, *("" if v is None else v for v in row.values())) for row in selectors.observations()
    )
    return response


@require_safe
def dictionary(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "commons/dictionary.html",
        {
            "codes": gate.code_list(),
            "columns": SDMX_COLUMNS,
            "min_teams": gate.MIN_TEAMS,
            "min_sum_teams": gate.MIN_TEAMS_FOR_SUMS,
        },
    )


@require_safe
@cache_control(public=True, max_age=3600)
def schema_v1(request: HttpRequest) -> JsonResponse:
    return JsonResponse(gate.json_schema())
