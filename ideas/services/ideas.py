"""Ideas on the board: propose, amend, withdraw, comment, outcome and review (docs/ideas.md)."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from ideas import rules
from ideas.models import Comment, ConsentRound, Decision, Idea, Review, Status
from ideas.services.common import (
    OPEN_STATUSES,
    IdeaError,
    _changed,
    _locked,
    _may_facilitate,
    _member,
    _metric,
    _text,
    _title,
)
from ideas.services.rounds import rounds_settle_due
from teams import audit, live
from teams.clock import now_or
from teams.models import Team, User


@transaction.atomic
def idea_propose(
    *,
    team: Team,
    author: User,
    problem: str,
    proposal: str,
    benefit: str,
    metric: str = "",
    provenance: str = "",
    title: str = "",
    now: datetime | None = None,
) -> Idea:
    """Put an idea on the board; ``provenance`` says where an adopted practice came from."""
    _member(team, author)
    at = now_or(now)
    proposal = _text(proposal, label=_("the proposal"))
    idea = Idea.objects.create(
        team=team,
        author=author,
        title=_title(title, proposal),
        problem=_text(problem, label=_("the problem")),
        proposal=proposal,
        benefit=_text(benefit, label=_("the expected benefit")),
        metric=_metric(metric),
        provenance=_text(provenance, label=_("the provenance"), limit=300, required=False),
        created_at=at,
        changed_at=at,
    )
    _changed(idea, by=author, action="idea.propose")
    return idea


@transaction.atomic
def idea_amend(
    *,
    idea: Idea,
    by: User,
    title: str,
    problem: str,
    proposal: str,
    benefit: str,
    metric: str = "",
    now: datetime | None = None,
) -> Idea:
    """Write a new version of the proposal (the author or the facilitator), never during a round.

    Rounds keep the text they asked, so the history of what was answered stays as it was.
    """
    at = now_or(now)
    rounds_settle_due(team=idea.team, now=at)
    idea = _locked(idea)
    if by.pk != idea.author_id:
        _may_facilitate(idea.team, by)
    _member(idea.team, by)
    if idea.status != Status.PROPOSED:
        raise IdeaError(_("Only a proposed idea can be amended (not during a round or a trial)."))
    proposal = _text(proposal, label=_("the proposal"))
    idea.title = _title(title, proposal)
    idea.problem = _text(problem, label=_("the problem"))
    idea.proposal = proposal
    idea.benefit = _text(benefit, label=_("the expected benefit"))
    idea.metric = _metric(metric)
    idea.version += 1
    idea.changed_at = at
    idea.save(
        update_fields=["title", "problem", "proposal", "benefit", "metric", "version", "changed_at"]
    )
    _changed(idea, by=by, action="idea.amend", version=idea.version)
    return idea


@transaction.atomic
def idea_withdraw(*, idea: Idea, by: User, now: datetime | None = None) -> Idea:
    """Take an idea off the board (its author or the facilitator); an open round closes unasked."""
    at = now_or(now)
    # Rounds before ideas, as answering locks them: one order, no deadlock.
    open_rounds = list(
        ConsentRound.objects.select_for_update().filter(idea=idea, closed_at__isnull=True)
    )
    idea = _locked(idea)
    if by.pk != idea.author_id:
        _may_facilitate(idea.team, by)
    if idea.status not in OPEN_STATUSES:
        raise IdeaError(_("Only an idea not yet decided can be withdrawn."))
    for consent_round in open_rounds:
        consent_round.closed_at = at
        consent_round.save(update_fields=["closed_at"])
    idea.status = Status.WITHDRAWN
    idea.changed_at = at
    idea.save(update_fields=["status", "changed_at"])
    _changed(idea, by=by, action="idea.withdraw")
    return idea


@transaction.atomic
def comment_add(
    *,
    idea: Idea,
    by: User,
    text: str,
    comment_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> Comment:
    """Add a comment; the same ``comment_id`` sent again (a double tap) adds nothing."""
    _member(idea.team, by)
    if comment_id is not None:
        existing = Comment.objects.filter(pk=comment_id).first()
        if existing is not None:
            if (existing.idea_id, existing.author_id) != (idea.pk, by.pk):
                raise IdeaError(_("This comment id is already used."))
            return existing
    at = now_or(now)
    comment = Comment.objects.create(
        id=comment_id or uuid.uuid4(),
        team=idea.team,
        idea=idea,
        author=by,
        text=_text(text, label=_("the comment")),
        created_at=at,
    )
    audit.record(actor=by, team=idea.team, action="idea.comment", obj=comment)
    live.publish(idea.team, "idea-changed", idea=idea.pk)
    return comment


@transaction.atomic
def outcome_record(
    *,
    idea: Idea,
    by: User,
    statement: str,
    trial_weeks: int | None = None,
    now: datetime | None = None,
) -> Idea:
    """Write the outcome statement (the facilitator); on trial, the trial's length too."""
    at = now_or(now)
    idea = _locked(idea)
    _member(idea.team, by)
    _may_facilitate(idea.team, by)
    if not idea.rounds.filter(closed_at__isnull=False).exists():
        raise IdeaError(_("An outcome is written once a round has closed."))
    idea.outcome = _text(statement, label=_("the outcome"))
    fields = ["outcome", "changed_at"]
    if idea.status == Status.TRIAL and trial_weeks is not None:
        if not rules.TRIAL_WEEKS_MIN <= trial_weeks <= rules.TRIAL_WEEKS_MAX:
            raise IdeaError(
                _("A trial lasts between %(low)d and %(high)d weeks.")
                % {"low": rules.TRIAL_WEEKS_MIN, "high": rules.TRIAL_WEEKS_MAX}
            )
        idea.trial_weeks = trial_weeks
        idea.review_due = rules.review_due(started=idea.trial_started_on, weeks=trial_weeks)
        fields += ["trial_weeks", "review_due"]
    idea.changed_at = at
    idea.save(update_fields=fields)
    _changed(idea, by=by, action="idea.outcome")
    return idea


@transaction.atomic
def review_record(
    *, idea: Idea, by: User, decision: str, note: str = "", now: datetime | None = None
) -> Review:
    """Record the team's "keep, change or drop?" after a trial (the facilitator).

    Keep adopts the practice; change returns it to the board to amend and ask again; drop ends it.
    """
    at = now_or(now)
    idea = _locked(idea)
    _member(idea.team, by)
    _may_facilitate(idea.team, by)
    if idea.status not in (Status.TRIAL, Status.ADOPTED):
        raise IdeaError(_("Only an idea on trial or adopted can be reviewed."))
    if decision not in Decision.values:
        raise IdeaError(_("Choose keep, change or drop."))
    review = Review.objects.create(
        team=idea.team,
        idea=idea,
        by=by,
        decision=decision,
        note=_text(note, label=_("the note"), required=False),
        reviewed_at=at,
    )
    idea.status = {
        Decision.KEEP: Status.ADOPTED,
        Decision.CHANGE: Status.PROPOSED,
        Decision.DROP: Status.DROPPED,
    }[decision]
    idea.review_due = None
    idea.changed_at = at
    idea.save(update_fields=["status", "review_due", "changed_at"])
    _changed(idea, by=by, action="idea.review", decision=decision)
    return review


@transaction.atomic
def idea_practice_record(*, idea: Idea, by: User, public_id: str) -> Idea:
    """Keep the hub's id of the practice an adopted idea was shared as, so the page links to it.

    Sharing the same idea again revises the same practice on the hub, so the id stays one.
    """
    idea = _locked(idea)
    _member(idea.team, by)
    if idea.status != Status.ADOPTED:
        raise IdeaError(_("Only an adopted idea can be shared with the commons."))
    idea.practice = public_id
    idea.save(update_fields=["practice"])
    _changed(idea, by=by, action="idea.practice", practice=public_id)
    return idea
