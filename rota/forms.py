from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rota.models import Colour, Priority, ShiftType, Skill, Weekday, WeeklyRestReference
from teams.forms import GovukForm, ModelMultipleChoiceField
from teams.models import Team, User
from teams.selectors import member_users


class RotaForm(GovukForm):
    """GOV.UK classes for the few widgets GovukForm does not know: checkboxes and dates."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                widget.attrs["class"] = "govuk-checkboxes__input"
            elif isinstance(widget, forms.NumberInput | forms.TimeInput):
                widget.attrs["class"] += " govuk-input--width-5"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields and isinstance(
                self.fields[name].widget, forms.CheckboxInput | forms.CheckboxSelectMultiple
            ):
                self.fields[name].widget.attrs["class"] = "govuk-checkboxes__input"

    def add_service_error(self, error: Exception) -> None:
        """Show a service's RotaError next to the field it names (or above the form)."""
        field = getattr(error, "field", None)
        self.add_error(field if field in self.fields else None, str(error))


class DateInput(forms.DateInput):
    """A date picker; its value must be ISO 8601 whatever the locale's date format."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"


class ShiftTypeForm(RotaForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=40)
    start = forms.TimeField(label=_("Starts at"), widget=TimeInput(format="%H:%M"))
    end = forms.TimeField(
        label=_("Ends at"),
        widget=TimeInput(format="%H:%M"),
        help_text=_("An end at or before the start means the shift ends the next day."),
    )
    colour = forms.ChoiceField(label=_("Colour on the rota"), choices=Colour.choices)

    def __init__(self, *args, times_locked: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not times_locked:
            return
        for name in ("start", "end"):
            field = self.fields[name]
            field.disabled, field.help_text = True, "On published rotas, so it stays as it is."
            field.widget.attrs["aria-describedby"] = f"id_{name}-hint"


def _shift_types(team: Team):
    return ShiftType.objects.for_team(team).filter(retired_at__isnull=True)


class SkillForm(RotaForm, forms.Form):
    name = forms.CharField(label=_("Skill"), max_length=60)


class CoverNeedForm(RotaForm, forms.Form):
    shift_type = forms.ModelChoiceField(label=_("Shift"), queryset=ShiftType.objects.none())
    weekday = forms.TypedChoiceField(
        label=_("Day of the week"),
        choices=[("", _("Choose a day, or give a date"))] + list(Weekday.choices),
        coerce=int,
        empty_value=None,
        required=False,
    )
    day = forms.DateField(label=_("Or one date"), required=False, widget=DateInput)
    minimum = forms.IntegerField(label=_("Minimum people"), min_value=0)
    preferred = forms.IntegerField(label=_("Preferred people"), min_value=0)
    required_skills = ModelMultipleChoiceField(
        label=_("Skills someone on the shift must have"),
        queryset=Skill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shift_type"].queryset = _shift_types(team)
        self.fields["required_skills"].queryset = Skill.objects.for_team(team)

    def clean_required_skills(self) -> list[Skill]:
        return list(self.cleaned_data["required_skills"])


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.name


class ContractForm(RotaForm, forms.Form):
    user = MemberChoiceField(label=_("Member"), queryset=User.objects.none())
    hours_per_week = forms.DecimalField(
        label=_("Hours a week"), min_value=0, max_value=80, decimal_places=1
    )
    min_shifts_per_week = forms.IntegerField(
        label=_("Fewest shifts a week"), min_value=0, initial=0
    )
    max_shifts_per_week = forms.IntegerField(label=_("Most shifts a week"), min_value=0, initial=5)
    max_consecutive_days = forms.IntegerField(label=_("Most days in a row"), min_value=1, initial=5)
    max_weekends_per_4_weeks = forms.IntegerField(
        label=_("Most weekends in 4 weeks"), min_value=0, max_value=4, initial=2
    )
    nights_allowed = forms.BooleanField(label=_("Works nights"), required=False, initial=True)
    opted_out_of_48h = forms.BooleanField(
        label=_("Has opted out of the 48-hour average in writing"), required=False
    )

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = member_users(team=team)


class TeamRulesForm(RotaForm, forms.Form):
    min_rest_hours = forms.IntegerField(label=_("Minimum rest between shifts (hours)"), min_value=0)
    max_average_weekly_hours = forms.IntegerField(
        label=_("Most hours in an average week"), min_value=1, max_value=168
    )
    reference_weeks = forms.IntegerField(label=_("Weeks the average is taken over"), min_value=1)
    weekly_rest_hours = forms.IntegerField(
        label=_("Weekly rest (hours)"),
        min_value=0,
        help_text=_(
            "Uninterrupted time off; 24 under the Working Time Regulations. 0 means no "
            "weekly rest is checked."
        ),
    )
    weekly_rest_days = forms.TypedChoiceField(
        label=_("Weekly rest is reckoned"),
        choices=WeeklyRestReference.choices,
        coerce=int,
        help_text=_(
            "Over 14 days, two 24-hour rests or one of 48 hours both meet the regulations (reg 11)."
        ),
    )
    swaps_need_confirmation = forms.BooleanField(
        label=_("Swaps need confirming by the planner"), required=False
    )


class PeriodForm(RotaForm, forms.Form):
    start = forms.DateField(label=_("First day"), widget=DateInput)
    days = forms.IntegerField(label=_("Number of days"), min_value=1, max_value=56, initial=28)


class CellForm(forms.Form):
    user = forms.IntegerField()
    date = forms.DateField()
    shift_type = forms.IntegerField(required=False)
    # What the grid showed in the cell: a shift type's id, or "" for off.
    seen = forms.CharField(required=False, strip=False)

    def clean_seen(self) -> str | None:
        """None when the client did not say what it showed (the no-JS form): no check then."""
        return self.cleaned_data["seen"] if "seen" in self.data else None


class MemberSkillsForm(RotaForm, forms.Form):
    user = MemberChoiceField(label=_("Member"), queryset=User.objects.none())
    skills = ModelMultipleChoiceField(
        label=_("Skills they have"),
        queryset=Skill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = member_users(team=team)
        self.fields["skills"].queryset = Skill.objects.for_team(team)


class AvailabilityForm(RotaForm, forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput)
    available = forms.TypedChoiceField(
        label=_("On that day I am"),
        choices=[("0", _("Not available to work")), ("1", _("Available to work"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)


class LeaveForm(RotaForm, forms.Form):
    start_date = forms.DateField(label=_("First day of leave"), widget=DateInput)
    end_date = forms.DateField(label=_("Last day of leave"), widget=DateInput)


class ShiftRequestForm(RotaForm, forms.Form):
    day = forms.DateField(label=_("Date"), widget=DateInput)
    on = forms.TypedChoiceField(
        label=_("I would like to"),
        choices=[("1", _("Work this shift")), ("0", _("Not work"))],
        coerce=lambda v: v == "1",
    )
    shift_type = forms.ModelChoiceField(
        label=_("Shift"),
        queryset=ShiftType.objects.none(),
        required=False,
        empty_label=_("Any shift"),
    )
    priority = forms.TypedChoiceField(
        label=_("How much it matters"),
        choices=Priority.choices,
        coerce=int,
        initial=Priority.MEDIUM,
    )

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shift_type"].queryset = _shift_types(team)


class PlanForm(RotaForm, forms.Form):
    time_limit = forms.IntegerField(
        label=_("Seconds to search"), min_value=1, max_value=600, initial=20
    )
    allow_changes_to_published = forms.BooleanField(
        label=_("Allow changes to shifts that were already published"), required=False
    )
