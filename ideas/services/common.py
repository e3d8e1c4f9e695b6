"""What every ideas write shares: the facilitator rule, input checks, locks, audit and event."""

from __future__ import annotations

from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from ideas.models import TEXT_MAX, TITLE_MAX, Idea, Status
from insights import metrics
from teams import audit, live
from teams.models import Membership, RoleHolding, Team, User
from teams.selectors import is_member

FACILITATOR_ROLE = "facilitator"  # the team role (matched without case) that runs rounds
OPEN_STATUSES = (Status.PROPOSED, Status.ROUND)


class IdeaError(Exception):
    """A rule of the ideas board refused the change; the message says why, to the member."""


def facilitators(*, team: Team) -> set[int]:
    """Who may run rounds: the holder of the team's Facilitator role; anyone while none does."""
    holders = set(
        RoleHolding.objects.for_team(team)
        .annotate(role_name=Lower("role__name"))
        .filter(role_name=FACILITATOR_ROLE, ended_at__isnull=True)
        .values_list("holder_id", flat=True)
    )
    if holders:
        return holders
    return set(Membership.objects.for_team(team).current().values_list("user_id", flat=True))


def _may_facilitate(team: Team, user: User) -> None:
    if user.pk not in facilitators(team=team):
        raise IdeaError(_("Only the team's facilitator can do this."))


def _member(team: Team, user: User) -> None:
    if not is_member(team=team, user=user):
        raise IdeaError(_("Only a member of the team can do this."))


def _text(value: str, *, label: str, limit: int = TEXT_MAX, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise IdeaError(_("Write %(what)s.") % {"what": label})
    if len(value) > limit:
        raise IdeaError(_("%(what)s is too long.") % {"what": label.capitalize()})
    if "\x00" in value:
        raise IdeaError(
            _("%(what)s holds a character that cannot be stored.") % {"what": label.capitalize()}
        )
    return value


def _metric(key: str) -> str:
    if key and key not in metrics.BY_KEY:
        raise IdeaError(_("Choose a metric from the list, or none."))
    return key


def _title(title: str, proposal: str) -> str:
    """Keep a given title, or make one from the proposal's first line."""
    title = (title or "").strip() or proposal.strip().splitlines()[0]
    return title[: TITLE_MAX - 1] + "…" if len(title) > TITLE_MAX else title


def _changed(idea: Idea, *, by: User | None, action: str, **detail: object) -> None:
    audit.record(actor=by, team=idea.team, action=action, obj=idea, detail=detail or None)
    live.publish(idea.team, "idea-changed", idea=idea.pk)


def _locked(idea: Idea) -> Idea:
    return Idea.objects.select_for_update().select_related("team").get(pk=idea.pk)
