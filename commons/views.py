"""Public pages of the hub: no login, nothing about one team, every figure through the gate."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from commons import charts, gate, selectors
from commons.periods import period_of

STRUCTURE_ID = "PATCH:COMMONS_WEEK(1.0)"
SDMX_COLUMNS = [
    "STRUCTURE",
    "STRUCTURE_ID",
    "ACTION",
    "TIME_PERIOD",
    "REF_AREA",
    "SERVICE_TYPE",
    "DATA_ELEMENT",
    "CATEGORY",
    "MEASURE",
    "OBS_VALUE",
    "OBS_STATUS",
    "N_TEAMS",
]


def _spreads_chart(title: str, rows: list[selectors.GroupSpread], label) -> str:
    return mark_safe(  # noqa: S308 - ElementTree escaped every text in the SVG
        charts.range_chart(
            title=title,
            description=_("Lower quartile to upper quartile, with the median marked."),
            rows=[
                charts.Spread(label(r.code), r.spread.q1, r.spread.median, r.spread.q3)
                for r in rows
            ],
        )
    )


@require_safe
@cache_control(public=True, max_age=300)
def dashboard(request: HttpRequest) -> HttpResponse:
    data = selectors.dashboard()
    context = {"data": data, "min_teams": gate.MIN_TEAMS}
    if data is not None:
        context["trend_chart"] = mark_safe(  # noqa: S308 - ElementTree escaped every text
            charts.band_chart(
                title=_("Time on the frontline across teams, week by week"),
                description=_(
                    "The median team's share of paid hours spent with clients, inside the band "
                    "from the lower to the upper quartile. Gaps are weeks with too few teams."
                ),
                points=[
                    charts.Spread(period_of(monday), q.q1, q.median, q.q3)
                    for monday, q in data.trend
                ],
            )
        )
        context["region_chart"] = _spreads_chart(
            _("Time on the frontline by region"), data.by_region, gate.region_name
        )
        context["service_chart"] = _spreads_chart(
            _("Time on the frontline by service type"),
            data.by_service_type,
            gate.service_type_name,
        )
        context["region_rows"] = [(gate.region_name(r.code), r.spread) for r in data.by_region]
        context["service_rows"] = [
            (gate.service_type_name(r.code), r.spread) for r in data.by_service_type
        ]
    return render(request, "commons/dashboard.html", context)


@require_safe
@cache_control(public=True, max_age=300)
def data_csv(request: HttpRequest) -> HttpResponse:
    """Serve every observation in the SDMX-CSV 2.0 shape, with OBS_STATUS flags."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="patch-commons.csv"'
    writer = csv.DictWriter(response, fieldnames=SDMX_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in selectors.observations():
        writer.writerow(
            {"STRUCTURE": "dataflow", "STRUCTURE_ID": STRUCTURE_ID, "ACTION": "I"}
            | {k: ("" if v is None else v) for k, v in row.items()}
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
