from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from insights.export import payload, services, tasks
from insights.models import CommonsEnrolment, Sending, SendingStatus
from teams.models import AuditEvent
from tests.factories import MembershipFactory
from tests.insights.export.conftest import WEEK, figures, snapshot

pytestmark = pytest.mark.usefixtures("now")


def test_the_task_sends_what_is_due(team, joined, hub):
    snapshot(team)

    services.sending_queue(team=team, week=WEEK)
    assert tasks.send_due_task.call() == 1
    assert Sending.objects.for_team(team).get().status == SendingStatus.SENT


def test_the_task_wakes_again_when_a_retry_is_waiting(team, joined, hub):
    snapshot(team)
    services.sending_queue(team=team, week=WEEK)
    hub.answers.append(services.Answer(503, {}))
    tasks.send_due_task.call()
    queued = tasks.send_due_task.get_backend().results
    assert [r.task.run_after for r in queued] == [
        Sending.objects.for_team(team).get().next_attempt_at
    ]


def test_the_command_says_when_the_commons_is_off(settings):
    settings.COMMONS_URL = ""
    out = StringIO()
    call_command("insights_send", stdout=out)
    assert "nothing is sent" in out.getvalue()


def test_the_command_sends_what_is_due(team, joined, hub):

    snapshot(team)
    services.sending_queue(team=team, week=WEEK)
    out = StringIO()
    call_command("insights_send", stdout=out)
    assert out.getvalue().strip() == "1 sent."


def test_the_nightly_snapshot_command_queues_a_joined_teams_week(team, joined, hub):
    for _ in range(3):
        MembershipFactory(team=team)
    call_command("insights_snapshot", team=team.slug, week=WEEK, stdout=StringIO())
    assert list(Sending.objects.for_team(team).values_list("week", flat=True)) == [WEEK]


def test_continuity_counts_leave_when_the_snapshot_holds_them(team):

    week = figures()
    week["continuity"] |= {"top_two": 90, "visits": 120}
    cells = {(c.element, c.category): c for c in payload.week_cells(week, []).cells}
    assert (
        sum(cells[("CONTINUITY", "top_two")].contributions),
        sum(cells[("CONTINUITY", "visits")].contributions),
    ) == (90, 120)


def test_continuity_stays_home_when_the_snapshot_holds_only_shares(team):

    cells = payload.week_cells(figures(), []).cells
    assert not any(c.element == "CONTINUITY" for c in cells)


def test_the_demo_joins_a_team_to_the_embedded_hub_and_queues_its_weeks(team, alice, hub, settings):
    from insights.export import demo

    settings.COMMONS_HUB = True
    snapshot(team)
    demo.seed(team)
    demo.seed(team)  # idempotent
    enrolment = CommonsEnrolment.objects.get(team=team)
    assert enrolment.can_send and enrolment.org_unit.startswith("t-")
    assert list(Sending.objects.for_team(team).values_list("week", "revision")) == [(WEEK, 1)]
    assert AuditEvent.objects.for_team(team).filter(action="commons.join").count() == 1
