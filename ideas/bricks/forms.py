"""The practice a team reviews before it is shared: its text and what changed, field by field."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from disclosure import practice as rules
from teams.forms import GovukForm


class PracticeForm(GovukForm, forms.Form):
    """Every field is what will leave, as written; ``source`` is the idea it comes from."""

    source = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        validators=[RegexValidator(r"^[\w-]+$")],
    )
    title = forms.CharField(label=_("Title"), max_length=rules.TITLE_MAX)
    problem = forms.CharField(
        label=_("The problem it solves"),
        max_length=rules.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    practice = forms.CharField(
        label=_("What the team does now"),
        max_length=rules.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    metric = forms.CharField(
        label=_("Metric it moved (optional)"),
        required=False,
        max_length=40,
        validators=[RegexValidator(rules.METRIC_PATTERN)],
        help_text=_("The Insights metric's code, such as frontline_share."),
    )
    before = forms.FloatField(
        label=_("The metric before (optional)"),
        required=False,
        min_value=-rules.FIGURE_LIMIT,
        max_value=rules.FIGURE_LIMIT,
    )
    after = forms.FloatField(
        label=_("The metric after (optional)"),
        required=False,
        min_value=-rules.FIGURE_LIMIT,
        max_value=rules.FIGURE_LIMIT,
    )
    weeks_before = forms.IntegerField(
        label=_("Weeks before"), min_value=0, max_value=rules.MAX_WEEKS, initial=0
    )
    weeks_after = forms.IntegerField(
        label=_("Weeks after"), min_value=0, max_value=rules.MAX_WEEKS, initial=0
    )
    trial_weeks = forms.IntegerField(
        label=_("Trial length in weeks"), min_value=1, max_value=rules.MAX_WEEKS
    )
