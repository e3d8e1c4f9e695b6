from __future__ import annotations

import datetime as dt
import json

import pytest

from disclosure import signing
from insights.export import services
from insights.models import CommonsEnrolment, Sending, SendingStatus
from teams.models import AuditEvent
from tests.insights.export.conftest import HUB, WEEK, earlier, snapshot

pytestmark = pytest.mark.usefixtures("now")

ENROLLED = services.Answer(201, {"orgUnit": "t-abcdef0123", "key": "issued-key"})


def test_a_team_has_not_joined_by_default(team):
    snapshot(team)
    assert services.sending_queue(team=team, week=WEEK) is None
    assert not CommonsEnrolment.objects.filter(team=team, joined=True).exists()


def test_joining_enrols_with_the_hub_and_is_audited_with_who(team, alice, hub):
    hub.answers.append(ENROLLED)
    services.commons_join(team=team, by=alice, region="E12000001", service_type="district_nursing")
    enrolment = CommonsEnrolment.objects.get(team=team)
    assert (enrolment.joined, enrolment.org_unit, enrolment.key) == (
        True,
        "t-abcdef0123",
        "issued-key",
    )
    event = AuditEvent.objects.for_team(team).get(action="commons.join")
    assert event.actor == alice and "issued-key" not in json.dumps(event.detail)
    url, body, headers = hub.posted[0]
    assert url == f"{HUB}api/v1/teams/" and headers["Authorization"] == "Bearer enrol-token"
    assert json.loads(body) == {
        "region": "E12000001",
        "serviceType": "district_nursing",
        "sizeBand": "1-4",
    }


def test_joining_queues_the_recent_weeks_that_have_snapshots(team, alice, hub):
    hub.answers.append(ENROLLED)
    snapshot(team, week=WEEK)
    snapshot(team, week=earlier(WEEK, 5))  # too old to leave
    services.commons_join(team=team, by=alice, region="E12000001", service_type="other")
    assert list(Sending.objects.for_team(team).values_list("week", "revision")) == [(WEEK, 1)]


def test_joining_is_refused_when_the_commons_is_off(team, alice, settings):
    settings.COMMONS_URL = ""
    with pytest.raises(services.CommonsError):
        services.commons_join(team=team, by=alice, region="E12000001", service_type="other")
    assert not AuditEvent.objects.for_team(team).filter(action="commons.join").exists()


def test_a_refused_enrolment_says_so_and_joins_nothing(team, alice, hub):
    hub.answers.append(services.Answer(401, {}))
    with pytest.raises(services.CommonsError, match="401"):
        services.commons_join(team=team, by=alice, region="E12000001", service_type="other")
    assert not CommonsEnrolment.objects.filter(team=team, joined=True).exists()


def test_rejoining_keeps_the_key_it_has(team, alice, hub, joined):
    joined.joined = False
    joined.save()
    services.commons_join(team=team, by=alice, region="E12000001", service_type="other")
    assert hub.posted == [] and CommonsEnrolment.objects.get(team=team).key == "s3cret-key-value"


def test_leaving_is_at_once_audited_and_stops_what_waits(team, alice, hub, joined):
    snapshot(team)
    services.sending_queue(team=team, week=WEEK)
    services.commons_leave(team=team, by=alice)
    assert services.send_due() == 0
    sending = Sending.objects.for_team(team).get()
    assert sending.status == SendingStatus.FAILED and "left" in sending.last_error
    assert AuditEvent.objects.for_team(team).get(action="commons.leave").actor == alice
    assert hub.posted == []


def test_an_unchanged_week_is_not_sent_again(team, joined):
    snapshot(team)
    assert services.sending_queue(team=team, week=WEEK).revision == 1
    assert services.sending_queue(team=team, week=WEEK) is None


def test_a_change_inside_the_rounding_sends_nothing_new(team, joined):
    week = snapshot(team, visits_done=120)
    services.sending_queue(team=team, week=WEEK)
    week.figures["visits"]["done"] = 121  # still published as 120
    week.save()
    assert services.sending_queue(team=team, week=WEEK) is None


def test_a_changed_published_value_is_a_new_revision(team, joined):
    week = snapshot(team, visits_done=120)
    services.sending_queue(team=team, week=WEEK)
    week.figures["visits"]["done"] = 140
    week.save()
    revised = services.sending_queue(team=team, week=WEEK)
    assert revised.revision == 2 and revised.payload["revision"] == 2


def test_a_week_older_than_four_weeks_is_never_sent(team, joined):
    old = earlier(WEEK, 4)
    snapshot(team, week=old)
    assert services.sending_queue(team=team, week=old) is None
    assert services.sending_queue(team=team, week=earlier(WEEK, 3)) is None  # no snapshot


def test_the_snapshot_hook_queues_the_week(team, joined):
    week = snapshot(team)
    assert services.snapshot_saved(snapshot=week).week == WEEK


def test_a_sending_is_signed_with_the_teams_key(team, joined, hub):
    snapshot(team)
    services.sending_queue(team=team, week=WEEK)
    assert services.send_due() == 1
    url, body, headers = hub.posted[0]
    assert url == f"{HUB}api/v1/datavaluesets/"
    assert headers[signing.TEAM_HEADER] == "t-0123456789"
    assert signing.verify(
        "s3cret-key-value",
        body,
        int(headers[signing.TIMESTAMP_HEADER]),
        headers[signing.NONCE_HEADER],
        headers[signing.SIGNATURE_HEADER],
    )
    assert json.loads(body) == Sending.objects.for_team(team).get().payload


def test_a_sent_sending_keeps_the_hubs_summary(team, joined, hub):
    snapshot(team)
    services.sending_queue(team=team, week=WEEK)
    services.send_due()
    sending = Sending.objects.for_team(team).get()
    assert sending.status == SendingStatus.SENT and sending.attempts == 1
    assert sending.response["importCount"]["imported"] == 1
    assert services.send_due() == 0  # nothing left


def test_nothing_is_sent_when_the_commons_url_is_empty(team, joined, hub, settings):
    snapshot(team)
    services.sending_queue(team=team, week=WEEK)
    settings.COMMONS_URL = ""
    assert services.send_due() == 0
    assert hub.posted == []
    assert Sending.objects.for_team(team).get().status == SendingStatus.WAITING


def test_an_unreachable_hub_is_retried_with_growing_waits(team, joined, hub, now):
    snapshot(team)
    services.sending_queue(team=team, week=WEEK)
    hub.answers += [OSError("refused"), services.Answer(503, {})]
    services.send_due(now=now)
    first = Sending.objects.for_team(team).get()
    assert first.status == SendingStatus.FAILED and "could not be reached" in first.last_error
    assert first.next_attempt_at == now + dt.timedelta(minutes=1)
    assert services.send_due(now=now) == 0  # not due yet
    later = now + dt.timedelta(minutes=1)
    services.send_due(now=later)
    second = Sending.objects.for_team(team).get()
    assert second.attempts == 2 and "503" in second.last_error
    assert second.next_attempt_at == later + dt.timedelta(minutes=2)
    services.send_due(now=second.next_attempt_at)
    assert Sending.objects.for_team(team).get().status == SendingStatus.SENT


def test_the_wait_between_tries_is_capped():
    assert services.retry_wait(1) == dt.timedelta(minutes=1)
    assert services.retry_wait(5) == dt.timedelta(minutes=16)
    assert services.retry_wait(40) == dt.timedelta(hours=6)


def test_a_schema_violation_is_not_retried_and_says_why(team, joined, hub):
    snapshot(team)
    services.sending_queue(team=team, week=WEEK)
    hub.answers.append(services.Answer(422, {"errors": ["period: not a week"]}))
    services.send_due()
    sending = Sending.objects.for_team(team).get()
    assert sending.next_attempt_at is None and "period: not a week" in sending.last_error


def test_a_refused_key_stops_sending_until_the_team_joins_again(team, joined, hub):
    snapshot(team)
    services.sending_queue(team=team, week=WEEK)
    hub.answers.append(services.Answer(401, {}))
    services.send_due()
    assert "key" in Sending.objects.for_team(team).get().last_error
    assert not CommonsEnrolment.objects.get(team=team).can_send


def test_giving_up_after_the_last_attempt(team, joined, hub, now):
    snapshot(team)
    services.sending_queue(team=team, week=WEEK)
    Sending.objects.for_team(team).update(attempts=services.MAX_ATTEMPTS - 1)
    hub.answers.append(services.Answer(500, {}))
    services.send_due(now=now)
    assert Sending.objects.for_team(team).get().next_attempt_at is None


def test_leaving_when_not_joined_changes_and_records_nothing(team, alice):
    services.commons_leave(team=team, by=alice)
    assert not CommonsEnrolment.objects.filter(team=team).exists()
    assert not AuditEvent.objects.for_team(team).filter(action="commons.leave").exists()
