"""England and Wales bank holidays, computed: the rota marks them and fairness counts them."""

from __future__ import annotations

from datetime import date, timedelta


def _easter(year: int) -> date:
    """Return Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=-day.weekday() % 7)


def _last_monday(year: int, month: int) -> date:
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=last.weekday())


def bank_holidays(year: int) -> dict[date, str]:
    """Return England and Wales bank holidays, with substitute days for weekends.

    Computed from the usual rules; one-off holidays proclaimed for a single year (coronations,
    jubilees, funerals) are not predictable and are not included.
    """
    easter = _easter(year)
    days = {
        easter - timedelta(days=2): "Good Friday",
        easter + timedelta(days=1): "Easter Monday",
        _monday_on_or_after(date(year, 5, 1)): "Early May bank holiday",
        _last_monday(year, 5): "Spring bank holiday",
        _last_monday(year, 8): "Summer bank holiday",
    }
    new_year = date(year, 1, 1)
    days[new_year if new_year.weekday() < 5 else _monday_on_or_after(new_year)] = "New Year's Day"
    christmas, boxing = date(year, 12, 25), date(year, 12, 26)
    if christmas.weekday() < 5 and boxing.weekday() < 5:
        days[christmas], days[boxing] = "Christmas Day", "Boxing Day"
    elif christmas.weekday() == 4:  # Friday: Boxing Day moves to Monday
        days[christmas], days[date(year, 12, 28)] = "Christmas Day", "Boxing Day (substitute day)"
    elif christmas.weekday() == 5:  # Saturday
        days[date(year, 12, 27)] = "Christmas Day (substitute day)"
        days[date(year, 12, 28)] = "Boxing Day (substitute day)"
    else:  # Sunday: Boxing Day is Monday, Christmas moves to Tuesday
        days[boxing] = "Boxing Day"
        days[date(year, 12, 27)] = "Christmas Day (substitute day)"
    return dict(sorted(days.items()))


def bank_holidays_between(first: date, last: date) -> dict[date, str]:
    found: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        found.update({d: n for d, n in bank_holidays(year).items() if first <= d <= last})
    return found
