from __future__ import annotations

import io
from datetime import date, time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from caseload import services
from caseload.models import Client, Visit, VisitStatus
from teams.models import AuditEvent
from tests.factories import (
    ClientFactory,
    CoachGrantFactory,
    HandoverFactory,
    InterventionFactory,
    VisitFactory,
)


def _url(name: str, team, **kwargs) -> str:
    return reverse(f"caseload:{name}", kwargs={"team_slug": team.slug, **kwargs})


def _many_clients(team, alice, n: int) -> None:
    """Grow the caseload to ``n`` clients, each with a visit today for alice."""
    clients = Client.objects.bulk_create(
        Client(
            team=team,
            name=f"Client {i:04d}",
            date_of_birth=date(1940, 1, 1),
            address="1 High Street",
            postcode="LS1 4AP",
            status="active",
            primary_nurse=alice,
        )
        for i in range(n)
    )
    Visit.objects.bulk_create(
        Visit(
            team=team,
            client=c,
            date=timezone.localdate(),
            window_start=time(9),
            window_end=time(10),
            planned_minutes=20,
            assigned_to=alice,
        )
        for c in clients[:40]
    )


@pytest.mark.parametrize("page", ["today", "board", "clients"])
def test_hot_pages_use_the_same_number_of_queries_at_10_and_1000_clients(
    page, team, alice, alice_client
):
    _many_clients(team, alice, 10)
    with CaptureQueriesContext(connection) as small:
        alice_client.get(_url(page, team), {"q": "Client"})
    _many_clients(team, alice, 990)
    with CaptureQueriesContext(connection) as large:
        alice_client.get(_url(page, team), {"q": "Client"})
    assert len(large) == len(small)


def test_client_page_uses_the_same_number_of_queries_at_10_and_1000_clients_and_any_history(
    team, alice, alice_client
):
    """Counted on a first read (nothing cached), the body's own queries included."""
    _many_clients(team, alice, 10)
    client = ClientFactory(team=team)
    InterventionFactory(care_problem__client=client)
    alice_client.get(_url("client", team, client_id=client.pk))
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        alice_client.get(_url("client", team, client_id=client.pk))
    _many_clients(team, alice, 990)
    for _ in range(5):
        InterventionFactory(care_problem__client=client)
        VisitFactory(client=client, status=VisitStatus.PLANNED)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        alice_client.get(_url("client", team, client_id=client.pk))
    assert len(large) == len(small)


def test_today_query_count_is_pinned(team, alice, alice_client, django_assert_num_queries):
    _many_clients(team, alice, 10)
    HandoverFactory(team=team, author=alice, client=Client.objects.first())
    # Session, user, the team with the reader's teams, the visits' keys (to find the cached
    # cards), then (the cards not cached yet) the visits, interventions and their handovers,
    # the reader's handovers (also the menu's count), the consent rounds and reviews waiting
    # (ideas) and one INSERT auditing every client shown.
    with django_assert_num_queries(10):
        alice_client.get(_url("today", team))


def test_search_finds_by_name_postcode_and_nhs_number(team, alice_client):
    ClientFactory(team=team, name="Edna Walker", postcode="LS6 2QT", nhs_number="9434765919")
    ClientFactory(team=team, name="Arthur Green", postcode="LS1 4AP")
    for query in ["edna", "ls6 2qt", "LS62QT", "943 476 5919"]:
        page = alice_client.get(_url("clients", team), {"q": query}).content.decode()
        assert "Edna Walker" in page and "Arthur Green" not in page, query


def test_search_paginates(team, alice, alice_client):
    _many_clients(team, alice, 60)
    page = alice_client.get(_url("clients", team), {"page": 3}).content.decode()
    assert "Page 3 of 3" in page and "Client 0059" in page


def test_today_shows_alerts_and_open_handovers(team, alice, alice_client, visit, client_record):
    HandoverFactory(team=team, author=alice, client=client_record, text="Key is under the mat")
    page = alice_client.get(_url("today", team)).content.decode()
    assert "Dog in house" in page and "Key is under the mat" in page


def test_done_as_planned_is_one_post_from_today(team, alice_client, visit):
    response = alice_client.post(
        _url("visit_done", team, visit_id=visit.pk), {"base_version": visit.version}
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE


def test_recording_twice_shows_both_versions_and_keeps_the_first(team, alice_client, visit, bob):
    services.visit_record_save(visit=visit, by=bob, base_version=1, actual_minutes=20)
    response = alice_client.post(
        _url("visit", team, visit_id=visit.pk),
        {"base_version": 1, "actual_minutes": 45, "travel_minutes": 5},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Bob Brown already recorded this visit" in page and "45" in page and "20" in page
    assert visit.record.actual_minutes == 20


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"actual_minutes": 0, "travel_minutes": 0}, "between 1 and 1440"),
        ({"actual_minutes": 2000, "travel_minutes": 0}, "between 1 and 1440"),
        ({"actual_minutes": 20, "travel_minutes": -3}, "between 0 and 1440"),
    ],
)
def test_bad_minutes_are_shown_next_to_the_field(team, alice_client, visit, data, message):
    response = alice_client.post(
        _url("visit", team, visit_id=visit.pk), {"base_version": 1, **data}
    )
    assert message in response.content.decode()
    assert not Visit.objects.filter(status="done").exists()


def test_invalid_nhs_number_is_shown_next_to_the_field(team, alice_client):
    response = alice_client.post(
        _url("client_add", team),
        {
            "name": "A B",
            "date_of_birth": "1950-01-01",
            "nhs_number": "9434765918",
            "address": "x",
            "postcode": "LS1 4AP",
        },
    )
    page = response.content.decode()
    assert "client_nhs_number-error" in page and "check digit" in page
    assert not Client.objects.exists()


def test_editing_a_client_on_a_stale_version_is_a_conflict(team, alice_client, client_record, bob):
    services.client_update(client=client_record, by=bob, base_version=1, phone="0113 496 0000")
    response = alice_client.post(
        _url("client_edit", team, client_id=client_record.pk),
        {
            "base_version": 1,
            "name": "Changed",
            "date_of_birth": "1950-01-01",
            "address": "x",
            "postcode": "LS1 4AP",
        },
    )
    assert response.status_code == 409
    client_record.refresh_from_db()
    assert client_record.name == "Edna Walker"


def test_reading_a_client_record_is_audited_and_shown(team, alice_client, client_record):
    alice_client.get(_url("client", team, client_id=client_record.pk))
    page = alice_client.get(_url("client", team, client_id=client_record.pk)).content.decode()
    views = AuditEvent.objects.filter(action="client.view", object_id=str(client_record.pk))
    assert views.count() == 2
    assert "Who looked at this record" in page and "Opened the record (2 times that day)" in page


def test_client_page_charts_rating_history(team, alice, alice_client, intervention):
    for k in (1, 3):
        services.rating_add(
            care_problem=intervention.care_problem, by=alice, knowledge=k, behaviour=2, status=2
        )
    page = alice_client.get(_url("client", team, client_id=intervention.client_id)).content.decode()
    assert "<svg" in page and "Knowledge +2" in page


def test_continuity_lists_who_visited_in_the_last_30_days(team, alice, bob, alice_client, visit):
    services.visit_done_as_planned(visit=visit, by=bob, base_version=1)
    page = alice_client.get(_url("client", team, client_id=visit.client_id)).content.decode()
    assert "Bob Brown: 1 visit" in page


def _pdf_text(response) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


@pytest.mark.slow
def test_client_summary_pdf_has_the_care_plan_and_is_audited(team, alice_client, intervention):
    response = alice_client.get(_url("client_pdf", team, client_id=intervention.client_id))
    text = _pdf_text(response)
    assert response["Content-Type"] == "application/pdf"
    assert intervention.client.name in text and "Dress the heel ulcer" in text
    assert AuditEvent.objects.filter(action="client.view", detail__what="summary pdf").exists()


@pytest.mark.slow
def test_day_sheet_pdf_lists_the_days_visits(team, alice_client, visit):
    text = " ".join(_pdf_text(alice_client.get(_url("day_sheet", team))).split())  # wrapped cells
    assert "Edna Walker" in text and "Dog in house" in text


def test_time_view_totals_per_category(team, alice, alice_client, visit):
    services.visit_record_save(
        visit=visit, by=alice, base_version=1, actual_minutes=30, travel_minutes=10
    )
    alice_client.post(
        _url("time", team), {"date": visit.date.isoformat(), "category": "team", "minutes": 60}
    )
    page = alice_client.get(_url("time", team), {"date": visit.date.isoformat()}).content.decode()
    assert "30%" in page and "<strong>100</strong>" in page


def test_time_entry_of_more_than_a_day_is_refused_by_the_field(team, alice_client):
    response = alice_client.post(
        _url("time", team), {"date": "2026-11-30", "category": "team", "minutes": 1500}
    )
    assert "between 1 and 1440" in response.content.decode()


def test_coach_sees_today_but_cannot_record(team, visit):
    grant = CoachGrantFactory(team=team)
    browser = Browser()
    browser.force_login(grant.coach)
    assert browser.get(_url("board", team)).status_code == 200
    response = browser.post(
        _url("visit", team, visit_id=visit.pk), {"base_version": 1, "actual_minutes": 5}
    )
    assert response.status_code == 404


def test_a_copy_kept_for_offline_use_is_audited_as_such(team, alice_client, client_record):
    alice_client.get(
        _url("client", team, client_id=client_record.pk), headers={"X-Patch-Offline-Copy": "1"}
    )
    event = AuditEvent.objects.get(action="client.view")
    assert event.detail == {"what": "page", "offline_copy": True}


def test_a_planned_visit_can_be_moved_one_by_one(team, alice_client, visit):
    response = alice_client.post(
        _url("visit_edit", team, visit_id=visit.pk),
        {
            "base_version": 1,
            "date": "2026-12-02",
            "window_start": "14:00",
            "window_end": "15:00",
            "planned_minutes": 40,
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (str(visit.date), visit.window_start.hour, visit.planned_minutes, visit.version) == (
        "2026-12-02",
        14,
        40,
        2,
    )


def test_moving_a_visit_to_end_before_it_starts_is_refused_by_the_field(team, alice_client, visit):
    response = alice_client.post(
        _url("visit_edit", team, visit_id=visit.pk),
        {
            "base_version": 1,
            "date": "2026-12-02",
            "window_start": "14:00",
            "window_end": "13:00",
            "planned_minutes": 40,
        },
    )
    assert "end after it starts" in response.content.decode()


def test_care_plan_grows_through_its_forms(team, alice_client, client_record, intervention):
    alice_client.post(
        _url("problem_add", team, client_id=client_record.pk),
        {
            "problem": "22",
            "scope": "individual",
            "severity": "actual",
            "signs_symptoms": "Back pain at night",
        },
    )
    problem = client_record.problems.get(problem_id="22")
    alice_client.post(
        _url("intervention_add", team, client_id=client_record.pk),
        {
            "care_problem": problem.pk,
            "category": "surveillance",
            "target": 62,
            "description": "Pain score",
            "frequency": "weekly",
            "minutes": 10,
        },
    )
    alice_client.post(
        _url("rating_add", team, client_id=client_record.pk),
        {"care_problem": problem.pk, "knowledge": 2, "behaviour": 3, "status": 2},
    )
    assert problem.interventions.get().description == "Pain score"
    assert (problem.ratings.get().knowledge, problem.signs_symptoms) == (2, "Back pain at night")


def test_signs_and_symptoms_on_a_potential_problem_are_refused_by_the_field(
    team, alice_client, client_record
):
    response = alice_client.post(
        _url("problem_add", team, client_id=client_record.pk),
        {"problem": "22", "scope": "individual", "severity": "potential", "signs_symptoms": "Pain"},
    )
    assert "only for an Actual problem" in response.content.decode()
    assert not client_record.problems.exists()


def test_a_rating_outside_one_to_five_is_refused_by_the_field(team, alice_client, intervention):
    response = alice_client.post(
        _url("rating_add", team, client_id=intervention.client_id),
        {"care_problem": intervention.care_problem_id, "knowledge": 7, "behaviour": 3, "status": 2},
    )
    assert "rating_knowledge-error" in response.content.decode()


def test_recording_a_visit_can_rate_its_problems(team, alice_client, visit, intervention):
    problem = intervention.care_problem
    response = alice_client.post(
        _url("visit", team, visit_id=visit.pk),
        {
            "base_version": 1,
            "actual_minutes": 20,
            "travel_minutes": 0,
            f"rating_{problem.pk}_knowledge": 3,
            f"rating_{problem.pk}_behaviour": 4,
            f"rating_{problem.pk}_status": 2,
        },
    )
    assert response.status_code == 302
    rating = problem.ratings.get()
    assert (rating.knowledge, rating.behaviour, rating.status, rating.visit) == (3, 4, 2, visit)


def test_a_half_rated_problem_is_refused_and_nothing_is_recorded(
    team, alice_client, visit, intervention
):
    problem = intervention.care_problem
    response = alice_client.post(
        _url("visit", team, visit_id=visit.pk),
        {
            "base_version": 1,
            "actual_minutes": 20,
            "travel_minutes": 0,
            f"rating_{problem.pk}_knowledge": 3,
        },
    )
    assert "Rate all three" in response.content.decode()
    assert not Visit.objects.filter(status="done").exists()
