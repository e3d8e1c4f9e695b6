from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rota.models import Assignment, RotaPeriod
from tests.factories import CoachGrantFactory, MembershipFactory, UserFactory
from tests.rota.factories import (
    AssignmentFactory,
    CoverNeedFactory,
    RotaPeriodFactory,
    ShiftRequestFactory,
    ShiftTypeFactory,
)

START = date(2026, 3, 2)
# Session, user, the team with the reader's access (one query), the planner role, the handover
# count, each kind of row once.
QUERIES_GRID_PAGE = 19


@pytest.fixture
def shifts(team):
    return {
        "early": ShiftTypeFactory(team=team, name="Early", start=time(7, 0), end=time(15, 0)),
        "late": ShiftTypeFactory(
            team=team, name="Late", start=time(14, 0), end=time(22, 0), colour="green"
        ),
    }


@pytest.fixture
def period(team, shifts):
    CoverNeedFactory(team=team, shift_type=shifts["early"], weekday=0, minimum=2, preferred=2)
    return RotaPeriodFactory(team=team, start=START)


def _url(team, name: str = "", period=None) -> str:
    base = f"/t/{team.slug}/rota/"
    return f"{base}periods/{period.pk}/{name}" if period else f"{base}{name}"


def _fill(team, period, shifts, people: int) -> None:
    for i in range(people):
        user = MembershipFactory(team=team).user
        for day in range(0, 28, 2):
            AssignmentFactory(
                period=period,
                user=user,
                date=START + timedelta(days=day),
                shift_type=shifts["early" if i % 2 else "late"],
            )
        ShiftRequestFactory(team=team, user=user, date=START - timedelta(days=30))


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_grid_page_query_count_does_not_grow_with_the_team(
    alice_client, team, period, shifts, django_assert_num_queries
):
    _fill(team, period, shifts, 2)
    small = _queries(alice_client, _url(team, period=period))
    _fill(team, period, shifts, 10)
    with django_assert_num_queries(small):
        alice_client.get(_url(team, period=period))
    assert small == QUERIES_GRID_PAGE


def test_grid_shows_people_days_and_a_gap_in_cover(alice_client, team, alice, bob, period):
    html = alice_client.get(_url(team, period=period)).content.decode()
    assert "Alice Adams" in html and "Bob Brown" in html
    assert 'tabindex="0" role="region"' in html
    assert "<caption" in html
    assert "Gap" in html


def test_editing_a_cell_re_renders_the_row_and_the_rule_violations(
    alice_client, team, alice, period, shifts
):
    AssignmentFactory(period=period, user=alice, date=date(2026, 3, 3), shift_type=shifts["late"])
    response = alice_client.post(
        _url(team, "cell/", period),
        {"user": alice.pk, "date": "2026-03-04", "shift_type": shifts["early"].pk},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr class="govuk-table__row" id="row-{alice.pk}"')
    assert 'id="rota-violations" hx-swap-oob="true"' in html
    assert "Minimum rest between shifts" in html
    assert "Alice Adams has only 9 h rest" in html
    assert Assignment.objects.get(date=date(2026, 3, 4)).shift_type == shifts["early"]


def test_a_cell_changed_by_a_colleague_meanwhile_is_kept_and_the_conflict_shown(
    alice_client, team, alice, period, shifts
):
    AssignmentFactory(period=period, user=alice, date=START, shift_type=shifts["late"])
    response = alice_client.post(
        _url(team, "cell/", period),
        {"user": alice.pk, "date": START.isoformat(), "shift_type": shifts["early"].pk, "seen": ""},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "someone changed this shift to Late. Early was not saved" in html
    assert f'<option value="{shifts["late"].pk}" selected>Late</option>' in html
    assert f'"seen": "{shifts["late"].pk}"' in html
    assert Assignment.objects.get(user=alice, date=START).shift_type == shifts["late"]


def test_clearing_a_cell_takes_the_person_off(alice_client, team, alice, period, shifts):
    AssignmentFactory(period=period, user=alice, date=START, shift_type=shifts["late"])
    alice_client.post(
        _url(team, "cell/", period),
        {"user": alice.pk, "date": START.isoformat(), "shift_type": ""},
        HTTP_HX_REQUEST="true",
    )
    assert not Assignment.objects.filter(user=alice).exists()


def test_a_cell_for_someone_outside_the_team_is_404(alice_client, team, charlie, period, shifts):
    response = alice_client.post(
        _url(team, "cell/", period),
        {"user": charlie.pk, "date": START.isoformat(), "shift_type": shifts["early"].pk},
    )
    assert response.status_code == 404


def test_a_coach_sees_the_grid_without_edit_controls(client, team, period, alice):
    grant = CoachGrantFactory(team=team, coach=UserFactory(), granted_by=alice)
    client.force_login(grant.coach)
    html = client.get(_url(team, period=period)).content.decode()
    assert "Alice Adams" in html
    assert "<select" not in html


def test_a_set_up_page_shown_again_after_an_error_refreshes_live_from_the_set_up_page(
    alice_client, team, shifts
):
    # The page re-shown after a failed POST has the form's URL, which only takes POSTs.
    html = alice_client.post(
        _url(team, "setup/shift-types/add/"),
        {"name": "Mid", "start": "10:00", "end": "18:00", "colour": "blue"},
    ).content.decode()
    live_urls = set(re.findall(r'hx-get="([^"]+)" hx-select="#setup-', html))
    assert live_urls == {_url(team, "setup/")}


def test_overlapping_shift_type_shows_the_message_next_to_the_field(alice_client, team, shifts):
    response = alice_client.post(
        _url(team, "setup/shift-types/add/"),
        {"name": "Mid", "start": "10:00", "end": "18:00", "colour": "blue"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="shifttype_start-error"' in html
    assert "overlaps Early" in html


def test_cover_need_larger_than_the_team_shows_the_message_next_to_the_field(
    alice_client, team, alice, shifts
):
    response = alice_client.post(
        _url(team, "setup/cover/add/"),
        {"shift_type": shifts["early"].pk, "weekday": "0", "minimum": "5", "preferred": "5"},
    )
    html = response.content.decode()
    assert 'id="coverneed_minimum-error"' in html
    assert "more than the 1 people in the team" in html


def test_contradictory_rules_show_the_message_next_to_the_field(alice_client, team):
    response = alice_client.post(
        _url(team, "setup/rules/"),
        {
            "min_rest_hours": "11",
            "max_average_weekly_hours": "48",
            "reference_weeks": "17",
            "weekly_rest_hours": "8",
            "weekly_rest_days": "7",
        },
    )
    html = response.content.decode()
    assert 'id="teamrules_weekly_rest_hours-error"' in html
    assert "cannot be shorter than the daily rest" in html


def test_starting_a_period_opens_its_grid(alice_client, team, alice):
    response = alice_client.post(_url(team, "periods/add/"), {"start": "2026-03-02", "days": "28"})
    period = RotaPeriod.objects.get(team=team)
    assert response["Location"] == _url(team, period=period)


def test_publishing_from_the_page(alice_client, team, period):
    alice_client.post(_url(team, "publish/", period))
    period.refresh_from_db()
    assert period.is_published


def test_every_rota_page_renders_for_a_member(alice_client, team, period):
    for name in ("", "setup/", "requests/", "swaps/", "calendar/"):
        assert alice_client.get(_url(team, name)).status_code == 200, name


def test_making_a_calendar_link_shows_it_once(alice_client, team):
    html = alice_client.post(_url(team, "calendar/"), {"action": "create"}).content.decode()
    assert "/calendar/" in html and ".ics" in html
    again = alice_client.get(_url(team, "calendar/")).content.decode()
    assert ".ics" not in again


def test_a_new_calendar_link_has_a_copy_button_and_an_add_to_calendar_link(alice_client, team):
    html = alice_client.post(_url(team, "calendar/"), {"action": "create"}).content.decode()
    link = re.search(r'id="rota-feed-link">http://testserver/calendar/([^<]+)\.ics<', html)
    assert f'href="webcal://testserver/calendar/{link.group(1)}.ics"' in html
    assert 'data-copy="rota-feed-link"' in html


def test_the_planner_approves_leave_from_the_requests_page(client, team, alice, planner):
    from rota import services

    leave = services.leave_request(
        team=team, user=alice, start_date=date(2026, 3, 9), end_date=date(2026, 3, 9)
    )
    client.force_login(planner)
    client.post(_url(team, f"requests/leave/{leave.pk}/decide/"), {"approve": "1"})
    leave.refresh_from_db()
    assert leave.status == "approved"


def test_member_skills_and_availability_are_saved_from_their_forms(alice_client, team, alice):
    from rota.models import Availability, MemberSkill
    from tests.rota.factories import SkillFactory

    skill = SkillFactory(team=team, name="Wound care")
    alice_client.post(_url(team, "setup/skills/members/"), {"user": alice.pk, "skills": [skill.pk]})
    alice_client.post(_url(team, "requests/availability/"), {"day": "2030-01-07", "available": "0"})
    assert MemberSkill.objects.get(user=alice).skill == skill
    assert not Availability.objects.get(user=alice).available


def test_a_swap_offered_and_taken_through_the_pages(alice_client, client, team, alice, bob, shifts):
    from rota.models import Swap, TeamRules

    TeamRules.objects.create(team=team, swaps_need_confirmation=False)
    period = RotaPeriodFactory(team=team, start=date(2030, 3, 4))
    assignment = AssignmentFactory(
        period=period, user=alice, date=date(2030, 3, 5), shift_type=shifts["early"]
    )
    alice_client.post(_url(team, f"swaps/offer/{assignment.pk}/"))
    swap = Swap.objects.get()
    client.force_login(bob)
    assert "Take this shift" in client.get(_url(team, "swaps/")).content.decode()
    client.post(_url(team, f"swaps/{swap.pk}/accept/"))
    assignment.refresh_from_db()
    assert assignment.user == bob


def test_fairness_counts_nights_weekends_bank_holidays_and_requests(team, alice, shifts):
    from datetime import UTC, datetime

    from rota import selectors

    night = ShiftTypeFactory(team=team, name="Night", start=time(21, 0), end=time(7, 0))
    period = RotaPeriodFactory(team=team, start=date(2026, 4, 1), days=7)
    AssignmentFactory(period=period, user=alice, date=date(2026, 4, 3), shift_type=night)
    AssignmentFactory(period=period, user=alice, date=date(2026, 4, 4), shift_type=shifts["early"])
    ShiftRequestFactory(team=team, user=alice, date=date(2026, 4, 5), on=False)
    ShiftRequestFactory(team=team, user=alice, date=date(2026, 4, 4), on=False)
    [row] = selectors.fairness(team=team, members=[alice], now=datetime(2026, 6, 1, 12, tzinfo=UTC))
    # Good Friday 3 April 2026 is a bank holiday; Saturday 4 April is a weekend day.
    assert (row["shifts"], row["nights"], row["weekends"], row["bank_holidays"]) == (2, 1, 1, 1)
    assert (row["honoured"], row["requests"]) == (1, 2)


def test_a_retired_shift_type_is_offered_only_in_the_cells_that_hold_it(
    alice_client, team, alice, period, shifts
):
    from rota import services

    AssignmentFactory(period=period, user=alice, date=START, shift_type=shifts["late"])
    services.shift_type_retire(shift_type=shifts["late"], by=alice)
    html = alice_client.get(_url(team, period=period)).content.decode()
    assert html.count(f'<option value="{shifts["late"].pk}" selected>Late</option>') == 1
    assert f'<option value="{shifts["late"].pk}">' not in html


def test_the_rules_form_saves_a_14_day_weekly_rest(alice_client, team):
    from rota.models import TeamRules

    page = alice_client.get(_url(team, "setup/")).content.decode()
    assert "Two uninterrupted rests, or one twice as long, in each 14 days" in page
    response = alice_client.post(
        _url(team, "setup/rules/"),
        {
            "min_rest_hours": "11",
            "max_average_weekly_hours": "48",
            "reference_weeks": "17",
            "weekly_rest_hours": "24",
            "weekly_rest_days": "14",
            "swaps_need_confirmation": "on",
        },
    )
    assert response.status_code == 302
    assert TeamRules.objects.get(team=team).weekly_rest_days == 14
    again = alice_client.get(_url(team, "setup/")).content.decode()
    assert '<option value="14" selected>' in again


@pytest.fixture
def alice_shift(team, alice, shifts):
    period = RotaPeriodFactory(team=team, start=date(2030, 3, 4))
    return AssignmentFactory(
        period=period, user=alice, date=date(2030, 3, 5), shift_type=shifts["early"]
    )


def test_an_offered_shift_shows_withdraw_in_place_of_offer(alice_client, team, alice_shift):
    alice_client.post(_url(team, f"swaps/offer/{alice_shift.pk}/"))
    html = alice_client.get(_url(team, "swaps/")).content.decode()
    assert f'action="/t/{team.slug}/rota/swaps/offer/{alice_shift.pk}/"' not in html
    assert html.count("Withdraw offer") == 2  # on its card and in the list of her shifts
    assert "You offered this shift. Nobody has taken it yet." in html


def test_withdrawing_from_the_page_closes_the_offer(alice_client, team, alice_shift):
    from rota.models import Swap

    alice_client.post(_url(team, f"swaps/offer/{alice_shift.pk}/"))
    swap = Swap.objects.get()
    response = alice_client.post(_url(team, f"swaps/{swap.pk}/withdraw/"), follow=True)
    assert "You withdrew your offer. The shift is still yours." in response.content.decode()
    swap.refresh_from_db()
    assert swap.status == "withdrawn"


def test_a_colleague_reads_who_offers_the_shift_in_plain_words(
    alice_client, client, team, bob, alice_shift
):
    alice_client.post(_url(team, f"swaps/offer/{alice_shift.pk}/"))
    client.force_login(bob)
    html = client.get(_url(team, "swaps/")).content.decode()
    assert "Alice Adams offers this shift. Nobody has taken it yet." in html


def test_the_planners_decision_says_where_the_shift_went(client, team, planner, alice_shift):
    from rota import services

    carol = MembershipFactory(team=team, user=UserFactory(name="Carol Cole")).user
    swap = services.swap_offer(assignment=alice_shift, by=alice_shift.user)
    services.swap_accept(swap=swap, by=carol)
    client.force_login(planner)
    response = client.post(_url(team, f"swaps/{swap.pk}/confirm/"), {"approve": "1"}, follow=True)
    assert "Swap confirmed: the shift is now Carol Cole&#x27;s." in response.content.decode()


def test_with_no_open_shifts_the_page_says_every_shift_has_its_people(alice_client, team, shifts):
    RotaPeriodFactory(team=team, start=date(2030, 3, 4))
    html = alice_client.get(_url(team, "swaps/")).content.decode()
    assert "Every shift in the current rota has the people it needs." in html


def test_the_cover_summary_counts_a_shift_missing_a_required_skill(alice_client, team, alice):
    from tests.rota.factories import SkillFactory

    early = ShiftTypeFactory(team=team, name="Early", start=time(7, 0), end=time(15, 0))
    need = CoverNeedFactory(team=team, shift_type=early, weekday=0, minimum=1, preferred=1)
    need.required_skills.add(SkillFactory(team=team, name="Registered nurse"))
    period = RotaPeriodFactory(team=team, start=START, days=1)
    AssignmentFactory(period=period, user=alice, date=START, shift_type=early)
    html = alice_client.get(_url(team, period=period)).content.decode()
    assert "1 shift is short" in html
    assert "Early on Monday 2 March:" in html
    assert "nobody on it has Registered nurse" in html
    assert "Every shift has" not in html


def test_the_cover_summary_says_how_many_people_a_shift_is_short(alice_client, team, period):
    html = alice_client.get(_url(team, period=period)).content.decode()
    assert "Early on Monday 2 March:" in html
    assert "2 people short (0 on, 2 needed)" in html


@pytest.fixture
def published(team, alice, period):
    from rota import services

    return services.period_publish(period=period, by=alice)


def test_only_the_planner_sees_reopen_as_a_draft(alice_client, client, team, planner, published):
    url = _url(team, period=published)
    assert "Reopen as a draft" not in alice_client.get(url).content.decode()
    client.force_login(planner)
    assert "Reopen as a draft" in client.get(url).content.decode()


def test_reopening_asks_first_and_changes_nothing_until_confirmed(client, team, planner, published):
    client.force_login(planner)
    html = client.get(_url(team, "reopen/", published)).content.decode()
    assert "Reopen the rota from 2 March 2026 as a draft?" in html
    published.refresh_from_db()
    assert published.is_published
    client.post(_url(team, "reopen/", published))
    published.refresh_from_db()
    assert not published.is_published


def test_a_member_without_the_planner_role_cannot_reopen(alice_client, team, planner, published):
    html = alice_client.post(_url(team, "reopen/", published), follow=True).content.decode()
    assert "Only the person holding the planner role can reopen" in html
    published.refresh_from_db()
    assert published.is_published
