"""Demo: the demo teams join the embedded hub, so the whole commons loop shows on first run.

``seed_demo`` runs before the server listens, so the hub cannot be reached over HTTP yet: the
team is enrolled through the hub's operator command instead (what an operator does for a team
whose server cannot reach the hub), and its weeks are queued. The task worker sends them once
the server is up, retrying with back-off until it is.
"""

from __future__ import annotations

import io
import logging

from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from disclosure import schema
from insights.export import selectors, services
from insights.models import CommonsEnrolment
from teams import audit
from teams.demo import members
from teams.models import Team

log = logging.getLogger(__name__)
REGION = "E12000003"  # Yorkshire and The Humber, where the demo's teams are
SERVICE_TYPE = "district_nursing"


def seed(team: Team) -> None:
    """Join ``team`` to the embedded hub and queue its recent weeks (idempotent)."""
    if not (settings.COMMONS_HUB and services.hub_url()):
        return
    if CommonsEnrolment.objects.filter(team=team).exists():
        return
    org_unit, key = _register(staff=len(members(team)))
    now = timezone.now()
    with transaction.atomic():
        enrolment = CommonsEnrolment.objects.create(
            team=team,
            joined=True,
            hub_url=services.hub_url(),
            org_unit=org_unit,
            key=key,
            region=REGION,
            service_type=SERVICE_TYPE,
            enrolled_at=now,
            changed_at=now,
        )
        audit.record(
            actor=members(team)[0].user,
            team=team,
            action="commons.join",
            obj=enrolment,
            detail={"region": REGION, "service_type": SERVICE_TYPE},
        )
        for week in selectors.recent_weeks(now=now):
            services.sending_queue(team=team, week=week, now=now)


def _register(*, staff: int) -> tuple[str, str]:
    """Enrol through the hub's ``commons_register`` command; read its reference and key."""
    out = io.StringIO()
    call_command(
        "commons_register",
        region=REGION,
        service_type=SERVICE_TYPE,
        size_band=schema.size_band(staff),
        stdout=out,
    )
    fields = dict(
        line.split(": ", 1)
        for line in out.getvalue().splitlines()
        if line.startswith(("orgUnit", "key"))
    )
    return fields["orgUnit"], fields["key"]
