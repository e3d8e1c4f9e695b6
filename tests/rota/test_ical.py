from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from icalendar import Calendar

from rota import services
from tests.rota.factories import AssignmentFactory, RotaPeriodFactory, ShiftTypeFactory


@pytest.fixture
def published(team, alice):
    period = RotaPeriodFactory(team=team, start=date(2026, 3, 23), days=14)
    night = ShiftTypeFactory(team=team, name="Night", start=time(21, 0), end=time(7, 0))
    AssignmentFactory(period=period, user=alice, date=date(2026, 3, 28), shift_type=night)
    AssignmentFactory(period=period, user=alice, date=date(2026, 4, 2), shift_type=night)
    services.period_publish(period=period, by=alice)
    return period


def _feed_url(team, alice) -> str:
    _, token = services.feed_create(team=team, user=alice, by=alice)
    return f"/calendar/{token}.ics"


def test_feed_lists_published_shifts_as_rfc_5545_events(
    client, team, alice, published, time_machine
):
    time_machine.move_to(datetime(2026, 3, 20, 12, 0, tzinfo=UTC))
    response = client.get(_feed_url(team, alice))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [str(e["summary"]) for e in events] == ["Night shift (Riverside)"] * 2
    # The night the clocks go forward lasts 9 hours: 21:00 GMT to 06:00 UTC (07:00 BST).
    assert events[0].decoded("dtstart") == datetime(2026, 3, 28, 21, 0, tzinfo=UTC)
    assert events[0].decoded("dtend") == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)


def test_feed_leaves_out_draft_shifts(client, team, alice, bob):
    period = RotaPeriodFactory(team=team)
    AssignmentFactory(period=period, user=alice)
    calendar = Calendar.from_ical(client.get(_feed_url(team, alice)).content)
    assert calendar.walk("VEVENT") == []


def test_revoked_feed_is_404(client, team, alice, published):
    feed, token = services.feed_create(team=team, user=alice, by=alice)
    services.feed_revoke(feed=feed, by=alice)
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def test_a_new_link_revokes_the_old_one(client, team, alice):
    old = _feed_url(team, alice)
    new = _feed_url(team, alice)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_unknown_token_is_404(client, db):
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_only_the_token_hash_is_stored(team, alice):
    feed, token = services.feed_create(team=team, user=alice, by=alice)
    assert token not in feed.token_hash
    assert len(feed.token_hash) == 64


def test_feed_of_someone_who_left_the_team_is_404(client, team, alice, bob):
    from teams import services as team_services

    url = _feed_url(team, alice)
    team_services.member_leave(membership=alice.memberships.get(team=team), by=bob)
    assert client.get(url).status_code == 404
