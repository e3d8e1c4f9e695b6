"""The team's choice to join the commons: where it works and what kind of service it is."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from disclosure import schema

SERVICE_LABELS = {
    "district_nursing": _("District nursing"),
    "community_nursing": _("Community nursing"),
    "social_work": _("Social work"),
    "other": _("Other"),
}


class JoinForm(forms.Form):
    region = forms.ChoiceField(
        label=_("Region"),
        choices=[(code, _(name)) for code, name in schema.REGIONS.items()],
        error_messages={"required": _("Choose the team's region.")},
    )
    service_type = forms.ChoiceField(
        label=_("Kind of service"),
        choices=[(code, SERVICE_LABELS.get(code, code)) for code in schema.SERVICE_TYPES],
        error_messages={"required": _("Choose the kind of service.")},
    )
