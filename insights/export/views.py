"""The team's commons page: the decision to join, what was sent, and a preview of what leaves."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure import schema
from insights.codes import BY_CODE
from insights.export import selectors, services
from insights.export.forms import SERVICE_LABELS, JoinForm
from insights.export.payload import HOURS_CATEGORY, PAID
from insights.pvi import PULSE_ITEMS, ClientRating
from teams.access import Access, TeamRequest, team_context, team_view

# Why a cell is withheld, in the team's words (the codes are disclosure's, like OBS_STATUS).
REASONS = {
    schema.WITHHELD: gettext_lazy(
        "The whole week is withheld: fewer than 5 staff or 5 clients contributed."
    ),
    schema.SMALL_COUNT: gettext_lazy("A small count (1 to 7): it could point to one person."),
    schema.DOMINANCE: gettext_lazy(
        "One contributor gives more than half of this figure, so it would say too much about them."
    ),
    schema.P_PERCENT: gettext_lazy(
        "Others could estimate one person's share too closely (the p% rule)."
    ),
    schema.SECONDARY: gettext_lazy(
        "Hidden so that another hidden figure cannot be worked out from totals."
    ),
    schema.TOO_FEW_TEAMS: gettext_lazy("Too few teams."),
}
ELEMENTS = {
    "HOURS": gettext_lazy("Hours"),
    "VISITS": gettext_lazy("Visits"),
    "CLIENTS": gettext_lazy("Clients"),
    "CONTINUITY": gettext_lazy("Continuity of care (visits)"),
    "OUTCOME_CHANGE": gettext_lazy("Outcome change (sum of rating points)"),
    "OUTCOME_N": gettext_lazy("Outcome ratings (pairs)"),
    "PULSE_SUM": gettext_lazy("Staff pulse (sum of answers, 4 weeks)"),
    "PULSE_N": gettext_lazy("Staff pulse (answers, 4 weeks)"),
    "CLIENT_ANSWERS": gettext_lazy("Clients' answers (4 weeks)"),
}
CATEGORIES = {
    **{category: BY_CODE[code].label for code, category in HOURS_CATEGORY.items()},
    PAID: gettext_lazy("Paid (the total)"),
    **dict(PULSE_ITEMS),
    **dict(ClientRating.choices),
    "planned": gettext_lazy("Planned"),
    "done": gettext_lazy("Done"),
    "missed": gettext_lazy("Missed"),
    "cancelled": gettext_lazy("Cancelled"),
    "caseload": gettext_lazy("Caseload"),
    "top_two": gettext_lazy("By one of the client's two most frequent nurses"),
    "visits": gettext_lazy("All done visits"),
    "knowledge": gettext_lazy("Knowledge"),
    "behaviour": gettext_lazy("Behaviour"),
    "status": gettext_lazy("Status"),
}


@team_view()
def commons(request: TeamRequest) -> HttpResponse:
    """Show the team's place in the commons; members join or leave (a team decision)."""
    team = request.team
    enrolment = selectors.enrolment(team=team)
    form = JoinForm(
        request.POST if request.POST.get("decision") == "join" else None,
        initial={"region": enrolment.region, "service_type": enrolment.service_type},
    )
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision == "leave":
            services.commons_leave(team=team, by=request.user)
            messages.success(request, _("The team has left the commons. Nothing more is sent."))
            return redirect("insights:commons", team_slug=team.slug)
        if decision != "join":
            return HttpResponse(_("Choose to join or to leave."), status=400)
        if form.is_valid():
            try:
                services.commons_join(team=team, by=request.user, **form.cleaned_data)
            except services.CommonsError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The team has joined the commons."))
                return redirect("insights:commons", team_slug=team.slug)
    weeks = selectors.recent_weeks()
    week = request.GET.get("week", "")
    week = week if week in weeks else weeks[0]
    latest = selectors.latest_sending(team=team, week=week)
    preview = selectors.preview(
        team=team, week=week, enrolment=enrolment, revision=latest.revision + 1 if latest else 1
    )
    context = team_context(
        request,
        enrolment=enrolment,
        commons_on=bool(services.hub_url()),
        form=form,
        can_decide=request.access is Access.MEMBER,
        sendings=selectors.sendings(team=team),
        weeks=weeks,
        week=week,
        latest=latest,
        preview=preview,
        rows=_rows(preview),
        region_name=_(schema.REGIONS[enrolment.region]) if enrolment.region else "",
        service_name=SERVICE_LABELS.get(enrolment.service_type, ""),
        payload_json=json.dumps(preview.payload, indent=2) if preview else "",
    )
    return render(
        request, "insights/export/commons.html", context, status=400 if form.errors else 200
    )


def _rows(preview: selectors.Preview | None) -> list[dict]:
    """Each cell of the payload with its labels and, when withheld, why."""
    if preview is None:
        return []
    return [
        {
            "element": ELEMENTS.get(cell.element, cell.element),
            "code": cell.element,
            "category": CATEGORIES.get(cell.category, cell.category),
            "value": cell.value,
            "status": cell.status,
            "reason": REASONS.get(cell.status, "") if cell.status else "",
        }
        for cell in preview.published
    ]
