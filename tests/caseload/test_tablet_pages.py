"""The nurse's daily pages: what Today and the navigation put first, and where a tap returns."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import HandoverFactory, VisitFactory


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
