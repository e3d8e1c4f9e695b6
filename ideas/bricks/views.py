"""The team's window on the commons' practices: browse and search them, adopt one.

Read from the hub on each request; when the hub is off or cannot answer, the page says so
(the team's own pages never fail because another server did).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.crypto import get_random_string
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure import text
from disclosure.practice import is_share_metric
from ideas import services as ideas_services
from ideas.bricks import client, selectors, services
from ideas.bricks.forms import PracticeForm
from teams.access import Access, TeamRequest, team_context, team_view

KINDS = {
    text.NAME: gettext_lazy("a name"),
    text.NHS_NUMBER: gettext_lazy("an NHS number"),
    text.PHONE: gettext_lazy("a phone number"),
    text.POSTCODE: gettext_lazy("a postcode"),
    text.DATE: gettext_lazy("a date, which could be a date of birth"),
}


def _shown(value: float | None, *, share: bool) -> str:
    if value is None:
        return ""
    if share:
        return f"{number_format(round(value * 100))}%"
    return number_format(value, decimal_pos=2, use_l10n=True)


def _figures(found: selectors.HubPractice | None) -> dict[str, str]:
    """The practice's figures as the page shows them: shares as percentages."""
    if found is None:
        return {}
    share = is_share_metric(found.metric)
    shown = found.before is not None and found.after is not None
    return {
        "before_shown": _shown(found.before, share=share) if shown else "",
        "after_shown": _shown(found.after, share=share) if shown else "",
        "change_shown": _shown(found.pooled.change[1], share=share) if found.pooled.shown else "",
    }


def _page_number(raw: str) -> int:
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 7 else 1


@team_view()
def practices(request: TeamRequest) -> HttpResponse:
    query = request.GET.get("q", "")[: selectors.MAX_QUERY].replace("\x00", "")
    try:
        page = selectors.hub_practices(query=query, page=_page_number(request.GET.get("page", "")))
    except selectors.Unanswered:
        page = None
    context = team_context(request, query=query, page=page, hub_on=bool(client.hub_url()))
    return render(request, "ideas/bricks/practices.html", context)


@team_view()
def practice(request: TeamRequest, public_id: str) -> HttpResponse:
    """Show one practice from the hub; a member's POST adopts it onto the team's board."""
    try:
        found = selectors.hub_practice(public_id=public_id)
    except selectors.Unanswered:
        found = None
        unanswered = True
    else:
        unanswered = False
        if found is None:
            raise Http404
    error = ""
    if request.method == "POST" and found is not None:
        try:
            idea = services.practice_adopt(team=request.team, by=request.user, public_id=public_id)
        except services.BrickError as refusal:
            error = str(refusal)
        else:
            messages.success(request, _("The practice is on the team's board as a proposal."))
            return redirect(idea)
    context = team_context(
        request,
        practice=found,
        unanswered=unanswered,
        error=error,
        can_adopt=request.access is Access.MEMBER
        and client.enrolment_for(team=request.team) is not None,
        **_figures(found),
    )
    return render(request, "ideas/bricks/practice.html", context, status=400 if error else 200)


@team_view(write=True)
def share(request: TeamRequest) -> HttpResponse:
    """Review a practice before it is shared: check it, see exactly what leaves, then send.

    "Check" runs the personal-data check with the team's names and shows which words to take
    out, or the practice as it will leave; "Send" publishes it (checked again first).
    """
    source = request.GET.get("source", "") or request.POST.get("source", "")
    idea = selectors.shareable_idea(team=request.team, source=source)
    if idea is not None:
        initial = selectors.share_initial(idea=idea)
    else:
        initial = {"source": source if source.isascii() and source.isalnum() and len(source) <= 64
                   else get_random_string(16)}  # fmt: skip
    form = PracticeForm(request.POST or None, initial=initial)
    findings: list[dict] = []
    preview = False
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data.items())
        try:
            if request.POST.get("action") == "send":
                public_id = services.practice_publish(team=request.team, by=request.user, **fields)
                if idea is not None:
                    ideas_services.idea_practice_record(
                        idea=idea, by=request.user, public_id=public_id
                    )
                messages.success(request, _("The practice is shared in the commons."))
                return redirect("bricks:practice", team_slug=request.team.slug, public_id=public_id)
            found = services.practice_check(
                team=request.team,
                by=request.user,
                texts={name: fields[name] for name in ("title", "problem", "practice")},
            )
            if found:
                raise services.PersonalData(found)
            preview = True
        except services.PersonalData as refusal:
            findings = _findings(form, refusal.found)
        except (services.BrickError, ideas_services.IdeaError) as refusal:
            form.add_error(None, str(refusal))
    context = team_context(
        request,
        form=form,
        findings=findings,
        preview=preview,
        metric_share=preview and is_share_metric(form.cleaned_data.get("metric") or ""),
    )
    failed = request.method == "POST" and (form.errors or findings)
    return render(request, "ideas/bricks/share.html", context, status=400 if failed else 200)


def _findings(form: PracticeForm, found: dict[str, list[text.Finding]]) -> list[dict]:
    """Each field's findings as the page lists them: the field, its words, what they look like."""
    return [
        {
            "field": form[name],
            "words": [{"words": f.words, "kind": KINDS[f.kind]} for f in items],
        }
        for name, items in found.items()
    ]
