from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from caseload.validators import normalise_postcode, validate_nhs_number, validate_postcode


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "943-476-5919", ""])
def test_valid_nhs_numbers_pass(number):
    validate_nhs_number(number)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("9434765918", "check digit"),
        ("943476591", "10 digits"),
        ("94347659AB", "10 digits"),
    ],
)
def test_invalid_nhs_numbers_say_why(number, message):
    with pytest.raises(ValidationError, match=message):
        validate_nhs_number(number)


def test_nhs_number_whose_check_digit_would_be_ten_is_invalid():
    # 000000006 weighs 6 x 2 = 12, remainder 1, so its check digit would be 10.
    with pytest.raises(ValidationError, match="check digit"):
        validate_nhs_number("0000000060")


def test_postcodes_are_normalised_and_checked():
    assert normalise_postcode("ls14ap") == "LS1 4AP"
    validate_postcode("ls1 4ap")
    with pytest.raises(ValidationError, match="UK postcode"):
        validate_postcode("12345")
