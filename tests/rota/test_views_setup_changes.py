from __future__ import annotations

from datetime import date, time

import pytest
from django.test import Client

from rota import services
from rota.models import CoverNeed, ShiftType, Skill
from tests.factories import CoachGrantFactory, UserFactory
from tests.rota.factories import (
    AssignmentFactory,
    CoverNeedFactory,
    RotaPeriodFactory,
    ShiftTypeFactory,
    SkillFactory,
)


@pytest.fixture
def early(team):
    return ShiftTypeFactory(team=team, name="Early", start=time(7, 0), end=time(15, 0))


@pytest.fixture
def late(team):
    return ShiftTypeFactory(team=team, name="Late", start=time(14, 0), end=time(22, 0))


@pytest.fixture
def skill(team):
    return SkillFactory(team=team, name="Wound care")


@pytest.fixture
def need(early):
    return CoverNeedFactory(shift_type=early, weekday=0, minimum=1, preferred=1)


@pytest.fixture
def coach_client(team, alice) -> Client:
    client = Client()
    client.force_login(CoachGrantFactory(team=team, coach=UserFactory(), granted_by=alice).coach)
    return client


def _setup(team, path: str = "") -> str:
    return f"/t/{team.slug}/rota/setup/{path}"


def _change_urls(team, early, skill, need) -> list[str]:
    return [
        _setup(team, f"shift-types/{early.pk}/"),
        _setup(team, f"shift-types/{early.pk}/remove/"),
        _setup(team, f"shift-types/{early.pk}/retire/"),
        _setup(team, f"shift-types/{early.pk}/reinstate/"),
        _setup(team, f"skills/{skill.pk}/"),
        _setup(team, f"skills/{skill.pk}/remove/"),
        _setup(team, f"cover/{need.pk}/"),
        _setup(team, f"cover/{need.pk}/remove/"),
    ]


def test_the_setup_page_offers_change_and_remove_to_members_only(
    alice_client, coach_client, team, early, skill, need
):
    html = alice_client.get(_setup(team)).content.decode()
    assert f'href="{_setup(team, f"shift-types/{early.pk}/")}"' in html
    assert 'Change<span class="govuk-visually-hidden"> Early on Mondays</span>' in html
    assert 'Rename<span class="govuk-visually-hidden"> Wound care</span>' in html
    assert "cannot be deleted, as its shifts are part of the record" in html
    coach_html = coach_client.get(_setup(team)).content.decode()
    assert "Early" in coach_html and "Wound care" in coach_html
    assert "govuk-summary-list__actions" not in coach_html


def test_a_shift_type_is_changed_from_its_page(alice_client, team, early):
    page = alice_client.get(_setup(team, f"shift-types/{early.pk}/")).content.decode()
    assert 'value="Early"' in page and 'value="07:00"' in page
    response = alice_client.post(
        _setup(team, f"shift-types/{early.pk}/"),
        {"name": "Morning", "start": "07:30", "end": "15:30", "colour": "orange"},
    )
    assert response.status_code == 302
    assert response["Location"] == _setup(team, "#shift-types")
    early.refresh_from_db()
    assert (early.name, early.start, early.colour) == ("Morning", time(7, 30), "orange")


def test_an_overlapping_change_is_shown_next_to_the_field(alice_client, team, early, late):
    response = alice_client.post(
        _setup(team, f"shift-types/{late.pk}/"),
        {"name": "Late", "start": "12:00", "end": "20:00", "colour": "blue"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'id="shifttype_start-error"' in html and "overlaps Early" in html
    late.refresh_from_db()
    assert late.start == time(14, 0)


def test_times_on_a_published_rota_are_locked_but_the_name_changes(
    alice_client, team, alice, early
):
    period = RotaPeriodFactory(team=team, start=date(2026, 3, 2))
    AssignmentFactory(period=period, user=alice, shift_type=early, published=True)
    url = _setup(team, f"shift-types/{early.pk}/")
    page = alice_client.get(url).content.decode()
    assert "so its times stay as they are" in page
    assert page.count("disabled") == 2
    alice_client.post(
        url, {"name": "Old early", "start": "08:00", "end": "16:00", "colour": "grey"}
    )
    early.refresh_from_db()
    assert (early.name, early.start, early.end) == ("Old early", time(7, 0), time(15, 0))


def test_a_shift_type_never_on_a_rota_is_deleted_from_its_page(alice_client, team, early, need):
    url = _setup(team, f"shift-types/{early.pk}/remove/")
    page = alice_client.get(url).content.decode()
    assert "Delete or retire Early?" in page
    assert "also deletes its 1 cover need" in page
    response = alice_client.post(url)
    assert response.status_code == 302
    assert not ShiftType.objects.filter(pk=early.pk).exists()
    assert not CoverNeed.objects.exists()


def test_a_shift_type_on_a_rota_can_only_be_retired_and_brought_back(
    alice_client, team, alice, early, need
):
    period = RotaPeriodFactory(team=team, start=date(2026, 3, 2))
    AssignmentFactory(period=period, user=alice, shift_type=early, published=True)
    url = _setup(team, f"shift-types/{early.pk}/remove/")
    page = alice_client.get(url).content.decode()
    assert "Retire Early?" in page
    assert "on 1 shift in the team's rotas, 1 of them published" in page
    assert "Delete Early</button>" not in page
    refused = alice_client.post(url, follow=True).content.decode()
    assert "cannot be deleted" in refused
    assert ShiftType.objects.filter(pk=early.pk).exists()

    alice_client.post(_setup(team, f"shift-types/{early.pk}/retire/"))
    early.refresh_from_db()
    assert early.retired_at is not None
    assert not CoverNeed.objects.exists()
    setup_page = alice_client.get(_setup(team)).content.decode()
    assert "Retired shift types" in setup_page and "Bring back" in setup_page
    alice_client.post(_setup(team, f"shift-types/{early.pk}/reinstate/"))
    early.refresh_from_db()
    assert early.retired_at is None


def test_a_retired_shift_type_is_not_offered_in_the_cover_and_request_forms(
    alice_client, team, alice, early, late
):
    services.shift_type_retire(shift_type=early, by=alice)
    for path in (_setup(team), f"/t/{team.slug}/rota/requests/"):
        html = alice_client.get(path).content.decode()
        assert f'<option value="{late.pk}">Late</option>' in html
        assert ">Early</option>" not in html


def test_a_skill_is_renamed_and_a_taken_name_is_shown_next_to_the_field(alice_client, team, skill):
    SkillFactory(team=team, name="Prescriber")
    url = _setup(team, f"skills/{skill.pk}/")
    html = alice_client.post(url, {"name": "PRESCRIBER"}).content.decode()
    assert 'id="skill_name-error"' in html and "already a skill called PRESCRIBER" in html
    assert alice_client.post(url, {"name": "Tissue viability"}).status_code == 302
    skill.refresh_from_db()
    assert skill.name == "Tissue viability"


def test_a_skill_is_removed_after_its_page_says_what_it_touches(
    alice_client, team, alice, skill, need
):
    need.required_skills.add(skill)
    url = _setup(team, f"skills/{skill.pk}/remove/")
    page = alice_client.get(url).content.decode()
    assert "stops Early on Mondays needing it" in page
    alice_client.post(url)
    assert not Skill.objects.exists()


def test_a_cover_need_is_changed_from_its_page(alice_client, team, early, need, bob):
    url = _setup(team, f"cover/{need.pk}/")
    page = alice_client.get(url).content.decode()
    assert "Change the cover need for Early on Mondays" in page
    response = alice_client.post(
        url, {"shift_type": early.pk, "weekday": "5", "minimum": "2", "preferred": "2"}
    )
    assert response["Location"] == _setup(team, "#cover")
    need.refresh_from_db()
    assert (need.weekday, need.minimum) == (5, 2)


def test_a_cover_need_for_one_date_shows_its_date_in_the_picker(alice_client, team, early):
    need = CoverNeedFactory(shift_type=early, weekday=None, date=date(2026, 12, 25))
    page = alice_client.get(_setup(team, f"cover/{need.pk}/")).content.decode()
    assert "Change the cover need for Early on 25 December 2026" in page
    assert 'type="date" name="day" value="2026-12-25"' in page


@pytest.mark.parametrize(
    ("minimum", "preferred", "field", "message"),
    [
        ("3", "3", "minimum", "more than the 2 people in the team"),
        ("2", "1", "preferred", "cannot be below the minimum"),
    ],
)
def test_a_bad_cover_change_is_shown_next_to_the_field(
    alice_client, team, early, need, bob, minimum, preferred, field, message
):
    response = alice_client.post(
        _setup(team, f"cover/{need.pk}/"),
        {"shift_type": early.pk, "weekday": "0", "minimum": minimum, "preferred": preferred},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="coverneed_{field}-error"' in html and message in html
    need.refresh_from_db()
    assert (need.minimum, need.preferred) == (1, 1)


def test_a_cover_need_is_removed_from_its_page(alice_client, team, need):
    url = _setup(team, f"cover/{need.pk}/remove/")
    assert "Remove the cover need for Early on Mondays?" in alice_client.get(url).content.decode()
    assert alice_client.post(url)["Location"] == _setup(team, "#cover")
    assert not CoverNeed.objects.exists()


def test_a_coach_can_neither_open_nor_post_a_change(coach_client, team, early, skill, need):
    for url in _change_urls(team, early, skill, need):
        assert coach_client.get(url).status_code == 404, url
        assert coach_client.post(url, {"name": "X"}).status_code == 404, url
    early.refresh_from_db()
    assert (early.name, early.retired_at) == ("Early", None)
    assert Skill.objects.filter(pk=skill.pk).exists() and CoverNeed.objects.exists()


def test_an_outsider_gets_404_for_every_change(charlie_client, team, early, skill, need):
    for url in _change_urls(team, early, skill, need):
        assert charlie_client.get(url).status_code == 404, url
        assert charlie_client.post(url, {"name": "X"}).status_code == 404, url
    assert ShiftType.objects.get(pk=early.pk).name == "Early"


def test_another_teams_shift_type_is_404_under_ones_own_team(alice_client, team, other_team):
    theirs = ShiftTypeFactory(team=other_team)
    assert alice_client.get(_setup(team, f"shift-types/{theirs.pk}/")).status_code == 404
    assert alice_client.post(_setup(team, f"shift-types/{theirs.pk}/remove/")).status_code == 404
    assert ShiftType.objects.filter(pk=theirs.pk).exists()
