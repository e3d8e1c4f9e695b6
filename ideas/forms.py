"""The ideas board's forms: they check shape at the edge; the services check the rules."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from ideas import rules
from ideas.models import TEXT_MAX, TITLE_MAX, AnswerKind, Decision
from insights import metrics
from teams.forms import GovukForm


class IdeaForm(GovukForm, forms.Form):
    title = forms.CharField(
        label=_("A short title"),
        max_length=TITLE_MAX,
        required=False,
        help_text=_("Leave empty to use the proposal's first line."),
    )
    problem = forms.CharField(
        label=_("The problem"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    proposal = forms.CharField(
        label=_("What you propose"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    benefit = forms.CharField(
        label=_("The benefit you expect"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    metric = forms.ChoiceField(
        label=_("The figure it should move (optional)"),
        required=False,
        help_text=_(
            "From Insights. Once the team tries it, its page shows this figure before and after."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", _("None")), *metrics.choices()]


class RoundForm(GovukForm, forms.Form):
    closes_at = forms.DateTimeField(
        label=_("The round closes at"),
        input_formats=["%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("It closes earlier if everyone has answered."),
    )
    trial_weeks = forms.IntegerField(
        label=_("Trial length in weeks, if the team consents"),
        min_value=rules.TRIAL_WEEKS_MIN,
        max_value=rules.TRIAL_WEEKS_MAX,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )


class AnswerForm(GovukForm, forms.Form):
    """Field names are the ``idea.answer`` sync kind's payload names (ideas/sync.py)."""

    answer = forms.ChoiceField(
        label=_("Your answer"), choices=AnswerKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Your concern, or the reason for your objection"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed for a concern or an objection; optional with consent."),
    )


class CommentForm(GovukForm, forms.Form):
    """``comment_id`` makes a second tap or a replay add nothing (the sync kind's target)."""

    text = forms.CharField(
        label=_("Your comment"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    comment_id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


class OutcomeForm(GovukForm, forms.Form):
    statement = forms.CharField(
        label=_("Outcome statement"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the team decided, in words anyone can search for later."),
    )
    trial_weeks = forms.IntegerField(
        label=_("Trial length in weeks"),
        min_value=rules.TRIAL_WEEKS_MIN,
        max_value=rules.TRIAL_WEEKS_MAX,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )


class ReviewForm(GovukForm, forms.Form):
    decision = forms.ChoiceField(
        label=_("Keep, change or drop?"), choices=Decision.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Why (optional)"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the decisions"), max_length=100, required=False)
