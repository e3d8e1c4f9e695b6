"""The client search posts its terms, so names and NHS numbers stay out of URLs."""

from __future__ import annotations

import re

from django.test import Client as Browser
from django.urls import reverse

from tests.factories import ClientFactory, CoachGrantFactory


def test_the_search_form_and_its_page_links_post(team, alice_client):
    ClientFactory.create_batch(30, team=team, name="Ann Example")
    page = alice_client.post(
        reverse("caseload:clients", kwargs={"team_slug": team.slug}), {"q": "Ann", "page": "2"}
    ).content.decode()
    assert re.search(r'<form method="post" class="patch-search"', page)
    assert 'name="page" value="1"' in page
    assert "?q=" not in page


def test_a_coach_may_search(team):
    ClientFactory(team=team, name="Ann Example")
    coach = Browser()
    coach.force_login(CoachGrantFactory(team=team).coach)
    response = coach.post(
        reverse("caseload:clients", kwargs={"team_slug": team.slug}), {"q": "Ann"}
    )
    assert response.status_code == 200
    assert "Ann Example" in response.content.decode()
