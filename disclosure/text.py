"""Find what looks like personal data in a practice's free text, before it leaves or is shown.

A practice published to the commons is the one free text that crosses from a team to the hub,
so it is checked twice: by the team (which also knows its members' and clients' names) before
anything leaves, and by the hub (which does not) before it is stored. Each finding says which
words, so the person writing can reword them. The rules err towards refusing: a false alarm
costs a rewording, a miss puts a person on a public page. ``docs/privacy.md`` states them.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers

NAME = "name"
NHS_NUMBER = "nhs_number"
PHONE = "phone"
POSTCODE = "postcode"
DATE = "date"

KINDS = (NAME, NHS_NUMBER, PHONE, POSTCODE, DATE)
KIND_LABELS = {  # in English, for the hub's API answers; the team's pages say them in its language
    NAME: "a name",
    NHS_NUMBER: "an NHS number",
    PHONE: "a phone number",
    POSTCODE: "a postcode",
    DATE: "a date",
}


@dataclass(frozen=True)
class Finding:
    """One stretch of text that looks like personal data: what kind, which words, where."""

    kind: str
    words: str
    span: tuple[int, int]


# --- NHS numbers ----------------------------------------------------------------------------


def nhs_check_digit(first_nine: str) -> int | None:
    """Return the modulus-11 check digit for nine digits, or None when no valid one exists."""
    total = sum(
        int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_nhs_number(digits: str) -> bool:
    """Return whether ten ASCII digits carry a valid NHS number check digit."""
    return (
        len(digits) == 10
        and digits.isascii()
        and digits.isdigit()
        and nhs_check_digit(digits[:9]) == int(digits[9])
    )


# Ten digits, grouped 3-3-4 by spaces or dashes or not at all, not inside a longer number.
_NHS = re.compile(r"(?<![\d\w])(\d{3})[ \-]?(\d{3})[ \-]?(\d{4})(?![\d\w])", re.ASCII)


def _nhs_numbers(text: str) -> Iterable[Finding]:
    for match in _NHS.finditer(text):
        if is_nhs_number("".join(match.groups())):
            yield Finding(NHS_NUMBER, match.group(), match.span())


# --- postcodes ------------------------------------------------------------------------------

# The UK's postcode areas (and the Crown dependencies'): an outward code must start with one.
AREAS = frozenset({
    "AB", "AL", "B", "BA", "BB", "BD", "BH", "BL", "BN", "BR", "BS", "BT", "CA", "CB", "CF",
    "CH", "CM", "CO", "CR", "CT", "CV", "CW", "DA", "DD", "DE", "DG", "DH", "DL", "DN", "DT",
    "DY", "E", "EC", "EH", "EN", "EX", "FK", "FY", "G", "GL", "GU", "GY", "HA", "HD", "HG",
    "HP", "HR", "HS", "HU", "HX", "IG", "IM", "IP", "IV", "JE", "KA", "KT", "KW", "KY", "L",
    "LA", "LD", "LE", "LL", "LN", "LS", "LU", "M", "ME", "MK", "ML", "N", "NE", "NG", "NN",
    "NP", "NR", "NW", "OL", "OX", "PA", "PE", "PH", "PL", "PO", "PR", "RG", "RH", "RM", "S",
    "SA", "SE", "SG", "SK", "SL", "SM", "SN", "SO", "SP", "SR", "SS", "ST", "SW", "SY", "TA",
    "TD", "TF", "TN", "TQ", "TR", "TS", "TW", "UB", "W", "WA", "WC", "WD", "WF", "WN", "WR",
    "WS", "WV", "YO", "ZE"
})  # fmt: skip
OUTWARD = r"([A-Z]{1,2})[0-9][A-Z0-9]?"
FULL_POSTCODE = re.compile(rf"^{OUTWARD} ?[0-9][A-Z]{{2}}$")  # one normalised postcode
# A full postcode ("LS1 4AP", "ls14ap"), or an outward code and sector ("LS1 4"), which narrows
# an address down to a few thousand homes: both are found, in any letter case.
_POSTCODE = re.compile(
    rf"(?<![\w])(?:{OUTWARD} ?[0-9][A-Z]{{2}}|{OUTWARD} [0-9])(?![\w])", re.ASCII | re.IGNORECASE
)


def _postcodes(text: str) -> Iterable[Finding]:
    for match in _POSTCODE.finditer(text):
        area = (match.group(1) or match.group(2)).upper()
        if area in AREAS:
            yield Finding(POSTCODE, match.group(), match.span())


# --- dates ----------------------------------------------------------------------------------

# English month names, written out: ``calendar``'s follow the process's locale.
_MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december"]  # fmt: skip
_MONTHS = {
    name: number
    for number, month in enumerate(_MONTH_NAMES, start=1)
    for name in (month, month[:3])
} | {"sept": 9}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?[0-9])(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)[0-9]{2}|'?[0-9]{2})"
# Any date to the day, in the ways people write them: 3/4/1948, 03-04-48, 1948-04-03,
# 3 April 1948, 3rd of Apr, April 3rd, 1948. A day and a month without a year still count when
# the month is a word ("3 April"): a birthday is personal data. Numbers alone need the year,
# or "3/4" (a fraction, a ratio) would be a date.
_DATES = [
    re.compile(
        r"(?<![\w/.\-])(?P<day>[0-9]{1,2})(?P<sep>[/.\-])(?P<month>[0-9]{1,2})(?P=sep)"
        r"(?P<year>[0-9]{4}|[0-9]{2})(?![\w/]|[.\-][0-9])",
        re.ASCII,
    ),
    re.compile(
        r"(?<![\w/.\-])(?P<year>(?:1[89]|20)[0-9]{2})(?P<sep>[/.\-])(?P<month>[0-9]{1,2})"
        r"(?P=sep)(?P<day>[0-9]{1,2})(?![\w/]|[.\-][0-9])",
        re.ASCII,
    ),
    re.compile(
        rf"(?<![\w]){_DAY}(?:\s+of)?[\s\-]+{_MONTH}(?:,?[\s\-]+{_YEAR})?(?![\w])",
        re.ASCII | re.IGNORECASE,
    ),
    re.compile(rf"(?<![\w]){_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?(?![\w])", re.ASCII | re.IGNORECASE),
]


def _is_day(day: int, month: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]


def _date_parts(match: re.Match[str]) -> tuple[int, int] | None:
    """Return (day, month) when the match is a real calendar day, reading d/m or m/d."""
    day = int(match.group("day"))
    month_text = match.group("month")
    if month_text.isdigit():
        month = int(month_text)
        if _is_day(day, month):
            return day, month
        if _is_day(month, day):  # written the American way
            return month, day
        return None
    month = _MONTHS.get(month_text.lower(), 0)
    return (day, month) if _is_day(day, month) else None


def _dates(text: str) -> Iterable[Finding]:
    for pattern in _DATES:
        for match in pattern.finditer(text):
            if _date_parts(match):
                yield Finding(DATE, match.group(), match.span())


# --- phone numbers --------------------------------------------------------------------------

MIN_PHONE_DIGITS = 9  # UK numbers have 9 or 10 digits after the 0; shorter are local-only


def _phones(text: str) -> Iterable[Finding]:
    """Numbers libphonenumber reads as a possible UK (or international) phone number.

    POSSIBLE, not VALID: a number in a range not yet allocated (or a made-up one in a
    plausible shape) is still a number someone may be given; local-only short forms are left
    out, as they read like any other figure.
    """
    matcher = phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
    for match in matcher:
        if len(phonenumbers.national_significant_number(match.number)) >= MIN_PHONE_DIGITS:
            yield Finding(PHONE, match.raw_string, (match.start, match.end))


# --- names ----------------------------------------------------------------------------------


def _name_parts(names: Iterable[str]) -> tuple[set[str], set[str], set[str]]:
    """Split names into whole names, surnames and given names (each two letters or more)."""
    whole, surnames, given = set(), set(), set()
    for name in names:
        parts = [part for part in re.split(r"[\s,]+", str(name)) if len(part.strip("'’-.")) > 1]
        if not parts:
            continue
        whole.add(" ".join(parts))
        surnames.add(parts[-1])
        given.update(parts[:-1])
    return whole, surnames, given


def _alternation(words: Iterable[str], *, spaced: bool = False) -> str:
    escaped = (
        r"\s+".join(re.escape(part) for part in word.split()) if spaced else re.escape(word)
        for word in sorted(words, key=len, reverse=True)
    )
    return "|".join(escaped)


def _names(text: str, names: Iterable[str]) -> Iterable[Finding]:
    """Find a whole name, a surname alone (any case) or a given name alone (capitalised).

    A given name is matched only as a proper noun: "Will", "May" or "Hope" as a name must not
    turn every "we will" into a finding, while a capitalised one still does.
    """
    whole, surnames, given = _name_parts(names)
    if whole:
        pattern = rf"(?<!\w)(?:{_alternation(whole, spaced=True)}|{_alternation(surnames)})(?!\w)"
        for match in re.finditer(pattern, text, re.IGNORECASE):
            yield Finding(NAME, match.group(), match.span())
    capitalised = {g[0].upper() + g[1:] for g in given} | {g.capitalize() for g in given}
    if capitalised:
        for match in re.finditer(rf"(?<!\w)(?:{_alternation(capitalised)})(?!\w)", text):
            yield Finding(NAME, match.group(), match.span())


# --- all together ---------------------------------------------------------------------------


def find_personal_data(text: str, *, names: Iterable[str] = ()) -> list[Finding]:
    """Return every stretch of ``text`` that looks like personal data, in reading order.

    ``names`` are the people the text must not name: the team's members and clients. Where two
    findings overlap (a ten-digit NHS number also reads as a phone number), the one found first
    in this order is kept: names, NHS numbers, postcodes, dates, phone numbers.
    """
    found: list[Finding] = []
    taken: list[tuple[int, int]] = []
    candidates = [
        *_names(text, list(names)),
        *_nhs_numbers(text),
        *_postcodes(text),
        *_dates(text),
        *_phones(text),
    ]
    for finding in candidates:
        start, end = finding.span
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            continue
        found.append(finding)
        taken.append(finding.span)
    return sorted(found, key=lambda f: f.span)


def describe(findings: Iterable[Finding]) -> list[str]:
    """Return each distinct finding as ``'words' (kind)``, for messages that say which words."""
    seen: dict[tuple[str, str], None] = {}
    for finding in findings:
        seen[(finding.words, finding.kind)] = None
    return [f"‘{words}’ ({KIND_LABELS[kind]})" for words, kind in seen]
