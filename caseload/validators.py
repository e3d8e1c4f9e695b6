"""Field checks that give the person a message they can act on."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# The NHS check digit and the postcode's shape live once, in the pure module whose personal
# data check keeps them out of what a team publishes to the commons.
from disclosure.text import FULL_POSTCODE, nhs_check_digit


def normalise_nhs_number(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def validate_nhs_number(value: str) -> None:
    digits = normalise_nhs_number(value)
    if not digits:
        return
    if not re.fullmatch(r"\d{10}", digits):
        raise ValidationError("Enter an NHS number of 10 digits, like 943 476 5919.")
    if nhs_check_digit(digits[:9]) != int(digits[9]):
        raise ValidationError(
            "This is not a valid NHS number: its check digit does not match. Check each digit."
        )


def normalise_postcode(value: str) -> str:
    compact = re.sub(r"\s", "", (value or "").upper())
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def validate_postcode(value: str) -> None:
    if not FULL_POSTCODE.match(normalise_postcode(value)):
        raise ValidationError("Enter a UK postcode, like LS1 4AP.")
