"""Writes between a team and the hub's practices: publish one, adopt one, report its effect.

Publishing checks the text for personal data with the team's own members' and clients' names
(which the hub does not know) and refuses, saying which words, before anything leaves. Every
call to the hub is recorded in the team's audit log before it goes, then its outcome.
"""

from __future__ import annotations

import http.client
import logging
from dataclasses import dataclass, field
from typing import Any

from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from caseload.selectors import client_names
from disclosure import practice as practice_rules
from disclosure.text import Finding
from ideas import selectors as board
from ideas import services as ideas_services
from ideas.bricks import client, selectors
from ideas.models import Decision, Idea, Review
from teams import audit
from teams.models import Team, User
from teams.selectors import is_member, member_names

log = logging.getLogger(__name__)


class BrickError(Exception):
    """Something the team can act on, in plain words."""


@dataclass
class PersonalData(BrickError):
    """The practice's text looks like it holds personal data: which words, field by field."""

    found: dict[str, list[Finding]] = field(default_factory=dict)

    def __str__(self) -> str:
        return _("Take out what looks like personal data before the practice can be shared.")


def _enrolment(team: Team):
    enrolment = client.enrolment_for(team=team)
    if enrolment is None:
        raise BrickError(_("The team needs to join the commons before it can share or adopt."))
    return enrolment


def _answer_error(answer: client.Answer | None) -> BrickError:
    if answer is None:
        return BrickError(_("The commons hub could not be reached. Try again later."))
    if answer.status == 401:
        return BrickError(_("The hub did not accept this team's key. Join the commons again."))
    errors = answer.body.get("errors")
    detail = "; ".join(str(e) for e in errors[:3]) if isinstance(errors, list) else ""
    return BrickError(
        _("The hub refused it (HTTP %(status)s). %(detail)s")
        % {"status": answer.status, "detail": detail}
    )


def _send(*, enrolment, path: str, payload: dict[str, Any]) -> client.Answer | None:
    try:
        return client.signed_post(enrolment=enrolment, path=path, payload=payload)
    except (OSError, http.client.HTTPException):
        return None


def practice_source(*, team: Team, source: str) -> str:
    """The opaque key the hub knows the team's practice by: the same idea revises it."""
    return salted_hmac("patch.ideas.practice", f"{team.pk}:{source}").hexdigest()[:32]


def practice_check(*, team: Team, by: User, texts: dict[str, str]) -> dict[str, list[Finding]]:
    """Return what in ``texts`` looks like personal data, using the team's own names.

    Reads every client's name, so the read is audited (the names themselves are not shown).
    """
    names = member_names(team=team) + client_names(team=team)
    audit.record(actor=by, team=team, action="practice.check", detail={"fields": list(texts)})
    return practice_rules.personal_data(texts, names=names)


def practice_publish(
    *,
    team: Team,
    by: User,
    source: str,
    title: str,
    problem: str,
    practice: str,
    trial_weeks: int,
    metric: str = "",
    before: float | None = None,
    after: float | None = None,
    weeks_before: int = 0,
    weeks_after: int = 0,
) -> str:
    """Publish an adopted practice to the hub; return its public id there.

    Raises PersonalData (with the words) before anything leaves when the text looks like it
    names a member or client, or holds an NHS number, phone number, postcode or date. The same
    ``source`` (the idea's id) revises the practice published before. Recorded before sending.
    """
    enrolment = _enrolment(team)
    body = {
        "source": practice_source(team=team, source=source),
        "title": title.strip(),
        "problem": problem.strip(),
        "practice": practice.strip(),
        "metric": metric,
        "before": before,
        "after": after,
        "weeksBefore": weeks_before,
        "weeksAfter": weeks_after,
        "trialWeeks": trial_weeks,
    }
    errors = practice_rules.errors("publish", body)
    if errors:
        raise BrickError("; ".join(errors))
    found = practice_check(
        team=team, by=by, texts={name: body[name] for name in practice_rules.TEXT_FIELDS}
    )
    if found:
        raise PersonalData(found)
    audit.record(actor=by, team=team, action="practice.publish", detail={"source": body["source"]})
    answer = _send(enrolment=enrolment, path="practices/", payload=body)
    public_id = answer.body.get("id") if answer is not None else None
    if (
        answer is None
        or answer.status not in (200, 201)
        or not client.is_practice_id(str(public_id))
    ):
        error = _answer_error(answer)
        audit.record(
            actor=by,
            team=team,
            action="practice.publish_failed",
            detail={"source": body["source"], "status": answer.status if answer else None},
        )
        raise error
    audit.record(actor=by, team=team, action="practice.published", detail={"id": public_id})
    log.info("practice published by team %s: %s", team.pk, public_id)
    return public_id


def practice_adopt(*, team: Team, by: User, public_id: str) -> Idea:
    """Adopt a hub practice: count the team's adoption there, then propose it on the board.

    The proposal carries the practice's problem and text, the metric it moved (when this
    server has it) and, as its provenance, the practice's address on the hub. Adopting it
    again answers the idea it became the first time, and the hub counts a team once however
    often it adopts; the adoption is recorded in the audit log before it is sent.
    """
    if not is_member(team=team, user=by):
        raise BrickError(_("Only a member of the team can do this."))
    enrolment = _enrolment(team)
    provenance = client.practice_url(public_id)
    existing = board.adopted_from(team=team, provenance=provenance)
    if existing is not None:
        return existing
    try:
        found = selectors.hub_practice(public_id=public_id)
    except selectors.Unanswered:
        raise BrickError(_("The commons hub could not be reached. Try again later.")) from None
    if found is None:
        raise BrickError(_("The hub has no practice with this id."))
    audit.record(actor=by, team=team, action="practice.adopt", detail={"id": public_id})
    answer = _send(enrolment=enrolment, path=f"practices/{public_id}/adoptions/", payload={})
    if answer is None or answer.status not in (200, 201):
        if answer is not None and answer.status == 409:
            raise BrickError(_("This is the team's own practice: it is on the board already."))
        raise _answer_error(answer)
    try:
        return ideas_services.idea_propose(
            team=team,
            author=by,
            title=found.title,
            problem=found.problem,
            proposal=found.practice,
            benefit=_benefit(found),
            metric=selectors.board_metric(found.metric),
            provenance=provenance,
        )
    except ideas_services.IdeaError as refusal:
        raise BrickError(str(refusal)) from None


def _benefit(found: selectors.HubPractice) -> str:
    if found.metric and found.before is not None and found.after is not None:
        return _(
            "“%(title)s” from the commons: in the team that shared it, %(metric)s went from "
            "%(before)s to %(after)s over a %(weeks)s-week trial."
        ) % {
            "title": found.title,
            "metric": found.metric,
            "before": f"{found.before:g}",
            "after": f"{found.after:g}",
            "weeks": found.trial_weeks,
        }
    return _("“%(title)s” from the commons, tried by another team for %(weeks)s weeks.") % {
        "title": found.title,
        "weeks": found.trial_weeks,
    }


def effect_report(
    *,
    team: Team,
    by: User,
    public_id: str,
    before: float,
    after: float,
    weeks_before: int,
    weeks_after: int,
) -> None:
    """Tell the hub what changed in the practice's metric after the team adopted it."""
    enrolment = _enrolment(team)
    body = {
        "before": before,
        "after": after,
        "weeksBefore": weeks_before,
        "weeksAfter": weeks_after,
    }
    errors = practice_rules.errors("effect", body)
    if errors or not client.is_practice_id(public_id):
        raise BrickError("; ".join(errors) or _("The hub has no practice with this id."))
    audit.record(actor=by, team=team, action="practice.effect", detail={"id": public_id})
    answer = _send(enrolment=enrolment, path=f"practices/{public_id}/effects/", payload=body)
    if answer is None or answer.status != 200:
        raise _answer_error(answer)


def review_effect(*, review: Review) -> str:
    """After a team keeps an idea it adopted from the hub, report the effect it measured.

    Answers what to tell the team: "" when there was nothing to send (not kept, not from the
    hub, no figures on both sides, or the team has left the commons). A hub that refuses or
    cannot be reached never undoes the review: the failure is recorded and said instead.
    """
    idea = review.idea
    public_id = selectors.practice_id(idea.provenance)
    if review.decision != Decision.KEEP or not public_id:
        return ""
    if client.enrolment_for(team=idea.team) is None:
        return ""
    figures = selectors.idea_figures(idea=idea)
    if figures is None:
        return ""
    try:
        effect_report(
            team=idea.team,
            by=review.by,
            public_id=public_id,
            before=figures.before,
            after=figures.after,
            weeks_before=figures.weeks_before,
            weeks_after=figures.weeks_after,
        )
    except BrickError as refusal:
        audit.record(
            actor=review.by,
            team=idea.team,
            action="practice.effect_failed",
            detail={"id": public_id},
        )
        return _("The effect could not be reported to the commons: %(why)s") % {"why": refusal}
    return _("The effect was reported to the commons.")
