"""Swaps and open shifts: rows that race, so each move locks its row first."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rota import selectors
from rota.models import (
    Assignment,
    CoverNeed,
    MemberSkill,
    RotaPeriod,
    ShiftType,
    Source,
    Swap,
    SwapStatus,
)
from rota.rules import Violation, shift_interval
from rota.services.common import RotaError
from teams import audit, live
from teams.clock import now_or
from teams.models import User


def _new_violations(
    *, period: RotaPeriod, people: set[int], remove: set, add: list[Assignment]
) -> list[Violation]:
    """Return the violations the change would add for ``people`` (existing ones don't block)."""
    ctx = selectors.rule_context(team=period.team, first=period.start, last=period.end)
    before = {v for v in ctx.violations() if v.person_id in people}
    after = ctx.violations(remove=remove, add=add)
    return [v for v in after if v.person_id in people and v not in before]


def _refuse(violations: list[Violation]) -> None:
    if violations:
        raise RotaError(_(" ").join(v.message for v in violations))


@transaction.atomic
def swap_offer(*, assignment: Assignment, by: User, now: datetime | None = None) -> Swap:
    """Offer one's own shift to the team, until it starts."""
    if assignment.user_id != by.pk:
        raise RotaError(_("You can only offer your own shifts."))
    st = assignment.shift_type
    if shift_interval(assignment.date, st.start, st.end)[0] <= now_or(now):
        raise RotaError(_("This shift has already started, so it can no longer be offered."))
    open_swaps = Swap.objects.for_team(assignment.team).filter(
        assignment=assignment, status__in=selectors.OPEN_SWAP
    )
    if open_swaps.exists():
        raise RotaError(_("This shift is already on offer."))
    swap = Swap.objects.create(
        team=assignment.team, assignment=assignment, offered_by=by, offered_at=now_or(now)
    )
    audit.record(actor=by, team=swap.team, action="rota.swap.offer", obj=swap)
    live.publish(swap.team, "rota-swaps-changed", swap=swap.pk)
    return swap


@transaction.atomic
def swap_withdraw(*, swap: Swap, by: User, now: datetime | None = None) -> Swap:
    """Take back one's offer while the shift has not yet moved.

    The swap row is locked (``select_for_update``), as in ``swap_accept``, so of a withdrawal
    and an acceptance at the same moment one wins and the other finds the offer gone.
    """
    swap = Swap.objects.select_for_update().get(pk=swap.pk)
    if swap.offered_by_id != by.pk:
        raise RotaError(_("Only the person who offered the shift can withdraw the offer."))
    if swap.status == SwapStatus.CONFIRMED:
        raise RotaError(
            _("%(taker)s has already taken this shift, so the offer cannot be withdrawn.")
            % {"taker": swap.accepted_by.name}
        )
    if swap.status not in selectors.OPEN_SWAP:
        raise RotaError(_("This offer is already closed."))
    swap.status, swap.decided_by, swap.decided_at = SwapStatus.WITHDRAWN, by, now_or(now)
    swap.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(actor=by, team=swap.team, action="rota.swap.withdrawn", obj=swap)
    live.publish(swap.team, "rota-swaps-changed", swap=swap.pk)
    return swap


def _apply(swap: Swap) -> None:
    assignment = swap.assignment
    assignment.user, assignment.source = swap.accepted_by, Source.SWAP
    assignment.save(update_fields=["user", "source"])
    live.publish(swap.team, "rota-changed", period=assignment.period_id)


def _check_taker(swap: Swap, taker: User) -> None:
    assignment = swap.assignment
    if Assignment.objects.for_team(swap.team).filter(user=taker, date=assignment.date).exists():
        raise RotaError(
            _("%(person)s already has a shift on %(day)s.")
            % {"person": taker, "day": date_format(assignment.date, "j F")}
        )
    moved = Assignment(
        team=swap.team,
        period=assignment.period,
        user=taker,
        date=assignment.date,
        shift_type=assignment.shift_type,
    )
    _refuse(
        _new_violations(
            period=assignment.period,
            people={taker.pk, swap.offered_by_id},
            remove={(assignment.user_id, assignment.date)},
            add=[moved],
        )
    )


@transaction.atomic
def swap_accept(*, swap: Swap, by: User, now: datetime | None = None) -> Swap:
    """Take the offered shift; of concurrent accepts exactly one wins.

    The swap row is locked (``select_for_update``) so a second accept waits and then finds
    it taken. On SQLite, Patch's immediate transactions serialise writers to the same effect.
    The rules are checked for both people; the swap applies at once if the team does not
    ask the planner to confirm swaps.
    """
    swap = Swap.objects.select_for_update().select_related("assignment__period").get(pk=swap.pk)
    if swap.status == SwapStatus.WITHDRAWN:
        raise RotaError(_("This offer has been withdrawn."))
    if swap.status != SwapStatus.OFFERED:
        raise RotaError(_("Someone has already taken this shift."))
    if swap.offered_by_id == by.pk:
        raise RotaError(_("You cannot take your own shift."))
    if not selectors.is_member(team=swap.team, user=by):
        raise RotaError(_("Only members of the team can take shifts."))
    _check_taker(swap, by)
    swap.status, swap.accepted_by, swap.accepted_at = SwapStatus.ACCEPTED, by, now_or(now)
    if not selectors.team_rules(team=swap.team).swaps_need_confirmation:
        swap.status, swap.decided_at = SwapStatus.CONFIRMED, swap.accepted_at
        _apply(swap)
    swap.save(update_fields=["status", "accepted_by", "accepted_at", "decided_at"])
    audit.record(actor=by, team=swap.team, action=f"rota.swap.{swap.status}", obj=swap)
    live.publish(swap.team, "rota-swaps-changed", swap=swap.pk)
    return swap


@transaction.atomic
def swap_confirm(
    *, swap: Swap, by: User, approve: bool = True, now: datetime | None = None
) -> Swap:
    """Confirm (or decline) an accepted swap: the planner role holder, not one of the two."""
    swap = Swap.objects.select_for_update().select_related("assignment__period").get(pk=swap.pk)
    if swap.status != SwapStatus.ACCEPTED:
        raise RotaError(_("This swap is not waiting for confirmation."))
    if by.pk in (swap.offered_by_id, swap.accepted_by_id):
        raise RotaError(_("Someone outside the swap who holds the planner role must confirm it."))
    if not selectors.is_planner(team=swap.team, user=by):
        raise RotaError(_("Only the person holding the planner role can confirm swaps."))
    if approve:
        _check_taker(swap, swap.accepted_by)
        swap.status = SwapStatus.CONFIRMED
        _apply(swap)
    else:
        swap.status = SwapStatus.DECLINED
    swap.decided_by, swap.decided_at = by, now_or(now)
    swap.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(actor=by, team=swap.team, action=f"rota.swap.{swap.status}", obj=swap)
    live.publish(swap.team, "rota-swaps-changed", swap=swap.pk)
    return swap


@transaction.atomic
def open_shift_claim(
    *, period: RotaPeriod, day: date, shift_type: ShiftType, by: User
) -> Assignment:
    """Claim an uncovered shift. The period row is locked, so two claims of the last place
    cannot both succeed."""
    period = RotaPeriod.objects.select_for_update().get(pk=period.pk)
    team = period.team
    if not selectors.is_member(team=team, user=by):
        raise RotaError(_("Only members of the team can claim shifts."))
    if not period.start <= day <= period.end or shift_type.team_id != team.pk:
        raise RotaError(_("That shift is not in this rota."))
    needs = list(CoverNeed.objects.for_team(team).filter(shift_type=shift_type))
    need = selectors.cover_needs_by_day(needs, [day]).get((day, shift_type.pk))
    have = Assignment.objects.for_team(team).filter(date=day, shift_type=shift_type).count()
    if need is None or have >= need.minimum:
        raise RotaError(_("This shift is already covered."))
    required = set(need.required_skills.values_list("pk", flat=True))
    held = set(MemberSkill.objects.for_team(team).filter(user=by).values_list("skill", flat=True))
    if required - held:
        raise RotaError(_("This shift needs a skill you do not have recorded."))
    if Assignment.objects.for_team(team).filter(user=by, date=day).exists():
        raise RotaError(
            _("You already have a shift on %(day)s.") % {"day": date_format(day, "j F")}
        )
    claimed = Assignment(
        team=team, period=period, user=by, date=day, shift_type=shift_type, source=Source.CLAIM
    )
    _refuse(_new_violations(period=period, people={by.pk}, remove=set(), add=[claimed]))
    claimed.published = period.is_published
    claimed.save()
    audit.record(actor=by, team=team, action="rota.shift.claim", obj=claimed)
    live.publish(team, "rota-changed", period=period.pk)
    return claimed
