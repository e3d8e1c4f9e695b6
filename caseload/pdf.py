"""PDFs for people outside Patch (a GP, a hospital) and for a nurse's printed day."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from caseload import feedback, selectors
from caseload.charts import kbs_chart
from caseload.models import KBS_LABELS, Client


def _pdf(request: HttpRequest, template: str, context: dict, filename: str) -> HttpResponse:
    html = render_to_string(template, context, request=request)
    document = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def client_summary(request: HttpRequest, client: Client) -> HttpResponse:
    plan = selectors.care_plan(client=client)
    context = {
        "client": client,
        "plan": plan,
        "charts": {
            v.care_problem.pk: kbs_chart(v.ratings, problem=v.care_problem.problem, table=False)
            for v in plan
        },
        "kbs_labels": KBS_LABELS,
        "visitors": selectors.recent_visitors(client=client, today=timezone.localdate()),
        "notes": selectors.client_notes(client=client, limit=10),
        "printed_at": timezone.now(),
        "printed_by": request.user,
    }
    return _pdf(request, "caseload/pdf/client_summary.html", context, f"client-{client.pk}.pdf")


def day_sheet(request: HttpRequest, *, day: date, visits: list) -> HttpResponse:
    links = feedback.answer_links(request, [item.visit for item in visits])
    rows = [(item, *links[item.visit.pk]) for item in visits]
    context = {"day": day, "rows": rows, "member": request.user, "printed_at": timezone.now()}
    return _pdf(request, "caseload/pdf/day_sheet.html", context, f"day-sheet-{day}.pdf")
