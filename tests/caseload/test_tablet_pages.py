"""The nurse's daily pages: what Today and the navigation put first, and where a tap returns."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from caseload.models import Handover
from tests.factories import ClientFactory, HandoverFactory, VisitFactory


def _url(name: str, team, **kwargs) -> str:
    return reverse(f"caseload:{name}", kwargs={"team_slug": team.slug, **kwargs})


def test_today_shows_handovers_for_you_above_your_visits(team, alice, bob, alice_client, visit):
    HandoverFactory(team=team, author=bob, text="Ring the daughter back")
    page = alice_client.get(_url("today", team)).content.decode()
    assert page.index("Ring the daughter back") < page.index(f'id="visit-{visit.pk}"')


def test_today_leaves_out_handovers_you_wrote(team, alice, alice_client):
    HandoverFactory(team=team, author=alice, text="Note to self")
    assert "Note to self" not in alice_client.get(_url("today", team)).content.decode()


def test_navigation_counts_handovers_awaiting_you(team, alice, bob, alice_client):
    HandoverFactory.create_batch(2, team=team, author=bob)
    HandoverFactory(team=team, author=bob, to=bob)
    page = alice_client.get(_url("clients", team)).content.decode()
    assert re.search(r'id="handover-count"[^>]*>\s*<strong class="patch-count">2<', page)


def test_today_counts_in_the_menu_the_handovers_it_shows(team, alice, bob, alice_client):
    HandoverFactory.create_batch(2, team=team, author=bob)
    HandoverFactory(team=team, author=alice, text="Note to self")
    page = alice_client.get(_url("today", team)).content.decode()
    assert re.search(r'id="handover-count"[^>]*>\s*<strong class="patch-count">2<', page)
    assert page.count('data-outbox-kind="handover.ack"') == 2


def test_handover_count_fragment_is_a_live_region_that_refreshes_on_handover_events(
    team, bob, alice_client
):
    HandoverFactory(team=team, author=bob)
    fragment = alice_client.get(_url("handover_count", team)).content.decode()
    assert 'hx-trigger="handover-changed from:body' in fragment
    assert '<strong class="patch-count">1<' in fragment


def test_no_count_is_shown_when_nothing_awaits(team, alice_client):
    fragment = alice_client.get(_url("handover_count", team)).content.decode()
    assert "patch-count" not in fragment


def test_done_as_planned_returns_to_the_next_visits_card(team, alice, alice_client, visit):
    later = VisitFactory(
        client=visit.client, assigned_to=alice, window_start="14:00", window_end="15:00"
    )
    page = alice_client.get(_url("today", team)).content.decode()
    backs = re.findall(r'name="next" value="([^"]+)"', page)
    assert backs[0].endswith(f"#visit-{later.pk}")


def test_the_last_visit_returns_to_its_own_card(team, alice_client, visit):
    page = alice_client.get(_url("today", team)).content.decode()
    (back,) = re.findall(r'name="next" value="([^"]+)"', page)
    assert back.endswith(f"#visit-{visit.pk}")


def test_returning_after_a_visit_is_a_new_page_not_just_a_new_anchor(team, alice, alice_client):
    VisitFactory.create_batch(2, client__team=team, assigned_to=alice)
    page = alice_client.get(_url("today", team)).content.decode()
    paths = [b.split("#")[0] for b in re.findall(r'name="next" value="([^"]+)"', page)]
    assert len(set(paths)) == 2


@pytest.mark.parametrize(
    ("page_name", "pdf"), [("today", "day-sheet.pdf"), ("client", "summary.pdf")]
)
def test_pdfs_open_in_a_new_tab_and_say_so(team, alice_client, client_record, page_name, pdf):
    kwargs = {"client_id": client_record.pk} if page_name == "client" else {}
    page = alice_client.get(_url(page_name, team, **kwargs)).content.decode()
    link = re.search(rf"<a [^>]*{re.escape(pdf)}[^>]*>.*?</a>", page).group(0)
    assert 'target="_blank"' in link and "(opens in new tab)" in link


BAD_VALUES = ["", "x", "-1", "0", "99999999999999999999", "1e5", "\x00", "😀" * 300, "null"]


def assert_no_field_answers_5xx(client, url: str, good: dict) -> None:
    """Post the valid form with each field in turn set to each bad value: never a 5xx."""
    for name in good:
        for bad in BAD_VALUES:
            response = client.post(url, {**good, name: bad})
            assert response.status_code < 500, (name, bad, response.status_code)


def test_handover_picker_tells_two_clients_of_the_same_name_apart(team, alice_client):
    ClientFactory(team=team, name="Mary Smith", date_of_birth=date(1931, 2, 3), postcode="LS6 2QT")
    ClientFactory(team=team, name="Mary Smith", date_of_birth=date(1948, 9, 1), postcode="LS1 4AP")
    page = alice_client.get(_url("handovers", team)).content.decode()
    assert "Mary Smith, born 3 Feb 1931, LS6 2QT" in page
    assert "Mary Smith, born 1 Sep 1948, LS1 4AP" in page


def test_handover_for_list_leaves_out_the_writer(team, alice, bob, alice_client):
    page = alice_client.get(_url("handovers", team)).content.decode()
    choices = re.search(r'<select[^>]*name="to".*?</select>', page, re.S).group(0)
    assert "Bob Brown" in choices and "Alice Adams" not in choices


def test_a_handover_for_oneself_is_refused_by_the_field(team, alice, alice_client):
    response = alice_client.post(_url("handovers", team), {"text": "Hi", "to": alice.pk})
    assert response.status_code == 200
    assert not Handover.objects.exists()


def test_malformed_handover_fields_never_answer_5xx(team, bob, alice_client, client_record):
    good = {"text": "Call the GP", "client": client_record.pk, "to": bob.pk}
    assert_no_field_answers_5xx(alice_client, _url("handovers", team), good)


def test_time_kinds_are_one_tap_choices_and_the_day_is_preset(team, alice_client):
    page = alice_client.get(_url("time", team)).content.decode()
    assert page.count('type="radio" name="category"') == 5
    assert f'name="date" value="{timezone.localdate().isoformat()}"' in page


def test_time_form_starts_on_the_kind_of_time_added_last(team, alice, alice_client):
    url = _url("time", team)
    alice_client.post(url, {"category": "training", "minutes": 30, "date": "2026-01-05"})
    page = alice_client.get(url).content.decode()
    assert re.search(r'<input type="radio" name="category" value="training"[^>]* checked', page)


def test_malformed_time_fields_never_answer_5xx(team, alice_client):
    good = {"category": "team", "minutes": 20, "description": "Huddle", "date": "2026-01-05"}
    assert_no_field_answers_5xx(alice_client, _url("time", team), good)


def test_choice_fields_get_their_own_govuk_input_classes(team, alice_client, visit):
    record = alice_client.get(_url("visit", team, visit_id=visit.pk)).content.decode()
    time_page = alice_client.get(_url("time", team)).content.decode()
    checkbox = r'type="checkbox" name="interventions_done"[^>]*govuk-checkboxes__input'
    assert re.search(checkbox, record)
    assert re.search(r'type="radio" name="category"[^>]*govuk-radios__input', time_page)


def _disclosure(page: str) -> str:
    found = re.search(r'<details class="govuk-details patch-record-more".*?</details>', page, re.S)
    return found[0]


def test_travel_and_ratings_sit_behind_a_closed_disclosure(team, alice_client, visit):
    page = alice_client.get(_url("visit", team, visit_id=visit.pk)).content.decode()
    optional = _disclosure(page)
    assert 'name="travel_minutes"' in optional and 'name="rating_' in optional
    assert '<details class="govuk-details patch-record-more">' in optional
    assert 'name="actual_minutes"' not in optional and 'name="note"' not in optional


def test_the_disclosure_opens_when_a_field_in_it_has_an_error(team, alice_client, visit):
    data = {"base_version": visit.version, "actual_minutes": 20, "travel_minutes": -5}
    page = alice_client.post(_url("visit", team, visit_id=visit.pk), data).content.decode()
    assert '<details class="govuk-details patch-record-more" open>' in page
