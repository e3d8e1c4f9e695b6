from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from insights import pvi
from insights.services import COMMENT_LIMIT


class PulseForm(forms.Form):
    """One five-point answer per statement of the staff pulse, every one required."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key, text in pvi.PULSE_ITEMS:
            self.fields[key] = forms.TypedChoiceField(
                label=text,
                choices=pvi.Agreement.choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose how far you agree.")},
            )


class ClientAnswerForm(forms.Form):
    """The client's one question: a tap on an answer sends it, with any words they typed."""

    rating = forms.ChoiceField(
        choices=pvi.ClientRating.choices,
        error_messages={"required": _("Choose one of the answers.")},
    )
    comment = forms.CharField(
        label=_("Anything you would like to tell the team (optional)"),
        required=False,
        max_length=COMMENT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2, "class": "govuk-textarea"}),
    )
