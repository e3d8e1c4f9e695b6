"""The ideas board's pages: thin, each one form, one service, one template."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ideas import selectors, services
from ideas.bricks import client as bricks_client
from ideas.bricks import services as bricks
from ideas.forms import (
    AnswerForm,
    CommentForm,
    IdeaForm,
    OutcomeForm,
    ReviewForm,
    RoundForm,
    SearchForm,
)
from ideas.models import TEXT_MAX, ConsentRound, Idea, Status
from teams.access import TeamRequest, team_context, team_view
from teams.clock import today


def _idea(request: TeamRequest, idea_id: uuid.UUID) -> Idea:
    return get_object_or_404(Idea.objects.for_team(request.team).select_related("team"), pk=idea_id)


def _error(form, error: services.IdeaError) -> None:
    form.add_error(None, str(error))


def _form_page(
    request: TeamRequest,
    form: forms.Form,
    *,
    save: Callable[..., Any],
    done: str,
    heading: str,
    button: str,
    idea: Idea | None = None,
    after: Callable[[Any], None] | None = None,
    **extra: Any,
) -> HttpResponse:
    """Show one of the board's forms; a valid post is saved, said and leads to the idea.

    A refusal of the rules (``IdeaError``) stays on the form, beside what was typed.
    """
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(**form.cleaned_data)
        except services.IdeaError as error:
            _error(form, error)
        else:
            messages.success(request, done)
            if after is not None:
                after(saved)
            return redirect(idea or saved)
    context = team_context(request, form=form, idea=idea, heading=heading, button=button, **extra)
    return render(request, "ideas/form_page.html", context)


@team_view()
def board(request: TeamRequest) -> HttpResponse:
    services.rounds_settle_due(team=request.team)
    context = team_context(
        request,
        ideas=selectors.board(team=request.team),
    )
    template = "ideas/_board.html" if request.htmx else "ideas/board.html"
    return render(request, template, context)


@team_view()
def decision_log(request: TeamRequest) -> HttpResponse:
    """Search the decisions by words in their title, problem, proposal, outcome or reviews."""
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = team_context(
        request,
        search_form=form,
        query=query,
        ideas=selectors.decision_log(team=request.team, query=query)[:200],
    )
    return render(request, "ideas/log.html", context)


@team_view(write=True)
def propose(request: TeamRequest) -> HttpResponse:
    return _form_page(
        request,
        IdeaForm(request.POST or None),
        save=partial(services.idea_propose, team=request.team, author=request.user),
        done=_("Your idea is on the board."),
        heading=_("Propose an idea"),
        button=_("Propose"),
    )


@team_view()
def idea_detail(request: TeamRequest, idea_id: uuid.UUID) -> HttpResponse:
    idea = _idea(request, idea_id)
    services.rounds_settle_due(team=request.team)
    idea.refresh_from_db()
    page = selectors.idea_page(
        idea=idea,
        user=request.user,
        facilitators=services.facilitators(team=request.team),
        now=timezone.now(),
    )
    answer_form = AnswerForm(
        initial={"answer": page.my_answer.kind, "text": page.my_answer.text}
        if page.my_answer
        else None
    )
    context = team_context(
        request,
        page=page,
        idea=idea,
        answer_form=answer_form,
        comment_form=CommentForm(initial={"comment_id": uuid.uuid4()}),
        may_share=idea.status == Status.ADOPTED
        and not idea.practice
        and bricks_client.enrolment_for(team=request.team) is not None,
    )
    template = "ideas/_idea.html" if request.htmx else "ideas/idea.html"
    return render(request, template, context)


@team_view(write=True)
def amend(request: TeamRequest, idea_id: uuid.UUID) -> HttpResponse:
    idea = _idea(request, idea_id)
    initial = {
        name: getattr(idea, name) for name in ("title", "problem", "proposal", "benefit", "metric")
    }
    return _form_page(
        request,
        IdeaForm(request.POST or None, initial=initial),
        save=partial(services.idea_amend, idea=idea, by=request.user),
        done=_("The proposal was amended."),
        heading=_("Amend the proposal"),
        button=_("Save"),
        idea=idea,
    )


@team_view(write=True)
@require_POST
def withdraw(request: TeamRequest, idea_id: uuid.UUID) -> HttpResponse:
    idea = _idea(request, idea_id)
    try:
        services.idea_withdraw(idea=idea, by=request.user)
    except services.IdeaError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The idea was withdrawn."))
    return redirect(idea)


@team_view(write=True)
@require_POST
def comment(request: TeamRequest, idea_id: uuid.UUID) -> HttpResponse:
    idea = _idea(request, idea_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(
                idea=idea,
                by=request.user,
                text=form.cleaned_data["text"],
                comment_id=form.cleaned_data["comment_id"],
            )
        except services.IdeaError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your comment was added."))
    else:
        messages.error(request, _("Write a comment of at most %(n)d characters.") % {"n": TEXT_MAX})
    return redirect(idea)


@team_view(write=True)
def round_open(request: TeamRequest, idea_id: uuid.UUID) -> HttpResponse:
    idea = _idea(request, idea_id)
    closes = timezone.localtime() + timedelta(days=7)
    initial = {"closes_at": closes.replace(second=0, microsecond=0), "trial_weeks": 8}
    return _form_page(
        request,
        RoundForm(request.POST or None, initial=initial),
        save=partial(services.round_open, idea=idea, by=request.user),
        done=_("The consent round is open."),
        heading=_("Open a consent round"),
        button=_("Open the round"),
        idea=idea,
    )


@team_view(write=True)
@require_POST
def answer(request: TeamRequest, round_id: uuid.UUID) -> HttpResponse:
    consent_round = get_object_or_404(
        ConsentRound.objects.for_team(request.team).select_related("idea__team"), pk=round_id
    )
    idea = consent_round.idea
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(idea)
    try:
        given = services.answer_give(
            consent_round=consent_round,
            by=request.user,
            kind=form.cleaned_data["answer"],
            text=form.cleaned_data["text"],
        )
    except services.IdeaError as error:
        messages.error(request, str(error))
        return redirect(idea)
    if given.late:
        consent_round.refresh_from_db(fields=["closed_at"])
        messages.warning(request, services.late_reason(consent_round))
    else:
        messages.success(
            request, _("Your answer was saved. You can change it until the round closes.")
        )
    return redirect(idea)


@team_view(write=True)
def outcome(request: TeamRequest, idea_id: uuid.UUID) -> HttpResponse:
    idea = _idea(request, idea_id)
    initial = {"statement": idea.outcome, "trial_weeks": idea.trial_weeks or 8}
    return _form_page(
        request,
        OutcomeForm(request.POST or None, initial=initial),
        save=partial(services.outcome_record, idea=idea, by=request.user),
        done=_("The outcome was recorded."),
        heading=_("Record the outcome"),
        button=_("Save"),
        idea=idea,
    )


@team_view(write=True)
def review(request: TeamRequest, idea_id: uuid.UUID) -> HttpResponse:
    idea = _idea(request, idea_id)

    def report_effect(review: Any) -> None:
        """A practice from the hub tells the hub its effect; a failure is said, never fatal."""
        reported = bricks.review_effect(review=review)
        if reported:
            messages.info(request, reported)

    return _form_page(
        request,
        ReviewForm(request.POST or None),
        save=partial(services.review_record, idea=idea, by=request.user),
        done=_("The review was recorded."),
        heading=_("Review the trial"),
        button=_("Record the decision"),
        idea=idea,
        after=report_effect,
        effect=selectors.effect(idea=idea),
    )


@team_view()
def waiting(request: TeamRequest) -> HttpResponse:
    """Answer the live fragment of rounds to answer and reviews due (Today and the team page)."""
    found = selectors.waiting(
        team=request.team, user=request.user, now=timezone.now(), today=today()
    )
    return render(request, "ideas/_waiting.html", team_context(request, waiting=found))
