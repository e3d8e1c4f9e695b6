"""A language per person, the Welsh catalogue and its compiled files."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from scripts.translations import LOCALE, core_gaps, mo_matches

SW = Path(settings.BASE_DIR) / "static" / "js" / "sw.js"


def test_welsh_core_pages_have_every_entry_translated():
    for po in LOCALE.glob("cy/LC_MESSAGES/*.po"):
        assert core_gaps(po) == [], po.name


def test_compiled_catalogues_match_their_sources():
    for po in LOCALE.glob("*/LC_MESSAGES/*.po"):
        assert mo_matches(po), f"{po} changed: run scripts/translations.py update"


def test_switching_to_welsh_is_remembered_on_the_account(team, alice, alice_client):
    today = reverse("caseload:today", kwargs={"team_slug": team.slug})
    response = alice_client.post(reverse("language_switch"), {"language": "cy", "back": today})
    assert response.status_code == 302 and response["Location"] == today
    alice.refresh_from_db()
    assert alice.language == "cy"
    page = alice_client.get(today).content.decode()
    assert '<html lang="cy"' in page and "Eich ymweliadau" in page


def test_the_switch_offers_the_other_language_in_its_own_words(team, alice_client):
    page = alice_client.get(reverse("caseload:today", kwargs={"team_slug": team.slug}))
    assert 'lang="en-gb"' in page.content.decode()
    assert re.search(r'value="cy" lang="cy"[^>]*>Cymraeg<', page.content.decode())


def test_the_switch_refuses_an_unknown_language_and_a_foreign_return_address(alice_client):
    assert alice_client.post(reverse("language_switch"), {"language": "xx"}).status_code == 400
    response = alice_client.post(
        reverse("language_switch"), {"language": "cy", "back": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_anyone_not_logged_in_gets_the_cookie_language(client, db):
    client.post(reverse("language_switch"), {"language": "cy"})
    assert "Mewngofnodi" in client.get(reverse("login")).content.decode()


def test_the_script_catalogue_is_served_per_language(client, db):
    welsh = client.get(reverse("javascript_catalog", kwargs={"language": "cy"}))
    assert "Yn aros i'w anfon" in welsh.content.decode()
    assert client.get("/jsi18n/xx.js").status_code == 404


def test_the_offline_page_comes_in_each_language(client, db):
    assert "Rydych chi all-lein" in client.get("/offline/?lang=cy").content.decode()
    assert "You are offline" in client.get("/offline/?lang=en-gb").content.decode()


def test_the_service_worker_keeps_every_language():
    listed = re.search(r"const LANGUAGES = \[([^\]]*)\]", SW.read_text()).group(1)
    assert re.findall(r"'([^']+)'", listed) == [code for code, _ in settings.LANGUAGES]


def test_the_day_sheet_is_printed_in_the_readers_language(team, alice, alice_client):
    from io import BytesIO

    from pypdf import PdfReader

    alice.language = "cy"
    alice.save(update_fields=["language"])
    pdf = alice_client.get(reverse("caseload:day_sheet", kwargs={"team_slug": team.slug}))
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "Taflen ddydd" in text


def test_the_clients_question_comes_in_welsh_without_changing_the_nurses_language(
    team, alice, alice_client
):
    from tests.factories import ClientFactory, VisitFactory

    visit = VisitFactory(client=ClientFactory(team=team), assigned_to=alice)
    url = reverse("insights:ask", kwargs={"team_slug": team.slug, "visit_id": visit.pk})
    english = alice_client.get(url).content.decode()
    assert 'href="?lang=cy" lang="cy"' in english
    welsh = alice_client.get(url + "?lang=cy")
    assert welsh["Content-Language"] == "cy"
    assert 'href="?lang=en-gb" lang="en-gb"' in welsh.content.decode()
    alice.refresh_from_db()
    assert alice.language == ""
