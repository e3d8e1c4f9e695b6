"""Show figures the same way on every Insights page: no data is said, never shown as 0 %."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    return _("no data") if value is None else f"{round(100 * value)}%"


@register.filter
def hours(value: float | None) -> str:
    return _("no data") if value is None else f"{value:.1f}"


@register.filter
def decimal(value: float | None) -> str:
    return _("no data") if value is None else f"{value:.2f}"
