"""Reads for ideas: the board, the decision log, an idea with its rounds, and what waits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet

from ideas import rules
from ideas.models import Answer, Comment, ConsentRound, Idea, Review, Status
from insights import metrics
from insights import selectors as insights
from teams.models import Team, User
from teams.selectors import member_users

DECIDED = (Status.TRIAL, Status.ADOPTED, Status.DROPPED, Status.WITHDRAWN)
EFFECT_WEEKS = 8  # weeks shown on each side of the change


def board(*, team: Team) -> QuerySet[Idea]:
    """Ideas not yet decided, newest change first, with their author."""
    return (
        Idea.objects.for_team(team)
        .filter(status__in=(Status.PROPOSED, Status.ROUND, Status.TRIAL))
        .select_related("author")
        .order_by("-changed_at")
    )


def decision_log(*, team: Team, query: str = "") -> QuerySet[Idea]:
    """Every idea with a decision or a round behind it, searched in its words and outcome."""
    ideas = (
        Idea.objects.for_team(team)
        .filter(Q(status__in=DECIDED) | Q(rounds__closed_at__isnull=False))
        .select_related("author")
        .distinct()
        .order_by("-changed_at")
    )
    for word in query.split():
        ideas = ideas.filter(
            Q(title__icontains=word)
            | Q(problem__icontains=word)
            | Q(proposal__icontains=word)
            | Q(outcome__icontains=word)
            | Q(reviews__note__icontains=word)
        )
    return ideas


@dataclass(frozen=True)
class RoundView:
    """A round as the page shows it: closed as the rule says, whether or not recorded yet."""

    round: ConsentRound
    answers: list[Answer]  # in time, members' current answers
    late: list[Answer]
    unanswered: list[User]
    closed: rules.Close | None

    @property
    def is_open(self) -> bool:
        return self.closed is None and self.round.closed_at is None

    @property
    def withdrawn(self) -> bool:
        return self.round.closed_at is not None and not self.round.outcome

    @property
    def counts(self) -> dict[str, int]:
        kinds = [answer.kind for answer in self.answers if answer.counts]
        return {kind: kinds.count(kind) for kind in (rules.CONSENT, rules.CONCERN, rules.OBJECTION)}


@dataclass(frozen=True)
class Effect:
    metric: metrics.Metric
    change_on: date
    before: list[insights.MetricWeek]
    after: list[insights.MetricWeek]

    @staticmethod
    def _mean(weeks: list[insights.MetricWeek]) -> float | None:
        values = [w.value for w in weeks if w.value is not None]
        return sum(values) / len(values) if values else None

    @property
    def before_mean(self) -> float | None:
        return self._mean(self.before)

    @property
    def after_mean(self) -> float | None:
        return self._mean(self.after)

    @property
    def before_weeks(self) -> int:
        return sum(1 for w in self.before if w.value is not None)

    @property
    def after_weeks(self) -> int:
        return sum(1 for w in self.after if w.value is not None)


@dataclass(frozen=True)
class IdeaPage:
    idea: Idea
    rounds: list[RoundView]
    comments: list[Comment]
    reviews: list[Review]
    effect: Effect | None
    may_facilitate: bool
    my_answer: Answer | None

    @property
    def metric(self) -> metrics.Metric | None:
        return metrics.BY_KEY.get(self.idea.metric)

    @property
    def current(self) -> RoundView | None:
        return self.rounds[-1] if self.rounds else None

    @property
    def needs_amendment(self) -> bool:
        last = self.current
        return (
            self.idea.status == Status.PROPOSED
            and last is not None
            and last.round.outcome == rules.OBJECTION
            and last.round.proposal_version == self.idea.version
        )


def round_view(*, consent_round: ConsentRound, members: list[User], now: datetime) -> RoundView:
    """Read one round with prefetched ``answers``: names, counts and its close by the rule."""
    current = {m.pk for m in members}
    in_time = [a for a in consent_round.answers.all() if not a.late]
    for answer in in_time:
        answer.counts = answer.member_id in current
    closed = None
    if consent_round.closed_at is None:
        closed = rules.close(
            closes_at=consent_round.closes_at,
            answers={a.member_id: a.kind for a in in_time},
            members=current,
            now=now,
        )
    elif consent_round.outcome:
        closed = rules.Close(
            consent_round.closed_at, consent_round.close_reason, consent_round.outcome
        )
    answered = {a.member_id for a in in_time}
    return RoundView(
        round=consent_round,
        answers=in_time,
        late=[a for a in consent_round.answers.all() if a.late],
        unanswered=[m for m in members if m.pk not in answered],
        closed=closed,
    )


def idea_page(*, idea: Idea, user: User, facilitators: set[int], now: datetime) -> IdeaPage:
    """The idea with every round (answers by name), comments, reviews and its effect."""
    answers = Answer.objects.select_related("member").order_by("answered_at")
    rounds = list(
        ConsentRound.objects.filter(idea=idea)
        .select_related("facilitator")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by("number")
    )
    members = list(member_users(team=idea.team))
    views = [round_view(consent_round=r, members=members, now=now) for r in rounds]
    my_answer = None
    if views and views[-1].is_open:
        my_answer = next((a for a in views[-1].answers if a.member_id == user.pk), None)
    return IdeaPage(
        idea=idea,
        rounds=views,
        comments=list(idea.comments.select_related("author")),
        reviews=list(idea.reviews.select_related("by")),
        effect=effect(idea=idea),
        may_facilitate=user.pk in facilitators,
        my_answer=my_answer,
    )


def effect(*, idea: Idea) -> Effect | None:
    """The idea's metric in the weeks before and after its trial began, from stored weeks.

    The week the trial began holds days of both and is left out of each side.
    """
    metric = metrics.BY_KEY.get(idea.metric)
    if metric is None or idea.trial_started_on is None:
        return None
    monday = idea.trial_started_on - timedelta(days=idea.trial_started_on.weekday())
    weeks = insights.metric_weeks(
        team=idea.team,
        key=metric.key,
        first=monday - timedelta(weeks=EFFECT_WEEKS),
        last=monday + timedelta(weeks=EFFECT_WEEKS),
    )
    return Effect(
        metric=metric,
        change_on=idea.trial_started_on,
        before=[w for w in weeks if w.start < monday],
        after=[w for w in weeks if w.start > monday],
    )


@dataclass(frozen=True)
class Waiting:
    rounds: list[Idea]  # ideas with an open round this member has not answered (``awaiting``)
    reviews: list[Idea]  # ideas whose trial review is due


# Ideas with a round open to this member, or a trial review due. One hand-written query: it runs
# on every Today and team page, and the ORM's build of its nested subqueries cost more than the
# database's run of it.
_WAITING_SQL = """
SELECT id, team_id, title, status, review_due, awaiting FROM (
    SELECT i.id, i.team_id, i.title, i.status, i.review_due, i.changed_at, (
        SELECT r.id FROM ideas_consentround r
        WHERE r.idea_id = i.id AND r.closed_at IS NULL AND r.closes_at > %(now)s
          AND NOT EXISTS (
              SELECT 1 FROM ideas_answer a
              WHERE a.round_id = r.id AND a.member_id = %(user)s AND NOT a.late
          )
        ORDER BY r.number LIMIT 1
    ) AS awaiting
    FROM ideas_idea i WHERE i.team_id = %(team)s
) ideas
WHERE awaiting IS NOT NULL OR (status = %(trial)s AND review_due <= %(today)s)
ORDER BY review_due, changed_at DESC
"""


def waiting(*, team: Team, user: User, now: datetime, today: date) -> Waiting:
    """What waits for this member, in one query: rounds to answer and reviews due.

    A round counts as open until its closing time whether or not its close is recorded yet.
    """
    ops = connection.ops
    params = {
        "now": ops.adapt_datetimefield_value(now),
        "user": user.pk,
        "team": team.pk,
        "trial": Status.TRIAL,
        "today": ops.adapt_datefield_value(today),
    }
    ideas = list(Idea.objects.raw(_WAITING_SQL, params))
    for idea in ideas:
        idea.awaiting = idea.awaiting and uuid.UUID(str(idea.awaiting))
    return Waiting(
        rounds=[idea for idea in ideas if idea.awaiting is not None],
        reviews=[idea for idea in ideas if idea.awaiting is None],
    )


def adopted_from(*, team: Team, provenance: str) -> Idea | None:
    """The team's idea that came from this hub practice, if it adopted it before."""
    return Idea.objects.for_team(team).filter(provenance=provenance).order_by("created_at").first()
