"""Writes for the commons export: the team's decision to join or leave, the queue of
sendings, and sending them, signed, to the hub.

Nothing is sent unless ``COMMONS_URL`` is set and the team has joined. Every sending is
recorded before it goes (the row, then each attempt), so a crash mid-send is retried, never
lost; the hub treats a repeated revision as already received, so a retry is harmless.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure import schema, signing
from insights.export import selectors
from insights.export.payload import published_part
from insights.models import CommonsEnrolment, Sending, SendingStatus, WeeklySnapshot
from teams import audit
from teams.models import Membership, Team, User

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 20
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)
KEY_LENGTH = 200  # CommonsEnrolment.key's length
MAX_ATTEMPTS = 12  # about two days of tries at the longest wait; then the team is told


class CommonsError(ValueError):
    """Something the team can act on, in plain words."""


@dataclass(frozen=True)
class Answer:
    """What the hub said: its HTTP status and JSON body (empty when it sent none)."""

    status: int
    body: dict[str, Any]


def hub_url() -> str:
    """The hub's base URL with one trailing slash, or "" when the commons is off."""
    url = settings.COMMONS_URL
    if not url.startswith(("http://", "https://")):
        return ""
    return url.rstrip("/") + "/"


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST to the hub: the one outbound call, which tests replace. Network failures raise
    ``OSError``; any HTTP status is an ``Answer``."""
    request = urllib.request.Request(  # noqa: S310 - the URL is the operator's COMMONS_URL
        url, data=body, headers={"Content-Type": "application/json", **headers}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return Answer(response.status, _json(response.read()))
    except urllib.error.HTTPError as error:
        return Answer(error.code, _json(error.read()))


def _not_json(constant: str) -> None:
    raise ValueError(f"{constant} is not JSON")


def _json(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw or b"{}", parse_constant=_not_json)
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


# --- joining and leaving: the team's decision -----------------------------------------------


def commons_join(
    *, team: Team, by: User, region: str, service_type: str, now: datetime | None = None
) -> CommonsEnrolment:
    """Join the commons on the team's behalf, enrolling with the hub when there is no key yet.

    Audited with who and when. Enrolment is an HTTP call, made before the transaction so a
    slow hub holds no lock; a key the hub issued but that is never stored is simply unused.
    """
    now = now or timezone.now()
    base = hub_url()
    if not base:
        raise CommonsError(_("The commons is not set up on this server."))
    if region not in schema.REGIONS or service_type not in schema.SERVICE_TYPES:
        raise CommonsError(_("Choose a region and a kind of service from the lists."))
    current = selectors.enrolment(team=team)
    issued = None
    if not current.key or current.hub_url != base:
        issued = _enrol(base=base, team=team, region=region, service_type=service_type)
    with transaction.atomic():
        enrolment, _created = CommonsEnrolment.objects.select_for_update().get_or_create(team=team)
        if issued:
            enrolment.org_unit, enrolment.key = issued
            enrolment.hub_url, enrolment.enrolled_at = base, now
        enrolment.joined, enrolment.changed_at = True, now
        enrolment.region, enrolment.service_type = region, service_type
        enrolment.save()
        audit.record(
            actor=by,
            team=team,
            action="commons.join",
            obj=enrolment,
            detail={"region": region, "service_type": service_type},
        )
        for week in selectors.recent_weeks(now=now):
            sending_queue(team=team, week=week, now=now)
    return enrolment


def _enrol(*, base: str, team: Team, region: str, service_type: str) -> tuple[str, str]:
    """Register the team with the hub; return (org unit, key). The key is never logged."""
    staff = Membership.objects.for_team(team).current().count()
    body = json.dumps(
        {"region": region, "serviceType": service_type, "sizeBand": schema.size_band(staff)}
    ).encode()
    token = settings.COMMONS_ENROL_TOKEN
    try:
        answer = post(f"{base}api/v1/teams/", body, {"Authorization": f"Bearer {token}"})
    except OSError:
        log.warning("commons enrolment for team %s: hub unreachable", team.pk)
        raise CommonsError(_("The commons hub could not be reached. Try again later.")) from None
    org_unit, key = answer.body.get("orgUnit"), answer.body.get("key")
    if (
        answer.status != 201
        or not isinstance(org_unit, str)
        or not re.fullmatch(schema.ORG_UNIT_PATTERN[1:-1], org_unit)
        or not isinstance(key, str)
        or not 0 < len(key) <= KEY_LENGTH
    ):
        log.warning("commons enrolment for team %s refused: HTTP %s", team.pk, answer.status)
        raise CommonsError(
            _("The commons hub refused to enrol this team (HTTP %(status)s).")
            % {"status": answer.status}
        )
    log.info("commons enrolment for team %s: %s", team.pk, org_unit)
    return org_unit, key


@transaction.atomic
def commons_leave(*, team: Team, by: User, now: datetime | None = None) -> CommonsEnrolment:
    """Leave the commons at once: nothing more is sent, and what waits is not sent."""
    now = now or timezone.now()
    enrolment = CommonsEnrolment.objects.select_for_update().filter(team=team).first()
    if enrolment is None or not enrolment.joined:
        return enrolment or CommonsEnrolment(team=team)  # not joined: nothing to leave
    enrolment.joined, enrolment.changed_at = False, now
    enrolment.save(update_fields=["joined", "changed_at"])
    Sending.objects.for_team(team).exclude(status=SendingStatus.SENT).filter(
        next_attempt_at__isnull=False
    ).update(
        status=SendingStatus.FAILED,
        next_attempt_at=None,
        last_error=_("Not sent: the team left the commons."),
    )
    audit.record(actor=by, team=team, action="commons.leave", obj=enrolment)
    return enrolment


# --- the queue ------------------------------------------------------------------------------


def snapshot_saved(*, snapshot: WeeklySnapshot) -> Sending | None:
    """The hook after a week's snapshot is stored: queue what should leave for that week."""
    return sending_queue(team=snapshot.team, week=snapshot.week)


def sending_queue(*, team: Team, week: str, now: datetime | None = None) -> Sending | None:
    """Queue a week's payload when it would publish something new; return the new row.

    The revision rule: a week already queued or sent gets a new revision only when a
    published (protected) value, an attribute or the team's reference changed, and only
    within the last four closed weeks; older weeks never leave. Locks the team's enrolment,
    so two snapshots of one week cannot queue the same revision twice.
    """
    now = now or timezone.now()
    if week not in selectors.recent_weeks(now=now):
        return None
    with transaction.atomic():
        enrolment = CommonsEnrolment.objects.select_for_update().filter(team=team).first()
        if enrolment is None or not enrolment.can_send:
            return None
        latest = selectors.latest_sending(team=team, week=week)
        revision = latest.revision + 1 if latest else 1
        built = selectors.preview(team=team, week=week, enrolment=enrolment, revision=revision)
        if built is None:
            return None
        problems = built.problems + (schema.validate(built.payload) if not built.problems else [])
        if problems:
            log.warning("commons: team %s %s not queued: %s", team.pk, week, "; ".join(problems))
            return None
        if latest and published_part(latest.payload) == published_part(built.payload):
            return None
        sending = Sending.objects.create(
            team=team,
            week=week,
            revision=revision,
            payload=built.payload,
            created_at=now,
            next_attempt_at=now,
        )
        transaction.on_commit(_wake_sender)
    log.info("commons: team %s queued %s revision %s", team.pk, week, revision)
    return sending


def _wake_sender() -> None:
    from insights.export.tasks import send_due_task

    if hub_url():
        send_due_task.enqueue()


# --- sending --------------------------------------------------------------------------------


def retry_wait(attempts: int) -> timedelta:
    """Exponential back-off: one minute after the first failure, doubling, at most six hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def send_due(*, now: datetime | None = None, limit: int = 100) -> int:
    """Send every sending whose time has come, oldest week first; return how many the hub took.

    Does nothing when ``COMMONS_URL`` is empty. Safe to run in several workers at once: each
    attempt is claimed under a row lock first.
    """
    base = hub_url()
    if not base:
        return 0
    now = now or timezone.now()
    due = (
        Sending.objects.filter(
            status__in=(SendingStatus.WAITING, SendingStatus.FAILED),
            next_attempt_at__lte=now,
            team__in=CommonsEnrolment.objects.filter(joined=True).exclude(key="").values("team"),
        )
        .order_by("week", "revision")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(_attempt(pk, base=base, now=now) for pk in list(due))


def _claim(pk: int, *, now: datetime) -> tuple[Sending, CommonsEnrolment] | None:
    """Record the attempt before it goes: count it and set when the next would be."""
    with transaction.atomic():
        sending = (
            Sending.objects.select_for_update()
            .filter(pk=pk, next_attempt_at__lte=now)
            .exclude(status=SendingStatus.SENT)
            .first()
        )
        if sending is None:
            return None
        enrolment = CommonsEnrolment.objects.filter(team_id=sending.team_id).first()
        if enrolment is None or not enrolment.can_send:
            return None
        if sending.payload.get("orgUnit") != enrolment.org_unit:
            _finish(sending, ok=False, error=_("Replaced: the team enrolled again."), retry=False)
            return None
        sending.attempts += 1
        sending.next_attempt_at = now + retry_wait(sending.attempts)
        sending.save(update_fields=["attempts", "next_attempt_at"])
        return sending, enrolment


def _attempt(pk: int, *, base: str, now: datetime) -> int:
    claimed = _claim(pk, now=now)
    if claimed is None:
        return 0
    sending, enrolment = claimed
    body = json.dumps(sending.payload, separators=(",", ":"), sort_keys=True).encode()
    # Signed with the clock at sending, not the batch's start: a long batch must not carry
    # timestamps the hub refuses as outside its skew.
    signed_at = int(timezone.now().timestamp())
    headers = signing.headers(
        team=enrolment.org_unit, key=enrolment.key, body=body, timestamp=signed_at
    )
    try:
        answer = post(f"{base}api/v1/datavaluesets/", body, headers)
    except OSError:
        answer = None
    ok, error, retry = _judge(answer)
    if answer is not None and answer.status == 401:
        CommonsEnrolment.objects.filter(pk=enrolment.pk).update(key="")
    with transaction.atomic():
        sending = Sending.objects.select_for_update().get(pk=pk)
        if ok:
            sending.response = _summary(answer.body)
        _finish(sending, ok=ok, error=error, retry=retry, now=now)
    log.info(
        "commons: team %s sent %s revision %s attempt %s: %s",
        sending.team_id,
        sending.week,
        sending.revision,
        sending.attempts,
        answer.status if answer else "unreachable",
    )
    return int(ok)


def _finish(
    sending: Sending, *, ok: bool, error: str, retry: bool, now: datetime | None = None
) -> None:
    if ok:
        sending.status, sending.sent_at, sending.next_attempt_at = SendingStatus.SENT, now, None
        sending.last_error = ""
    else:
        sending.status, sending.last_error = SendingStatus.FAILED, error[:500]
        if not retry or sending.attempts >= MAX_ATTEMPTS:
            sending.next_attempt_at = None
    sending.save()


def _judge(answer: Answer | None) -> tuple[bool, str, bool]:
    """(taken, why not in plain words, worth trying again) for the hub's answer."""
    if answer is None:
        return False, _("The commons hub could not be reached."), True
    if answer.status == 200:
        return True, "", False
    if answer.status == 401:
        return (
            False,
            _(
                "The hub did not accept this team's key; it may have been withdrawn. "
                "Join again to get a new one."
            ),
            False,
        )
    if answer.status == 409:
        return False, _("The hub already holds a newer revision of this week."), False
    if answer.status == 422:
        errors = answer.body.get("errors") or answer.body.get("conflicts") or []
        detail = "; ".join(str(e) for e in errors[:3]) if isinstance(errors, list) else ""
        return (
            False,
            _("The hub found the payload breaks the schema: %(errors)s") % {"errors": detail},
            False,
        )
    if answer.status in (408, 429) or answer.status >= 500:
        return (
            False,
            _("The hub could not take it just now (HTTP %(status)s).") % {"status": answer.status},
            True,
        )
    return False, _("The hub refused it (HTTP %(status)s).") % {"status": answer.status}, False


def _summary(body: dict[str, Any]) -> dict[str, Any]:
    """Keep the hub's import summary, for the team's status page."""
    keys = ("status", "importCount", "conflicts", "revision")
    summary = {key: body[key] for key in keys if key in body}
    try:
        text = json.dumps(summary, allow_nan=False)
    except ValueError:  # Infinity or NaN: nothing a database's JSON column will hold
        return {}
    return {} if "\\u0000" in text else summary  # PostgreSQL's JSON refuses the NUL character


def next_wake(*, now: datetime | None = None) -> datetime | None:
    """When the next retry falls due, for a worker that can defer a task."""
    now = now or timezone.now()
    return (
        Sending.objects.exclude(status=SendingStatus.SENT)
        .filter(next_attempt_at__gt=now)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
