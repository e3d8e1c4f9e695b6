from __future__ import annotations

import datetime as dt

import pytest
from django.utils.timezone import now as timezone_now

from insights import pvi
from insights.models import ClientAnswer, PulseSubmission, PulseTally
from insights.selectors import team_week
from insights.services import AlreadyAnswered, client_answer_save, pulse_answer
from tests.factories import MembershipFactory, VisitFactory

ALL_AGREE = dict.fromkeys(pvi.PULSE_KEYS, 4)


def _pulse(team, n):
    for _ in range(n):
        pulse_answer(team=team, member=MembershipFactory(team=team).user, answers=ALL_AGREE)


def _this_week(team):
    from django.utils import timezone

    from insights.formulas import iso_week

    return team_week(team=team, week=iso_week(timezone.localdate()))


def test_pulse_keeps_counts_and_no_row_names_an_answer(team, alice):
    pulse_answer(team=team, member=alice, answers=ALL_AGREE)
    field_names = {f.name for f in PulseTally._meta.get_fields()}
    assert "member" not in field_names
    assert PulseTally.objects.for_team(team).filter(value=4).count() == len(pvi.PULSE_KEYS)


def test_pulse_is_answered_once_a_week(team, alice):
    pulse_answer(team=team, member=alice, answers=ALL_AGREE)
    with pytest.raises(AlreadyAnswered):
        pulse_answer(team=team, member=alice, answers=ALL_AGREE)


@pytest.mark.parametrize(
    "answers",
    [{}, dict.fromkeys(pvi.PULSE_KEYS, 6), {**ALL_AGREE, "extra": 3}, {pvi.PULSE_KEYS[0]: 3}],
)
def test_pulse_refuses_an_incomplete_or_out_of_range_answer(team, alice, answers):
    with pytest.raises(ValueError):
        pulse_answer(team=team, member=alice, answers=answers)
    assert not PulseSubmission.objects.exists()


def test_pulse_results_are_hidden_below_five_answers(team):
    _pulse(team, 4)
    assert _this_week(team).pulse_items() == []


def test_pulse_results_show_from_five_answers(team):
    _pulse(team, 5)
    assert [row["mean"] for row in _this_week(team).pulse_items()] == [4] * len(pvi.PULSE_KEYS)


def test_pulse_minimum_cannot_be_beaten_by_differencing_items(team):
    # With four answers every item is hidden, so no item's count reveals a fifth person.
    _pulse(team, 4)
    week = _this_week(team)
    assert not week.pulse_shown and week.pvi_components()[1].value is None


def test_client_answer_once_per_visit(team):
    visit = VisitFactory(client__team=team)
    client_answer_save(visit=visit, rating="good", comment="", channel="tablet")
    with pytest.raises(AlreadyAnswered):
        client_answer_save(visit=visit, rating="poor", comment="", channel="tablet")
    assert ClientAnswer.objects.get().rating == "good"


def test_client_answers_count_towards_the_week(team):
    for rating in ("very_good", "good", "poor", "dont_know"):
        client_answer_save(
            visit=VisitFactory(client__team=team), rating=rating, comment="", channel="tablet"
        )
    assert _this_week(team).client_positive == (2, 3)


def test_pvi_needs_three_voices(team):
    client_answer_save(
        visit=VisitFactory(client__team=team), rating="good", comment="", channel="tablet"
    )
    assert _this_week(team).pvi is None


def _url(team, path):
    return f"/t/{team.slug}/insights/{path}"


def test_pulse_page_says_not_enough_answers_until_five(client, team, alice):
    _pulse(team, 3)
    client.force_login(alice)
    response = client.post(_url(team, "pulse/"), ALL_AGREE, follow=True)
    assert "Not enough answers yet" in response.content.decode()
    _pulse(team, 1)
    assert "5 members answered" in client.get(_url(team, "pulse/")).content.decode()


@pytest.mark.parametrize("value", ["", "0", "6", "x", "4.5", "9" * 30, "\x00"])
def test_pulse_page_answers_bad_input_with_the_form_and_keeps_nothing(client, team, alice, value):
    client.force_login(alice)
    response = client.post(_url(team, "pulse/"), {**ALL_AGREE, pvi.PULSE_KEYS[0]: value})
    assert response.status_code == 400
    assert not PulseSubmission.objects.exists()


def test_ask_page_takes_one_tap_and_thanks(client, team, alice):
    visit = VisitFactory(client__team=team)
    client.force_login(alice)
    response = client.post(_url(team, f"visits/{visit.pk}/ask/"), {"rating": "very_good"})
    assert "hand the tablet back" in response.content.decode()
    assert ClientAnswer.objects.get().channel == "tablet"


@pytest.mark.parametrize(
    "data", [{}, {"rating": "superb"}, {"rating": "good", "comment": "x" * 5000}]
)
def test_ask_page_refuses_bad_answers_clearly(client, team, alice, data):
    visit = VisitFactory(client__team=team)
    client.force_login(alice)
    response = client.post(_url(team, f"visits/{visit.pk}/ask/"), data)
    assert response.status_code == 400
    assert not ClientAnswer.objects.exists()


def test_ask_page_is_404_for_another_teams_visit(client, team, charlie):
    visit = VisitFactory(client__team=team)
    client.force_login(charlie)
    assert client.get(_url(team, f"visits/{visit.pk}/ask/")).status_code == 404


def test_ask_page_shows_no_team_menu_to_the_client(client, team, alice):
    visit = VisitFactory(client__team=team)
    client.force_login(alice)
    content = client.get(_url(team, f"visits/{visit.pk}/ask/")).content.decode()
    assert "Team sections" not in content


def _link(visit):
    from caseload.feedback import answer_code

    return f"/a/{answer_code(visit)}/"


def test_a_client_answers_from_the_link_without_logging_in(client, team):
    visit = VisitFactory(client__team=team)
    response = client.post(_link(visit), {"rating": "good", "comment": "Kind and on time"})
    assert "Thank you" in response.content.decode()
    assert ClientAnswer.objects.get().channel == "link"


def test_the_link_takes_one_answer_per_visit(client, team):
    visit = VisitFactory(client__team=team)
    client.post(_link(visit), {"rating": "good"})
    client.post(_link(visit), {"rating": "very_poor"})
    assert list(ClientAnswer.objects.values_list("rating", flat=True)) == ["good"]


@pytest.mark.parametrize("code", ["x", "a" * 300, "..", "%00", "ABCDEFGH", "abcd-efgh"])
def test_a_forged_or_mangled_link_is_a_clear_404(db, client, code):
    response = client.get(f"/a/{code}/")
    assert response.status_code == 404
    assert "no longer works" in response.content.decode()


def test_a_link_older_than_two_weeks_no_longer_works(client, team):
    import time_machine

    visit = VisitFactory(client__team=team)
    url = _link(visit)
    with time_machine.travel(timezone_now() + dt.timedelta(days=15)):
        assert client.get(url).status_code == 404


def test_answers_from_one_address_are_limited_per_hour(client, team, settings):
    from insights.views import ANSWERS_PER_ADDRESS_PER_HOUR

    visits = [VisitFactory(client__team=team) for _ in range(ANSWERS_PER_ADDRESS_PER_HOUR + 1)]
    codes = [client.post(_link(v), {"rating": "good"}).status_code for v in visits]
    assert codes[-1] == 429 and codes[0] == 200


def test_the_day_sheet_prints_each_visits_answer_link_and_code(client, team, alice):
    from tests.caseload.test_views import _pdf_text

    VisitFactory(client__team=team, assigned_to=alice)
    client.force_login(alice)
    text = _pdf_text(client.get(f"/t/{team.slug}/today/day-sheet.pdf"))
    assert "/a/" in text


def test_a_code_is_short_and_typed_in_any_case_with_dashes(client, team):
    from caseload.feedback import answer_code

    visit = VisitFactory(client__team=team)
    code = answer_code(visit)
    assert len(code) == 8
    assert client.get(f"/a/{code[:4].lower()}-{code[4:]}/").status_code == 200


def test_printing_twice_shows_the_same_code(team):
    from caseload.feedback import answer_code

    visit = VisitFactory(client__team=team)
    assert answer_code(visit) == answer_code(visit)


def test_a_done_visit_offers_to_ask_the_client(client, team, alice):
    from caseload import services as caseload_services

    visit = VisitFactory(client__team=team, assigned_to=alice)
    caseload_services.visit_record_save(visit=visit, by=alice, base_version=1, actual_minutes=30)
    client.force_login(alice)
    content = client.get(f"/t/{team.slug}/visits/{visit.pk}/").content.decode()
    assert f"/insights/visits/{visit.pk}/ask/" in content
