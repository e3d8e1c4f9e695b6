"""Demo ideas: one adopted after a trial, one in a consent round, one just proposed."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ideas import services
from ideas.models import Idea
from teams import demo
from teams.models import Team


def seed(team: Team) -> None:
    """Put three ideas on the demo team's board (idempotent)."""
    people = [m.user for m in demo.members(team)]
    if Idea.objects.for_team(team).exists() or len(people) < 3:
        return
    facilitator, author, other = people[0], people[1], people[2]
    now = timezone.now()
    start = now - timedelta(weeks=6)
    huddle = services.idea_propose(
        team=team,
        author=author,
        problem="Handovers between the early and the late shift get lost or read too late.",
        proposal="A ten-minute huddle at 14:30 every day, standing, by the board.",
        benefit="Every handover is acknowledged the same day.",
        metric="handovers_on_time",
        now=start - timedelta(days=4),
    )
    first = services.round_open(
        idea=huddle,
        by=facilitator,
        closes_at=start - timedelta(days=1),
        trial_weeks=4,
        now=start - timedelta(days=4),
    )
    for person in people:
        services.answer_give(
            consent_round=first,
            by=person,
            kind="concern" if person == other else "consent",
            text="Nights miss it: leave them a written note." if person == other else "",
            now=start - timedelta(days=3),
        )
    services.outcome_record(
        idea=huddle,
        by=facilitator,
        statement="Daily huddle at 14:30 by the board; nights get a written note.",
        now=start,
    )
    services.review_record(
        idea=huddle,
        by=facilitator,
        decision="keep",
        note="Handovers are picked up sooner; keep it.",
        now=now - timedelta(weeks=1),
    )
    walking = services.idea_propose(
        team=team,
        author=other,
        problem="Driving between the three flats on Mill Lane takes longer than walking.",
        proposal="Walk between visits in the Mill Lane cluster on dry days.",
        benefit="Less travel time and no parking.",
        metric="frontline",
        now=now - timedelta(days=2),
    )
    walking_round = services.round_open(
        idea=walking,
        by=facilitator,
        closes_at=now + timedelta(days=5),
        trial_weeks=6,
        now=now - timedelta(days=1),
    )
    services.answer_give(consent_round=walking_round, by=author, kind="consent", now=now)
    services.idea_propose(
        team=team,
        author=author,
        problem="New starters do not know where the dressings are kept.",
        proposal="A one-page map of the store room, pinned by the door.",
        benefit="Less time hunting for stock.",
        now=now,
    )
