from __future__ import annotations

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from caseload import rules
from caseload.models import (
    CLIENT_FIELDS,
    CarePlanProblem,
    Client,
    ClientStatus,
    Frequency,
    Intervention,
    InterventionCategory,
    OmahaProblem,
    OmahaTarget,
    Scope,
    Severity,
    TimeCategory,
    Visit,
    VisitStatus,
)
from teams.forms import GovukForm, ModelMultipleChoiceField
from teams.models import Team, User
from teams.selectors import member_users

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
MINUTES = {"inputmode": "numeric", "class": "govuk-input govuk-input--width-4"}


def minutes_field(*, label: str, allow_zero: bool = False, **kwargs) -> forms.IntegerField:
    """A minutes field with the range and message every minutes input shares (caseload.rules)."""
    message = rules.minutes_message(allow_zero=allow_zero)
    return forms.IntegerField(
        label=label,
        min_value=rules.minutes_min(allow_zero=allow_zero),
        max_value=rules.MINUTES_MAX,
        widget=forms.NumberInput(attrs=MINUTES),
        error_messages={"min_value": message, "max_value": message},
        **kwargs,
    )


class ClientForm(GovukForm, forms.ModelForm):
    class Meta:
        model = Client
        fields = CLIENT_FIELDS
        widgets = {
            "date_of_birth": DATE,
            "address": forms.Textarea(attrs={"rows": 3}),
            "key_contacts": forms.Textarea(attrs={"rows": 3}),
            "consent_notes": forms.Textarea(attrs={"rows": 3}),
            "alerts": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "name": _("Name"),
            "preferred_name": _("Preferred name"),
            "date_of_birth": _("Date of birth"),
            "nhs_number": _("NHS number"),
            "address": _("Address"),
            "postcode": _("Postcode"),
            "phone": _("Phone"),
            "key_contacts": _("Key contacts"),
            "consent_notes": _("Consent notes"),
            "alerts": _("Alerts"),
            "primary_nurse": _("Primary nurse"),
        }
        help_texts = {
            "nhs_number": _("10 digits, for example 943 476 5919. Leave empty if not known."),
            "alerts": _("One per line, for example “Dog in house” or “Key safe 1234”."),
        }

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["primary_nurse"].queryset = member_users(team=team)
        self.fields["primary_nurse"].empty_label = _("Nobody yet")

    def _post_clean(self) -> None:
        """Leave model validation to the service, which also normalises the values."""


class VersionForm(GovukForm, forms.Form):
    """The version a one-button form (done, acknowledge) or a page's form was based on."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class DischargeForm(GovukForm, forms.Form):
    status = forms.ChoiceField(choices=ClientStatus.choices, label=_("Status"))
    reason = forms.CharField(label=_("Reason for discharge"), required=False, max_length=200)
    base_version = forms.IntegerField(widget=forms.HiddenInput)


class CareProblemForm(GovukForm, forms.Form):
    problem = forms.ModelChoiceField(queryset=OmahaProblem.objects.all(), label=_("Problem"))
    scope = forms.ChoiceField(choices=Scope.choices, initial=Scope.INDIVIDUAL, label=_("Scope"))
    severity = forms.ChoiceField(choices=Severity.choices, label=_("Severity"))
    signs_symptoms = forms.CharField(
        label=_("Signs and symptoms (only for Actual problems)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InterventionForm(GovukForm, forms.Form):
    care_problem = forms.ModelChoiceField(
        queryset=CarePlanProblem.objects.none(), label=_("For problem")
    )
    category = forms.ChoiceField(choices=InterventionCategory.choices, label=_("Category"))
    target = forms.ModelChoiceField(queryset=OmahaTarget.objects.all(), label=_("Target"))
    description = forms.CharField(label=_("What exactly, for this client"), max_length=300)
    frequency = forms.ChoiceField(choices=Frequency.choices, label=_("Frequency"))
    minutes = forms.IntegerField(
        label=_("Minutes"),
        min_value=1,
        max_value=480,
        initial=15,
        widget=forms.NumberInput(attrs=MINUTES),
    )

    def __init__(self, *args, client: Client, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["care_problem"].queryset = CarePlanProblem.objects.filter(
            client=client, status="active"
        ).select_related("problem")
        self.fields["minutes"].widget.attrs["class"] = MINUTES["class"]


RATING_CHOICES = rules.RATING_CHOICES
RATING_CONCEPTS = rules.RATING_CONCEPTS


class RatingForm(GovukForm, forms.Form):
    care_problem = forms.ModelChoiceField(
        queryset=CarePlanProblem.objects.none(), label=_("Problem")
    )
    knowledge = forms.TypedChoiceField(choices=RATING_CHOICES, coerce=int, label=_("Knowledge"))
    behaviour = forms.TypedChoiceField(choices=RATING_CHOICES, coerce=int, label=_("Behaviour"))
    status = forms.TypedChoiceField(choices=RATING_CHOICES, coerce=int, label=_("Status"))

    def __init__(self, *args, client: Client, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["care_problem"].queryset = CarePlanProblem.objects.filter(
            client=client, status="active"
        ).select_related("problem")


class NoteForm(GovukForm, forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}))
    addendum_to = forms.UUIDField(required=False, widget=forms.HiddenInput)


class VisitForm(GovukForm, forms.Form):
    date = forms.DateField(widget=DATE, label=_("Date"))
    window_start = forms.TimeField(label=_("From"), widget=TIME)
    window_end = forms.TimeField(label=_("Until"), widget=TIME)
    planned_minutes = minutes_field(label=_("Planned minutes"))
    assigned_to = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=_("Who")
    )
    interventions = ModelMultipleChoiceField(
        queryset=Intervention.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Interventions"),
    )

    def __init__(self, *args, team: Team, client: Client, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = member_users(team=team)
        self.fields["assigned_to"].empty_label = _("Not assigned")
        self.fields["interventions"].queryset = Intervention.objects.filter(
            client=client, active=True
        )
        for name in ("planned_minutes",):
            self.fields[name].widget.attrs["class"] = MINUTES["class"]

    def clean(self):
        data = super().clean()
        start, end = data.get("window_start"), data.get("window_end")
        if start and end and end <= start:
            self.add_error("window_end", _("The visit must end after it starts."))
        return data


class VisitEditForm(GovukForm, forms.Form):
    base_version = forms.IntegerField(widget=forms.HiddenInput)
    date = forms.DateField(widget=DATE, label=_("Date"))
    window_start = forms.TimeField(label=_("From"), widget=TIME)
    window_end = forms.TimeField(label=_("Until"), widget=TIME)
    planned_minutes = minutes_field(label=_("Planned minutes"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["planned_minutes"].widget.attrs["class"] = MINUTES["class"]


class VisitRecordForm(GovukForm, forms.Form):
    base_version = forms.IntegerField(widget=forms.HiddenInput)
    interventions_done = ModelMultipleChoiceField(
        queryset=Intervention.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Interventions done"),
    )
    actual_minutes = minutes_field(label=_("Minutes with the client"))
    travel_minutes = minutes_field(label=_("Travel minutes"), allow_zero=True, initial=0)
    note = forms.CharField(
        label=_("Note (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, visit: Visit, **kwargs) -> None:
        self.problems = list(
            CarePlanProblem.objects.filter(
                client_id=visit.client_id, status="active"
            ).select_related("problem")
        )
        super().__init__(*args, **kwargs)
        self.fields["interventions_done"].queryset = Intervention.objects.filter(
            client_id=visit.client_id, active=True
        ).select_related("target")
        for name in ("actual_minutes", "travel_minutes"):
            self.fields[name].widget.attrs["class"] = MINUTES["class"]
        for problem in self.problems:
            for concept in RATING_CONCEPTS:
                field = forms.TypedChoiceField(
                    label=concept.capitalize(),
                    choices=[("", _("Not rated")), *RATING_CHOICES],
                    coerce=int,
                    empty_value=None,
                    required=False,
                )
                field.widget.attrs["class"] = "govuk-select"
                self.fields[f"rating_{problem.pk}_{concept}"] = field

    def has_optional_errors(self) -> bool:
        """Say whether a field behind the "optional" disclosure has an error, to open it."""
        return any(name == "travel_minutes" or name.startswith("rating_") for name in self.errors)

    def rating_rows(self) -> list[tuple[CarePlanProblem, list]]:
        """Each active problem with its three rating fields, for the template."""
        return [(p, [self[f"rating_{p.pk}_{c}"] for c in RATING_CONCEPTS]) for p in self.problems]

    def clean(self):
        data = super().clean()
        self.ratings = []
        for problem in self.problems:
            scores = [data.get(f"rating_{problem.pk}_{c}") for c in RATING_CONCEPTS]
            try:
                if rules.rated(scores):
                    self.ratings.append((problem, scores))
            except ValueError as error:
                self.add_error(f"rating_{problem.pk}_knowledge", f"{problem.problem}: {error}")
        return data


class VisitStatusForm(GovukForm, forms.Form):
    base_version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        choices=[(VisitStatus.CANCELLED, _("Cancelled")), (VisitStatus.MISSED, _("Missed"))],
        label=_("Status"),
    )
    reason = forms.CharField(max_length=200, label=_("Reason"))


class ReassignForm(GovukForm, forms.Form):
    base_version = forms.IntegerField(widget=forms.HiddenInput)
    assigned_to = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label=_("Give to")
    )

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = member_users(team=team)
        self.fields["assigned_to"].empty_label = _("Nobody (unassigned)")


class TimeEntryForm(GovukForm, forms.Form):
    """Time that was not a visit: the kind as one tap, the minutes typed, the day preset."""

    category = forms.ChoiceField(
        choices=[c for c in TimeCategory.choices if c[0] != TimeCategory.DIRECT],
        widget=forms.RadioSelect,
        label=_("What kind of time"),
    )
    minutes = minutes_field(label=_("Minutes"))
    description = forms.CharField(required=False, max_length=200, label=_("What (optional)"))
    date = forms.DateField(widget=DATE, label=_("Day"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["minutes"].widget.attrs["class"] = MINUTES["class"]


class ClientChoiceField(forms.ModelChoiceField):
    """Pick a client by name, with what tells two of the same name apart (a safety matter)."""

    def label_from_instance(self, obj: Client) -> str:
        return _("%(name)s, born %(born)s, %(postcode)s") % {
            "name": obj.name,
            "born": date_format(obj.date_of_birth, "j M Y"),
            "postcode": obj.postcode,
        }


class HandoverForm(GovukForm, forms.Form):
    text = forms.CharField(label=_("Handover"), widget=forms.Textarea(attrs={"rows": 4}))
    client = ClientChoiceField(queryset=Client.objects.none(), required=False, label=_("About"))
    to = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label=_("For"))

    def __init__(self, *args, team: Team, by: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = (
            Client.objects.for_team(team)
            .exclude(status="discharged")
            .order_by("name", "date_of_birth", "pk")
        )
        self.fields["client"].empty_label = _("No particular client")
        self.fields["to"].queryset = member_users(team=team).exclude(pk=by.pk)
        self.fields["to"].empty_label = _("The whole team")
