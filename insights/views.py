"""Insights pages: where a team's paid time goes, week by week, and a member's own week."""

from __future__ import annotations

import re
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from caseload import feedback
from caseload import selectors as caseload_selectors
from insights import charts, formulas, pdf, pvi, selectors, services
from insights.codes import BY_CODE, CODES
from insights.forms import ClientAnswerForm, PulseForm
from insights.models import ClientAnswerChannel
from teams import selectors as people
from teams import services as people_services
from teams import throttle
from teams.access import Access, TeamRequest, team_context, team_view
from teams.language import language_from_query

TREND_WEEKS = 12
REPORT_MONTHS = 12
FIRST_YEAR = 2000  # no team kept records in Patch before this


@require_GET
def codes_json(request: HttpRequest) -> JsonResponse:
    """Publish the code list: it is public (no personal data), so anyone may read it."""
    return JsonResponse({"version": 1, "codes": [code.as_json() for code in CODES]})


def _week(request: TeamRequest) -> tuple[str, str | None]:
    """The week asked for (``?week=2026W48``), or this week with the reason it was refused."""
    this_week = formulas.iso_week(timezone.localdate())
    asked = request.GET.get("week", "")
    if not asked:
        return this_week, None
    try:
        start, _end = formulas.week_days(asked)
    except ValueError as error:
        return this_week, str(error)
    if formulas.iso_week(start) > this_week:
        return this_week, _("That week has not started yet.")
    if start.year < FIRST_YEAR:
        return this_week, _("There are no figures before 2000.")
    return formulas.iso_week(start), None


def _week_links(week: str, error: str | None) -> dict:
    """The week navigation every Insights week page shows, and why a week asked for was refused."""
    start, end = formulas.week_days(week)
    return {
        "error": error,
        "start": start,
        "end": end,
        "previous": formulas.iso_week(start - formulas.ONE_WEEK),
        "next": formulas.iso_week(end + formulas.ONE_DAY),
        "is_current": week == formulas.iso_week(timezone.localdate()),
    }


@team_view()
@require_GET
def team_insights(request: TeamRequest) -> HttpResponse:
    week, error = _week(request)
    today = timezone.localdate()
    links = _week_links(week, error)
    figures, stored = _team_figures(request, week=week, today=today, is_current=links["is_current"])
    if links["is_current"]:
        services.week_close_noticed(team=request.team, stored=stored, today=today)
    if request.htmx:
        return HttpResponse(figures, status=400 if error else 200)
    context = team_context(
        request, week=week, figures=figures, months=report_months(today), **links
    )
    return render(request, "insights/team.html", context, status=400 if error else 200)


def _team_figures(
    request: TeamRequest, *, week: str, today: date, is_current: bool
) -> tuple[str, frozenset[str]]:
    """The figures part of the team page, rendered once per change of what it shows.

    The key holds everything the fragment depends on: the team's data version and its stored
    weeks (``selectors.figures_key``), the day, the week, whether a coach is reading (no
    member rows) and the language. Rendering is most of the page's cost, so a page that
    nothing has changed since is served from the cache.
    """
    coach = request.access is Access.COACH
    key = selectors.figures_key(
        team=request.team, week=week, today=today, variant=f"{coach}:{get_language()}"
    )
    if cached := cache.get(key):
        return cached
    shown = selectors.week_shown(team=request.team, week=week, today=today, weeks=TREND_WEEKS)
    context = team_context(
        request,
        week=shown.week,
        rows=selectors.breakdown_rows(shown.week.team),
        trend=shown.trend,
        chart=charts.shares_svg(shown.trend),
        members=[] if coach else selectors.member_rows(team=request.team, week=shown.week),
        is_current=is_current,
    )
    result = (render_to_string("insights/_team_figures.html", context, request), shown.stored)
    cache.set(key, result, selectors.FRESH_SECONDS)
    return result


def report_months(today: date) -> list[date]:
    """The first days of this month and the eleven before it, newest first: the report picker."""
    months = [today.replace(day=1)]
    while len(months) < REPORT_MONTHS:
        months.append((months[-1] - formulas.ONE_DAY).replace(day=1))
    return months


def _month(text: str) -> date:
    """The first day of a ``YYYY-MM`` month that has started; Http404 for anything else."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if not match:
        raise Http404
    try:
        first = date(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise Http404 from None
    if first.year < FIRST_YEAR or first > timezone.localdate():
        raise Http404
    return first


@team_view()
@require_GET
def report_pick(request: TeamRequest) -> HttpResponse:
    """Send the month picker's choice (``?month=2026-11``) on to that month's PDF; without a
    month (or with one that is not a month to report on) list the months to choose from."""
    asked = request.GET.get("month")
    if asked is not None:
        try:
            first = _month(asked)
        except Http404:
            pass
        else:
            return redirect("insights:report", team_slug=request.team.slug, month=f"{first:%Y-%m}")
    context = team_context(
        request, months=report_months(timezone.localdate()), error=asked is not None
    )
    return render(
        request, "insights/report_pick.html", context, status=200 if asked is None else 400
    )


@team_view()
@require_GET
def month_report(request: TeamRequest, month: str) -> HttpResponse:
    """The month's weeks as a PDF: the page's charts and tables, the index beside its parts."""
    first = _month(month)
    report = selectors.month_report(team=request.team, first=first, today=timezone.localdate())
    document = pdf.month_pdf(request, team=request.team, report=report)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="insights-{request.team.slug}-{month}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@team_view()
@require_GET
def my_week(request: TeamRequest) -> HttpResponse:
    if request.access is not Access.MEMBER:
        raise Http404
    week, error = _week(request)
    today = timezone.localdate()
    figures = selectors.week_shown(team=request.team, week=week, today=today, weeks=1).week
    mine = figures.members.get(request.user.pk) or formulas.time_breakdown(
        rostered=0, leave=0, recorded={}
    )
    context = team_context(
        request,
        week=figures,
        mine=mine,
        rows=selectors.breakdown_rows(mine),
        unrecorded=BY_CODE[formulas.UNRECORDED],
        unrecorded_hours=mine.hours(formulas.UNRECORDED),
        **_week_links(figures.week, error),
    )
    return render(request, "insights/my_week.html", context, status=400 if error else 200)


@team_view()
def pulse(request: TeamRequest) -> HttpResponse:
    """The weekly staff pulse: answer once a week; the team's results, never a person's."""
    if request.access is not Access.MEMBER:
        raise Http404
    week = formulas.iso_week(timezone.localdate())
    answered = selectors.pulse_answered(team=request.team, member=request.user, week=week)
    form = PulseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not answered and form.is_valid():
        try:
            services.pulse_answer(team=request.team, member=request.user, answers=form.cleaned_data)
        except services.AlreadyAnswered as error:
            messages.info(request, str(error))
        else:
            messages.success(request, _("Thank you. Your answers are counted, not kept by name."))
        return redirect("insights:pulse", team_slug=request.team.slug)
    # Not the cached week: the counts must be the database's own, as the five-answer rule
    # is read from them.
    this_week = selectors.team_week(team=request.team, week=week, today=timezone.localdate())
    context = team_context(
        request, form=form, answered=answered, week=this_week, minimum=pvi.MIN_PULSE_ANSWERS
    )
    return render(request, "insights/pulse.html", context, status=400 if form.errors else 200)


@team_view(write=True)
@language_from_query
def ask_client(request: TeamRequest, visit_id) -> HttpResponse:
    """The client's question on the nurse's tablet: one tap on an answer sends it."""
    visit = caseload_selectors.visit_for_member(team=request.team, visit_id=visit_id)
    form = ClientAnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_answer_save(
                visit=visit, channel=ClientAnswerChannel.TABLET, **form.cleaned_data
            )
        except services.AlreadyAnswered as error:
            note = str(error)
        else:
            note = ""
        return render(request, "insights/answer_thanks.html", {"on_tablet": True, "note": note})
    return _question(request, form, visit)


def _question(request: HttpRequest, form: ClientAnswerForm, visit) -> HttpResponse:
    """Ask the client's question. No team in the context, so no team menu: the client holds
    the tablet (or their own phone), and the page offers no way into anyone's records."""
    context = {
        "form": form,
        "question": pvi.CLIENT_QUESTION,
        "ratings": pvi.ClientRating.choices,
        "answered": selectors.visit_answered(visit=visit),
    }
    return render(request, "insights/ask.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def coaching(request: HttpRequest) -> HttpResponse:
    """A coach's view across the teams they coach: each team's weekly aggregates, no people."""
    teams = list(people.coached_teams(user=request.user))
    if not teams:
        raise Http404
    overview = selectors.teams_overview(teams=teams, weeks=TREND_WEEKS)
    return render(request, "insights/coaching.html", {"overview": overview})


@team_view()
def organisation(request: TeamRequest) -> HttpResponse:
    """The organisation's teams that share their weekly figures, and this team's own choice."""
    team = request.team
    if request.method == "POST":
        if request.access is not Access.MEMBER:
            raise Http404
        share = request.POST.get("share")
        if share not in {"yes", "no"}:
            return HttpResponse(_("Choose to share or to stop sharing."), status=400)
        try:
            people_services.figures_sharing_set(team=team, share=share == "yes", by=request.user)
        except people_services.TeamError as error:
            return HttpResponse(str(error), status=400)
        return redirect("insights:organisation", team_slug=team.slug)
    peers = people.sharing_peers(team=team)
    context = team_context(
        request,
        overview=selectors.teams_overview(teams=[team, *peers], weeks=TREND_WEEKS) if peers else [],
    )
    return render(request, "insights/organisation.html", context)


ANSWERS_PER_ADDRESS_PER_HOUR = 30  # a household answering for several visits, not a script


@language_from_query
def answer_by_link(request: HttpRequest, code: str) -> HttpResponse:
    """The client's question from the link on the day sheet: no login, one answer per visit."""
    visit = feedback.visit_for_code(code)
    if visit is None:
        return render(request, "insights/answer_gone.html", status=404)
    form = ClientAnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not throttle.allowed(
            kind="client-answer",
            value=request.META.get("REMOTE_ADDR", ""),
            limit=ANSWERS_PER_ADDRESS_PER_HOUR,
            seconds=3600,
        ):
            return render(request, "insights/answer_gone.html", {"busy": True}, status=429)
        if form.is_valid():
            try:
                services.client_answer_save(
                    visit=visit, channel=ClientAnswerChannel.LINK, **form.cleaned_data
                )
            except services.AlreadyAnswered as error:
                return render(request, "insights/answer_thanks.html", {"note": str(error)})
            return render(request, "insights/answer_thanks.html", {"note": ""})
    return _question(request, form, visit)
