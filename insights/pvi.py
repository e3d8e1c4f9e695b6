"""The Public Value Index's instruments: the client's question and the staff pulse.

Both are Patch's own wording, published with Patch under its licence (see
docs/public-value-index.md), so nobody needs a licence to ask them. The keys are stored;
the wording is shown, so it can be translated without touching the answers.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

CLIENT_QUESTION = _("Overall, how was the care you had from us?")


class ClientRating(models.TextChoices):
    VERY_GOOD = "very_good", _("Very good")
    GOOD = "good", _("Good")
    NEITHER = "neither", _("Neither good nor poor")
    POOR = "poor", _("Poor")
    VERY_POOR = "very_poor", _("Very poor")
    DONT_KNOW = "dont_know", _("Don't know")


POSITIVE = (ClientRating.VERY_GOOD, ClientRating.GOOD)

PULSE_ITEMS: tuple[tuple[str, str], ...] = (
    ("time_for_people", _("This week I had enough time for the people I care for.")),
    ("team_worked_well", _("This week our team worked well together.")),
    ("own_judgement", _("This week I could use my own judgement about how to care for people.")),
    (
        "systems_helped",
        _("This week our paperwork and systems helped more than they got in the way."),
    ),
    ("recommend", _("I would recommend our service to a friend or relative who needed care.")),
)
PULSE_KEYS = tuple(key for key, _text in PULSE_ITEMS)


class Agreement(models.IntegerChoices):
    STRONGLY_DISAGREE = 1, _("Strongly disagree")
    DISAGREE = 2, _("Disagree")
    NEITHER = 3, _("Neither agree nor disagree")
    AGREE = 4, _("Agree")
    STRONGLY_AGREE = 5, _("Strongly agree")


MIN_PULSE_ANSWERS = 5  # fewer and a member's answers could be told apart: nothing is shown
