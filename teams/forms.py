from __future__ import annotations

import math

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from teams import throttle
from teams.inputs import EARLIEST_DATE, LARGEST_INTEGER, LATEST_DATE
from teams.models import Team, User
from teams.selectors import member_users

# Each option of these is its own input: errors are linked from the fieldset, not the inputs.
CHOICE_INPUTS = {"govuk-checkboxes__input", "govuk-radios__input"}


def _govuk_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxSelectMultiple):  # a RadioSelect subclass: test first
        return "govuk-checkboxes__input"
    if isinstance(widget, forms.RadioSelect):
        return "govuk-radios__input"
    if isinstance(widget, forms.Select):
        return "govuk-select"
    if isinstance(widget, forms.Textarea):
        return "govuk-textarea"
    if isinstance(widget, forms.CheckboxInput):
        return "govuk-checkboxes__input"
    return "govuk-input"


def _bound(field: forms.Field) -> None:
    """Refuse numbers no column can hold and dates outside the accepted range."""
    if isinstance(field, forms.IntegerField) and field.max_value is None:
        field.max_value = LARGEST_INTEGER
        field.validators.append(MaxValueValidator(LARGEST_INTEGER))
    elif isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
        field.validators += [
            MinValueValidator(EARLIEST_DATE, _("Enter a date after 1 January 1900.")),
            MaxValueValidator(LATEST_DATE, _("Enter a date before 31 December 2100.")),
        ]


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice that refuses ids no column can hold before asking the database."""

    def _check_values(self, value):
        for pk in value:
            if str(pk).lstrip("-").isdigit() and abs(int(pk)) > LARGEST_INTEGER:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class GovukForm:
    """Give widgets GOV.UK classes and link hints and errors for screen readers.

    Every number and date field is bounded to what Patch accepts (``teams.inputs``).
    """

    def __init__(self, *args, **kwargs) -> None:
        # A page often carries several forms whose fields share names (email, name, user):
        # ids named after the form keep each label, hint and error on its own field.
        kwargs.setdefault("auto_id", type(self).__name__.removesuffix("Form").lower() + "_%s")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            _bound(field)
            field.widget.attrs["class"] = _govuk_class(field.widget)
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}-hint"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name not in self.fields or CHOICE_INPUTS & {self.fields[name].widget.attrs["class"]}:
                continue
            attrs = self.fields[name].widget.attrs
            attrs["class"] += f" {attrs['class']}--error"
            attrs["aria-describedby"] = (
                f"{attrs.get('aria-describedby', '')} {self[name].auto_id}-error".strip()
            )


class EmailLoginForm(GovukForm, AuthenticationForm):
    """One neutral message for any wrong e-mail or password, so accounts are not revealed.

    Repeated failures lock the account, or the address they come from, for a while
    (``teams.throttle``); a locked login is refused before the password is checked.
    """

    username = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password.",
        "inactive": "Enter a correct email address and password.",
    }

    def clean(self) -> dict:
        email = self.cleaned_data.get("username") or ""
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        wait = throttle.login_locked_for(email=email, address=address)
        if wait > 0:
            minutes = math.ceil(wait / 60)
            raise forms.ValidationError(
                ngettext(
                    "Too many attempts to log in. Try again in %(minutes)d minute, "
                    "or reset your password.",
                    "Too many attempts to log in. Try again in %(minutes)d minutes, "
                    "or reset your password.",
                    minutes,
                )
                % {"minutes": minutes},
                code="throttled",
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.login_failed(email=email, address=address)
            raise
        throttle.login_succeeded(email=email)
        return cleaned


class ThrottledPasswordResetForm(PasswordResetForm):
    """Send at most a few reset mails an hour to one address; the page says the same either way."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict,
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        if throttle.reset_mail_allowed(to=to_email):
            super().send_mail(
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name=html_email_template_name,
            )


class InvitationForm(GovukForm, forms.Form):
    email = forms.EmailField(
        label=_("Email address of the person you are inviting"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class AcceptInvitationForm(GovukForm, forms.Form):
    name = forms.CharField(
        label=_("Your full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not a common password."),
    )


class RoleForm(GovukForm, forms.Form):
    name = forms.CharField(label=_("Role name"), max_length=80)
    description = forms.CharField(
        label=_("What it involves (optional)"), max_length=300, required=False
    )


class HandOverForm(GovukForm, forms.Form):
    to = forms.ModelChoiceField(label=_("Hand this role to"), queryset=User.objects.none())

    def __init__(self, *args, team: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = member_users(team=team)


class CoachGrantForm(GovukForm, forms.Form):
    email = forms.EmailField(label=_("Coach's email address"))
