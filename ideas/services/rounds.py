"""Consent rounds: opening, answering, closing (docs/ideas.md)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django_tasks import task

from ideas import rules
from ideas.models import Answer, AnswerKind, ConsentRound, Idea, Status
from ideas.services.common import IdeaError, _changed, _locked, _may_facilitate, _member, _text
from teams import audit, live
from teams.clock import now_or
from teams.models import Membership, Team, User


@transaction.atomic
def round_open(
    *,
    idea: Idea,
    by: User,
    closes_at: datetime,
    trial_weeks: int,
    now: datetime | None = None,
) -> ConsentRound:
    """Open a consent round on the idea's current text (the facilitator).

    After an objection the proposal must have been amended first: an objection is integrated,
    never outvoted. The round is closed by the first write after its time (and by a task where
    the worker can defer one); pages compute the close until then.
    """
    at = now_or(now)
    idea = _locked(idea)
    _member(idea.team, by)
    _may_facilitate(idea.team, by)
    if idea.status != Status.PROPOSED:
        raise IdeaError(_("A round can be opened only on a proposed idea."))
    if not rules.TRIAL_WEEKS_MIN <= trial_weeks <= rules.TRIAL_WEEKS_MAX:
        raise IdeaError(
            _("A trial lasts between %(low)d and %(high)d weeks.")
            % {"low": rules.TRIAL_WEEKS_MIN, "high": rules.TRIAL_WEEKS_MAX}
        )
    if not at < closes_at <= at + timedelta(days=rules.ROUND_DAYS_MAX):
        raise IdeaError(
            _("The round must close in the future, within %(days)d days.")
            % {"days": rules.ROUND_DAYS_MAX}
        )
    last = idea.rounds.order_by("-number").first()
    if (
        last is not None
        and last.outcome == rules.OBJECTION
        and last.proposal_version == idea.version
    ):
        raise IdeaError(
            _("The last round had an objection: amend the proposal to meet it before asking again.")
        )
    consent_round = ConsentRound.objects.create(
        team=idea.team,
        idea=idea,
        number=(last.number + 1) if last else 1,
        proposal_version=idea.version,
        title=idea.title,
        problem=idea.problem,
        proposal=idea.proposal,
        benefit=idea.benefit,
        facilitator=by,
        trial_weeks=trial_weeks,
        opened_at=at,
        closes_at=closes_at,
    )
    idea.status = Status.ROUND
    idea.changed_at = at
    idea.save(update_fields=["status", "changed_at"])
    _changed(idea, by=by, action="idea.round_open", round=consent_round.number)
    transaction.on_commit(lambda: _schedule_close(consent_round))
    return consent_round


def _schedule_close(consent_round: ConsentRound) -> None:
    """Ask the worker to close the round at its time, where the task backend can defer."""
    if round_close_task.get_backend().supports_defer:
        round_close_task.using(run_after=consent_round.closes_at).enqueue(
            round_id=str(consent_round.pk)
        )


@task()
def round_close_task(round_id: str) -> bool:
    """Record a round's close if it is due; idempotent, so an early or repeated run is harmless."""
    consent_round = ConsentRound.objects.filter(pk=round_id).first()
    if consent_round is None:
        return False
    return round_settle(consent_round=consent_round).closed_at is not None


def _answers(consent_round: ConsentRound) -> dict[int, str]:
    return dict(
        Answer.objects.filter(round=consent_round, late=False).values_list("member_id", "kind")
    )


def _members(team: Team) -> set[int]:
    return set(Membership.objects.for_team(team).current().values_list("user_id", flat=True))


def _settle_locked(consent_round: ConsentRound, *, at: datetime) -> bool:
    """Record the close of a locked round if it is due; answer whether it closed now."""
    if consent_round.closed_at is not None:
        return False
    closed = rules.close(
        closes_at=consent_round.closes_at,
        answers=_answers(consent_round),
        members=_members(consent_round.team),
        now=at,
    )
    if closed is None:
        return False
    consent_round.closed_at = closed.at
    consent_round.close_reason = closed.reason
    consent_round.outcome = closed.outcome
    consent_round.save(update_fields=["closed_at", "close_reason", "outcome"])
    idea = _locked(consent_round.idea)
    if idea.status == Status.ROUND:
        if closed.outcome == rules.CONSENT:
            idea.status = Status.TRIAL
            idea.trial_started_on = timezone.localdate(closed.at)
            idea.trial_weeks = consent_round.trial_weeks
            idea.review_due = rules.review_due(
                started=idea.trial_started_on, weeks=consent_round.trial_weeks
            )
        else:
            idea.status = Status.PROPOSED
        idea.changed_at = at
        idea.save(
            update_fields=["status", "trial_started_on", "trial_weeks", "review_due", "changed_at"]
        )
    _changed(
        idea,
        by=None,
        action="idea.round_close",
        round=consent_round.number,
        outcome=closed.outcome,
        reason=closed.reason,
    )
    return True


@transaction.atomic
def round_settle(*, consent_round: ConsentRound, now: datetime | None = None) -> ConsentRound:
    """Record the round's close if its time came or everyone has answered (row locked)."""
    consent_round = (
        ConsentRound.objects.select_for_update().select_related("team").get(pk=consent_round.pk)
    )
    _settle_locked(consent_round, at=now_or(now))
    return consent_round


def rounds_settle_due(*, team: Team, now: datetime | None = None) -> int:
    """Record every open round of the team that is due (by time, or because a member left).

    Cheap when nothing is open (one query); each round is settled under its own lock.
    """
    at = now_or(now)
    settled = 0
    for round_id in (
        ConsentRound.objects.for_team(team)
        .filter(closed_at__isnull=True)
        .values_list("pk", flat=True)
    ):
        with transaction.atomic():
            consent_round = (
                ConsentRound.objects.select_for_update()
                .select_related("team")
                .filter(pk=round_id)
                .first()
            )
            if consent_round is not None and _settle_locked(consent_round, at=at):
                settled += 1
    return settled


@transaction.atomic
def answer_give(
    *,
    consent_round: ConsentRound,
    by: User,
    kind: str,
    text: str = "",
    now: datetime | None = None,
) -> Answer:
    """Give or change a member's answer; an answer after the close is kept as a late answer.

    The round row is locked (``select_for_update`` inside ``transaction.atomic``), so answers
    given at the same moment are applied one after the other: each sees the other, and the
    last one closes the round exactly once. A late answer (``answer.late``) is stored and shown
    but never counted; the caller tells its author the round had closed.
    """
    at = now_or(now)
    consent_round = (
        ConsentRound.objects.select_for_update()
        .select_related("team", "idea")
        .get(pk=consent_round.pk)
    )
    team = consent_round.team
    _member(team, by)
    if kind not in AnswerKind.values:
        raise IdeaError(_("Choose consent, concern or objection."))
    if kind == rules.CONCERN:
        text = _text(text, label=_("your concern"))
    elif kind == rules.OBJECTION:
        text = _text(text, label=_("the reason for your objection"))
    else:
        text = _text(text, label=_("a note"), required=False)
    _settle_locked(consent_round, at=at)
    late = consent_round.closed_at is not None
    if late:
        answer = Answer.objects.create(
            team=team,
            round=consent_round,
            member=by,
            kind=kind,
            text=text,
            late=True,
            answered_at=at,
        )
    else:
        answer, _created = Answer.objects.update_or_create(
            round=consent_round,
            member=by,
            late=False,
            defaults={"team": team, "kind": kind, "text": text, "answered_at": at},
        )
    audit.record(
        actor=by,
        team=team,
        action="idea.answer_late" if late else "idea.answer",
        obj=answer,
        detail={"round": str(consent_round.pk), "kind": kind},
    )
    live.publish(team, "idea-changed", idea=consent_round.idea_id)
    if not late:
        _settle_locked(consent_round, at=at)
    return answer


def late_reason(consent_round: ConsentRound) -> str:
    """Say why an answer did not count, in the words shown to its author."""
    closed = timezone.localtime(consent_round.closed_at)
    return _(
        "The round closed at %(time)s on %(date)s before your answer arrived. Your answer is "
        "kept and shown as a late answer, but it does not count."
    ) % {"time": time_format(closed), "date": date_format(closed)}
