from __future__ import annotations

import io
from datetime import date, time

import pytest
from pypdf import PdfReader

from rota import selectors
from rota.pdf import rota_pdf
from tests.rota.factories import AssignmentFactory, RotaPeriodFactory, ShiftTypeFactory

pytestmark = pytest.mark.slow


def test_pdf_is_a4_landscape_and_its_text_has_the_names_and_shifts(team, alice, bob):
    period = RotaPeriodFactory(team=team, start=date(2026, 3, 2))
    early = ShiftTypeFactory(team=team, name="Early", start=time(7, 0), end=time(15, 0))
    night = ShiftTypeFactory(team=team, name="Night", start=time(21, 0), end=time(7, 0))
    AssignmentFactory(period=period, user=alice, date=date(2026, 3, 2), shift_type=early)
    AssignmentFactory(period=period, user=bob, date=date(2026, 3, 3), shift_type=night)
    pdf = PdfReader(io.BytesIO(rota_pdf(grid=selectors.period_grid(period=period))))
    page = pdf.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)
    text = "\n".join(p.extract_text() for p in pdf.pages)
    for expected in ("Alice Adams", "Bob Brown", "Early", "Night", "Riverside"):
        assert expected in text


def test_pdf_view_answers_with_a_pdf(alice_client, team, alice):
    period = RotaPeriodFactory(team=team)
    response = alice_client.get(f"/t/{team.slug}/rota/periods/{period.pk}/rota.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
