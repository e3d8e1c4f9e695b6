"""The monthly Insights report as an A4 PDF (WeasyPrint), with the page's SVG charts."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from insights import charts
from insights.selectors import MonthReport, breakdown_rows
from teams.models import Team


def month_pdf(request: HttpRequest, *, team: Team, report: MonthReport) -> bytes:
    from weasyprint import HTML  # imported here: loading it is slow and only this needs it

    context = {
        "team": team,
        "report": report,
        "rows": breakdown_rows(report.team),
        "chart": charts.shares_svg(report.trend),
        "printed_at": timezone.now(),
    }
    html = render_to_string("insights/report.html", context, request=request)
    return HTML(string=html).write_pdf()
