"""The rota as an A4 landscape PDF for the noticeboard (WeasyPrint)."""

from __future__ import annotations

from django.template.loader import render_to_string

from rota.selectors import Grid


def rota_pdf(*, grid: Grid) -> bytes:
    from weasyprint import HTML  # imported here: loading it is slow and only this needs it

    html = render_to_string("rota/pdf.html", {"grid": grid, "team": grid.period.team})
    return HTML(string=html).write_pdf()
