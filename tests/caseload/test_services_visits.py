from __future__ import annotations

import io
from datetime import date, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from caseload import services
from caseload.models import Note, TimeCategory, TimeEntry, Visit, VisitRecord, VisitStatus
from tests.factories import InterventionFactory


def test_done_as_planned_records_planned_minutes_and_interventions(visit, alice, intervention):
    record = services.visit_done_as_planned(visit=visit, by=alice, base_version=visit.version)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DONE
    assert record.actual_minutes == 25
    assert list(record.interventions_done.all()) == [intervention]


def test_recording_fills_direct_care_and_travel_time(visit, alice):
    services.visit_record_save(
        visit=visit, by=alice, base_version=1, actual_minutes=30, travel_minutes=12
    )
    minutes = dict(TimeEntry.objects.filter(member=alice).values_list("category", "minutes"))
    assert minutes == {TimeCategory.DIRECT: 30, TimeCategory.TRAVEL: 12}


def test_recording_a_visit_a_colleague_already_recorded_is_a_conflict(visit, alice, bob):
    services.visit_record_save(visit=visit, by=bob, base_version=1, actual_minutes=20)
    with pytest.raises(services.VersionConflict, match="Bob Brown already recorded"):
        services.visit_record_save(visit=visit, by=alice, base_version=1, actual_minutes=40)
    record = VisitRecord.objects.get(visit=visit)
    assert (record.recorded_by, record.actual_minutes) == (bob, 20)


def test_stale_version_touching_a_changed_field_is_a_conflict_and_writes_nothing(visit, alice, bob):
    services.visit_set_status(
        visit=visit, by=bob, base_version=1, status="missed", reason="Not home"
    )
    with pytest.raises(services.VersionConflict) as conflict:
        services.visit_record_save(visit=visit, by=alice, base_version=1, actual_minutes=30)
    assert conflict.value.fields == ["status"]
    assert not VisitRecord.objects.exists()
    assert not TimeEntry.objects.exists()


def test_stale_version_touching_other_fields_merges(visit, alice, bob):
    services.visit_reassign(visit=visit, by=bob, base_version=1, to=bob)
    services.visit_record_save(visit=visit, by=alice, base_version=1, actual_minutes=30)
    visit.refresh_from_db()
    assert (visit.status, visit.assigned_to, visit.version) == ("done", bob, 3)


def test_every_write_increments_the_version(visit, alice, bob):
    services.visit_reassign(visit=visit, by=alice, base_version=1, to=bob)
    services.visit_done_as_planned(visit=visit, by=bob, base_version=2)
    visit.refresh_from_db()
    assert visit.version == 3


@pytest.mark.parametrize("minutes", [0, -5, 1441])
def test_minutes_outside_a_day_are_refused(visit, alice, minutes):
    with pytest.raises(ValidationError, match="between 1 and 1440"):
        services.visit_record_save(visit=visit, by=alice, base_version=1, actual_minutes=minutes)


def test_visit_ending_before_it_starts_is_refused(client_record, alice):
    with pytest.raises(ValidationError, match="end after it starts"):
        services.visit_create(
            client=client_record,
            by=alice,
            date=date(2026, 12, 1),
            window_start=time(10),
            window_end=time(9),
            planned_minutes=30,
            assigned_to=alice,
        )


def test_missed_visit_needs_a_reason(visit, alice):
    with pytest.raises(ValidationError, match="Say why"):
        services.visit_set_status(
            visit=visit, by=alice, base_version=1, status="missed", reason=" "
        )
    services.visit_set_status(
        visit=visit, by=alice, base_version=1, status="missed", reason="No answer"
    )
    visit.refresh_from_db()
    assert (visit.status, visit.status_reason) == ("missed", "No answer")


def test_visit_cannot_go_to_someone_outside_the_team(visit, alice, charlie):
    with pytest.raises(ValidationError, match="member of your team"):
        services.visit_reassign(visit=visit, by=alice, base_version=1, to=charlie)


def test_note_with_a_visit_record_is_kept_and_notes_are_append_only(visit, alice, client_record):
    services.visit_record_save(
        visit=visit, by=alice, base_version=1, actual_minutes=20, note="Heel improving"
    )
    original = Note.objects.get()
    services.note_add(
        client=client_record, by=alice, text="Left heel, not right", addendum_to=original
    )
    original.refresh_from_db()
    assert original.text == "Heel improving"
    assert original.addenda.get().text == "Left heel, not right"


def test_ratings_recorded_with_a_visit_are_linked_to_it(visit, alice, intervention):
    rating = services.RatingInput(
        care_problem=intervention.care_problem, knowledge=2, behaviour=3, status=4
    )
    services.visit_record_save(
        visit=visit, by=alice, base_version=1, actual_minutes=20, ratings=[rating]
    )
    assert intervention.care_problem.ratings.get().visit == visit


@pytest.mark.parametrize("field", ["knowledge", "behaviour", "status"])
@pytest.mark.parametrize("value", [0, 6])
def test_ratings_outside_one_to_five_are_refused(intervention, alice, field, value):
    scores = {"knowledge": 3, "behaviour": 3, "status": 3, field: value}
    with pytest.raises(ValidationError):
        services.rating_add(care_problem=intervention.care_problem, by=alice, **scores)


def test_visits_are_generated_from_frequencies_and_not_twice(client_record, alice, intervention):
    InterventionFactory(care_problem__client=client_record, frequency="daily", minutes=20)
    InterventionFactory(care_problem__client=client_record, frequency="twice_daily", minutes=10)
    monday = date(2026, 11, 30)
    created = services.visits_generate(team=client_record.team, start=monday, days=7, by=alice)
    # The factory's own fixture intervention is daily too: 7 mornings + 7 evenings.
    assert created == 14
    assert services.visits_generate(team=client_record.team, start=monday, days=7, by=alice) == 0
    morning = Visit.objects.filter(date=monday, window_start=time(8)).get()
    assert morning.planned_minutes == 20 + 10 + 20
    assert morning.assigned_to == alice


def test_three_times_weekly_means_monday_wednesday_friday(client_record, intervention):
    client_record.interventions.update(frequency="3_weekly")
    services.visits_generate(team=client_record.team, start=date(2026, 11, 30), days=7)
    days = sorted(v.date.weekday() for v in Visit.objects.all())
    assert days == [0, 2, 4]


def test_discharge_needs_a_reason_and_cancels_future_visits(client_record, alice, visit):
    visit.date = timezone.localdate() + timedelta(days=2)
    visit.save()
    with pytest.raises(ValidationError):
        services.client_set_status(
            client=client_record, by=alice, base_version=1, status="discharged"
        )
    services.client_set_status(
        client=client_record,
        by=alice,
        base_version=1,
        status="discharged",
        reason="Moved to care home",
    )
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CANCELLED


def test_direct_care_cannot_be_entered_by_hand(team, alice):
    with pytest.raises(ValidationError, match="visit records"):
        services.time_entry_save(
            team=team, member=alice, date=date(2026, 11, 30), category="direct", minutes=30
        )


def test_time_entry_changes_need_the_current_version(team, alice):
    entry = services.time_entry_save(
        team=team, member=alice, date=date(2026, 11, 30), category="team", minutes=60
    )
    services.time_entry_save(
        team=team,
        member=alice,
        date=entry.date,
        category="team",
        minutes=45,
        entry_id=entry.pk,
        base_version=1,
    )
    with pytest.raises(services.VersionConflict):
        services.time_entry_save(
            team=team,
            member=alice,
            date=entry.date,
            category="team",
            minutes=30,
            entry_id=entry.pk,
            base_version=1,
        )
    entry.refresh_from_db()
    assert (entry.minutes, entry.version) == (45, 2)


def test_handover_for_a_colleague_is_acknowledged_once(team, alice, bob, client_record):
    handover = services.handover_create(
        team=team, by=alice, text="Call daughter", client=client_record, to=bob
    )
    with pytest.raises(services.CaseloadError, match="colleague it is for"):
        services.handover_acknowledge(handover=handover, by=alice, base_version=1)
    services.handover_acknowledge(handover=handover, by=bob, base_version=1)
    with pytest.raises(services.VersionConflict, match="already acknowledged"):
        services.handover_acknowledge(handover=handover, by=bob, base_version=2)


def test_recording_publishes_visit_changed_after_commit(
    visit, alice, live_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_done_as_planned(visit=visit, by=alice, base_version=1)
    assert {
        "type": "team.event",
        "event": "visit-changed",
        "visit": str(visit.pk),
        "version": "2",
    } in live_events


def test_plan_visits_command_extends_the_horizon_once(client_record, intervention):
    out = io.StringIO()
    call_command("plan_visits", "--days", "3", stdout=out)
    call_command("plan_visits", "--days", "3", stdout=out)
    assert Visit.objects.count() == 3
    assert "3 visits planned" in out.getvalue() and "0 visits planned" in out.getvalue()
