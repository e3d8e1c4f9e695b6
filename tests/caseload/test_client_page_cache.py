"""Cached client pages and visit cards are never stale, whoever changes what they show.

Every change here goes straight to the database (factories, ``QuerySet.update``), not through
the services, because the version the body is cached under is moved by the database itself.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from caseload.models import Client, Handover, Note, Rating, Visit, VisitRecord, VisitStatus
from teams import fragments
from teams.models import User
from tests.factories import (
    CarePlanProblemFactory,
    ClientFactory,
    CoachGrantFactory,
    HandoverFactory,
    InterventionFactory,
    UserFactory,
    VisitFactory,
)

EVENTS = ["insert", "update", "delete"]


@pytest.fixture
def client_row(team, alice):
    return ClientFactory(team=team, name="Edna Walker", primary_nurse=alice)


def _page(browser: Browser, client: Client) -> str:
    url = reverse("caseload:client", kwargs={"team_slug": client.team.slug, "client_id": client.pk})
    response = browser.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _note(client, alice):
    Note.objects.create(team=client.team, client=client, author=alice, text="Cataract clinic Tue")


def _addendum(client, alice):
    note = Note.objects.create(team=client.team, client=client, author=alice, text="First")
    Note.objects.create(
        team=client.team, client=client, author=alice, addendum_to=note, text="Cataract clinic Tue"
    )


def _handover(client, alice):
    HandoverFactory(team=client.team, client=client, author=alice, text="Cataract clinic Tue")


def _problem(client, alice):
    CarePlanProblemFactory(client=client, signs_symptoms="Cataract clinic Tue")


def _intervention(client, alice):
    InterventionFactory(care_problem__client=client, description="Cataract clinic Tue")


def _rating(client, alice):
    problem = CarePlanProblemFactory(client=client)
    Rating.objects.create(
        team=client.team,
        client=client,
        care_problem=problem,
        knowledge=2,
        behaviour=3,
        status=4,
        rated_by=alice,
    )
    return "Knowledge 2, Behaviour 3, Status 4"


def _upcoming_visit(client, alice):
    VisitFactory(client=client, date=timezone.localdate() + timedelta(days=3))
    return (timezone.localdate() + timedelta(days=3)).strftime("%a %-d %b")


def _visit_reassigned(client, alice):
    visit = VisitFactory(client=client, date=timezone.localdate() + timedelta(days=1))
    bea = UserFactory(name="Cataract Clinic Nurse")
    Visit.objects.filter(pk=visit.pk).update(assigned_to=bea)
    return "Cataract Clinic Nurse"


def _visit_recorded(client, alice):
    visit = VisitFactory(
        client=client,
        date=timezone.localdate() - timedelta(days=1),
        status=VisitStatus.DONE,
        assigned_to=alice,
    )
    VisitRecord.objects.create(team=client.team, visit=visit, actual_minutes=20, recorded_by=alice)
    return "Alice Adams: 1 visit"


def _client_updated(client, alice):
    Client.objects.filter(pk=client.pk).update(phone="0113 496 0000")
    return "0113 496 0000"


def _nurse_renamed(client, alice):
    User.objects.filter(pk=alice.pk).update(name="Alice Cataract")
    return "primary nurse Alice Cataract"


CHANGES = [
    _note,
    _addendum,
    _handover,
    _problem,
    _intervention,
    _rating,
    _upcoming_visit,
    _visit_reassigned,
    _visit_recorded,
    _client_updated,
    _nurse_renamed,
]


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__.strip("_") for c in CHANGES])
def test_a_change_written_anywhere_shows_on_the_next_read(change, client_row, alice, alice_client):
    before = _page(alice_client, client_row)
    shown = change(client_row, alice) or "Cataract clinic Tue"
    assert shown not in before
    assert shown in _page(alice_client, client_row)


def test_an_acknowledged_handover_leaves_the_next_read(client_row, alice, alice_client):
    HandoverFactory(team=client_row.team, client=client_row, author=alice, text="Gone soon")
    assert "Gone soon" in _page(alice_client, client_row)
    Handover.objects.filter(client=client_row).update(acknowledged_at=timezone.now())
    assert "Gone soon" not in _page(alice_client, client_row)


def test_a_read_again_skips_the_bodys_queries(client_row, alice_client, django_assert_num_queries):
    InterventionFactory(care_problem__client=client_row)
    _page(alice_client, client_row)
    # Session, user, the team with the reader's teams, the client, the audit INSERT, the
    # access log and the menu's handover count: the body comes from the cache.
    with django_assert_num_queries(7):
        _page(alice_client, client_row)


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_forms_in_a_cached_body_carry_each_readers_own_token(client_row, alice_client, bob):
    _page(alice_client, client_row)
    bobs = Browser(enforce_csrf_checks=True)
    bobs.force_login(bob)
    html = _page(bobs, client_row)
    url = reverse(
        "caseload:note_add", kwargs={"team_slug": client_row.team.slug, "client_id": client_row.pk}
    )
    response = bobs.post(url, {"text": "Bob's own note", "csrfmiddlewaretoken": _token(html)})
    assert response.status_code == 302
    assert Note.objects.filter(author=bob, text="Bob's own note").exists()


def test_a_coach_never_gets_the_body_a_member_cached(client_row, alice_client):
    coach = CoachGrantFactory(team=client_row.team).coach
    _page(alice_client, client_row)
    coachs = Browser()
    coachs.force_login(coach)
    assert "Add note" not in _page(coachs, client_row)


def test_a_welsh_reader_never_gets_the_body_an_english_reader_cached(client_row, alice_client, bob):
    _page(alice_client, client_row)
    User.objects.filter(pk=bob.pk).update(language="cy")
    bobs = Browser()
    bobs.force_login(User.objects.get(pk=bob.pk))
    assert "Cynllun gofal" in _page(bobs, client_row)


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_every_table_the_page_shows_keeps_its_triggers():
    """SQLite drops a table's triggers when a migration rebuilds the table: this catches it."""
    tables = ["visit", "note", "handover", "careplanproblem", "intervention", "rating"]
    tables += ["visitrecord", "visit_interventions"]
    expected = {f"caseload_{t}_page_{e}" for t in tables for e in EVENTS}
    expected |= {"caseload_page_client", "teams_user_page_name"}
    assert expected <= _triggers()


def _today(browser: Browser, team) -> str:
    response = browser.get(reverse("caseload:today", kwargs={"team_slug": team.slug}))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def todays_visit(client_row, alice):
    return VisitFactory(client=client_row, assigned_to=alice)


def _planned_intervention(visit, alice):
    visit.interventions.add(
        InterventionFactory(care_problem__client=visit.client, description="Cataract drops")
    )
    return "Cataract drops"


def _address_changed(visit, alice):
    Client.objects.filter(pk=visit.client_id).update(address="9 Cataract Row")
    return "9 Cataract Row"


def _handover_for_the_client(visit, alice):
    HandoverFactory(team=visit.team, client=visit.client, text="Cataract clinic Tue")
    return "Cataract clinic Tue"


def _visit_done(visit, alice):
    Visit.objects.filter(pk=visit.pk).update(status=VisitStatus.DONE)
    return "govuk-tag--green"


CARD_CHANGES = [_planned_intervention, _address_changed, _handover_for_the_client, _visit_done]


@pytest.mark.parametrize("change", CARD_CHANGES, ids=[c.__name__.strip("_") for c in CARD_CHANGES])
def test_a_change_to_a_visit_card_shows_on_the_next_today(
    change, todays_visit, alice, alice_client
):
    before = _today(alice_client, todays_visit.team)
    shown = change(todays_visit, alice)
    assert shown not in before
    assert shown in _today(alice_client, todays_visit.team)


def test_a_new_visit_today_shows_on_the_next_today(todays_visit, alice, alice_client, team):
    _today(alice_client, team)
    VisitFactory(client=ClientFactory(team=team, name="Cataract Client"), assigned_to=alice)
    assert "Cataract Client" in _today(alice_client, team)


def test_today_read_again_skips_the_cards_queries(
    todays_visit, alice_client, team, django_assert_num_queries
):
    _today(alice_client, team)
    # Session, user, the team with the reader's teams, the visits' keys, the reader's
    # handovers, the ideas waiting and the audit INSERT: the cards come from the cache.
    with django_assert_num_queries(7):
        _today(alice_client, team)


def test_today_without_visits_says_so(alice_client, team):
    assert "You have no visits on this day." in _today(alice_client, team)


def test_a_handover_for_you_changed_in_place_shows_on_the_next_today(alice, bob, team):
    handover = HandoverFactory(team=team, author=bob, to=alice, text="Call the GP")
    alices = Browser()
    alices.force_login(alice)
    assert "Call the GP" in _today(alices, team)
    Handover.objects.filter(pk=handover.pk).update(text="Call the pharmacy")
    assert "Call the pharmacy" in _today(alices, team)


def test_done_as_planned_on_a_cached_card_carries_the_readers_token(todays_visit, alice, team):
    alices = Browser(enforce_csrf_checks=True)
    alices.force_login(alice)
    _today(alices, team)
    html = _today(alices, team)
    url = reverse(
        "caseload:visit_done", kwargs={"team_slug": team.slug, "visit_id": todays_visit.pk}
    )
    response = alices.post(
        url, {"base_version": todays_visit.version, "csrfmiddlewaretoken": _token(html)}
    )
    assert response.status_code == 302
    todays_visit.refresh_from_db()
    assert todays_visit.status == VisitStatus.DONE


def _board(browser: Browser, team) -> str:
    response = browser.get(reverse("caseload:board", kwargs={"team_slug": team.slug}))
    assert response.status_code == 200
    return response.content.decode()


def test_a_visit_given_to_someone_else_moves_on_the_next_board(todays_visit, alice, bob, team):
    alices = Browser()
    alices.force_login(alice)
    before = _board(alices, team)
    Visit.objects.filter(pk=todays_visit.pk).update(assigned_to=bob)
    after = _board(alices, team)
    assert before != after
    assert f'value="{bob.pk}" selected' in after


def test_a_member_renamed_shows_on_the_next_board(todays_visit, alice, team):
    alices = Browser()
    alices.force_login(alice)
    _board(alices, team)
    User.objects.filter(pk=alice.pk).update(name="Alice Cataract")
    assert "Alice Cataract" in _board(alices, team)


def test_a_change_to_one_visit_renders_only_its_column_again(
    todays_visit, alice, bob, team, monkeypatch
):
    VisitFactory(team=team, client=ClientFactory(team=team), assigned_to=bob)
    alices = Browser()
    alices.force_login(alice)
    _board(alices, team)
    rendered = []
    real = fragments.render_to_string
    monkeypatch.setattr(
        fragments, "render_to_string", lambda name, ctx: rendered.append(name) or real(name, ctx)
    )
    Visit.objects.filter(pk=todays_visit.pk).update(status=VisitStatus.DONE)
    page = _board(alices, team)
    assert rendered == ["caseload/_board_column.html"]
    assert "govuk-tag--grey" in page
