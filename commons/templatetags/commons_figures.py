from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def share(value: float | None) -> str:
    """Show a 0–1 share as a whole percentage, localised."""
    return "" if value is None else f"{number_format(round(value * 100))}%"


@register.filter
def points(value: float | None) -> str:
    return "" if value is None else number_format(value, decimal_pos=2, use_l10n=True)


@register.filter
def figure(value: float | None, unit: str = "share") -> str:
    """Show a spread's quartile in its unit: points of a rating change, or a share."""
    return points(value) if unit == "points" else share(value)
