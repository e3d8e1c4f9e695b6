from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from rota import rules
from rota.rules import Limits, make_shift

EARLY = (time(7, 0), time(15, 0))
LATE = (time(14, 0), time(22, 0))
NIGHT = (time(21, 0), time(7, 0))


def shift(day: date, times: tuple[time, time], person: str = "Alice") -> rules.Shift:
    return make_shift(
        person_id=person, person=person, day=day, name="Shift", start=times[0], end=times[1]
    )


def test_a_shift_ending_at_or_before_its_start_ends_the_next_day():
    s = shift(date(2026, 6, 1), NIGHT)
    assert s.hours == 10
    assert s.end.astimezone(rules.local_zone()).date() == date(2026, 6, 2)


def test_night_then_early_next_morning_breaks_the_rest_rule_across_midnight():
    found = rules.check_daily_rest(
        [shift(date(2026, 6, 1), NIGHT), shift(date(2026, 6, 2), (time(15, 0), time(23, 0)))],
        min_rest=timedelta(hours=11),
    )
    assert [v.rule for v in found] == ["daily-rest"]
    assert "8 h" in found[0].message
    assert "Alice" in found[0].message


def test_late_then_early_has_nine_hours_rest_and_is_flagged():
    found = rules.check_daily_rest(
        [shift(date(2026, 6, 1), LATE), shift(date(2026, 6, 2), EARLY)],
        min_rest=timedelta(hours=11),
    )
    assert len(found) == 1
    assert found[0].day == date(2026, 6, 2)


def test_early_then_early_respects_the_rest_rule():
    found = rules.check_daily_rest(
        [shift(date(2026, 6, 1), EARLY), shift(date(2026, 6, 2), EARLY)],
        min_rest=timedelta(hours=11),
    )
    assert found == []


def test_night_shift_is_an_hour_shorter_when_the_clocks_go_forward():
    # 29 March 2026: at 01:00 GMT the clocks go to 02:00 BST.
    assert shift(date(2026, 3, 28), NIGHT).hours == 9
    assert shift(date(2026, 3, 21), NIGHT).hours == 10


def test_night_shift_is_an_hour_longer_when_the_clocks_go_back():
    # 25 October 2026: at 02:00 BST the clocks go back to 01:00 GMT.
    assert shift(date(2026, 10, 24), NIGHT).hours == 11


def test_shift_times_follow_the_configured_time_zone_and_its_clock_changes(settings):
    # 8 March 2026: the clocks in New York go forward, three weeks before London's.
    settings.TIME_ZONE = "America/New_York"
    assert shift(date(2026, 3, 7), NIGHT).hours == 9
    assert shift(date(2026, 3, 28), NIGHT).hours == 10
    assert shift(date(2026, 6, 1), EARLY).start.hour == 11  # 07:00 EDT is 11:00 UTC


def test_rest_gains_an_hour_over_the_autumn_clock_change():
    # Late ends 22:00 BST on Saturday; an Early at 08:00 GMT Sunday is 11 real hours later.
    found = rules.check_daily_rest(
        [
            shift(date(2026, 10, 24), LATE),
            shift(date(2026, 10, 25), (time(8, 0), time(16, 0))),
        ],
        min_rest=timedelta(hours=11),
    )
    assert found == []


def test_rest_loses_an_hour_over_the_spring_clock_change():
    # Late ends 22:00 GMT on Saturday; 09:00 BST on Sunday is only 10 real hours later.
    found = rules.check_daily_rest(
        [
            shift(date(2026, 3, 28), LATE),
            shift(date(2026, 3, 29), (time(9, 0), time(17, 0))),
        ],
        min_rest=timedelta(hours=11),
    )
    assert len(found) == 1
    assert "10 h" in found[0].message


def test_sixth_day_in_a_row_breaks_a_five_day_limit():
    shifts = [shift(date(2026, 6, 1) + timedelta(days=i), EARLY) for i in range(6)]
    found = rules.check_consecutive_days(shifts, limits={"Alice": Limits(max_consecutive_days=5)})
    assert [(v.rule, v.day) for v in found] == [("consecutive-days", date(2026, 6, 6))]


def test_five_days_in_a_row_is_within_a_five_day_limit():
    shifts = [shift(date(2026, 6, 1) + timedelta(days=i), EARLY) for i in range(5)]
    assert (
        rules.check_consecutive_days(shifts, limits={"Alice": Limits(max_consecutive_days=5)}) == []
    )


def _weeks(first: date, weeks: int, hours_per_day: int, days_per_week: int = 5) -> list:
    end = time(7 + hours_per_day, 0)
    return [
        shift(first + timedelta(weeks=w, days=d), (time(7, 0), end))
        for w in range(weeks)
        for d in range(days_per_week)
    ]


def test_average_over_48_hours_across_the_reference_period_is_flagged():
    # 13 weeks at 45 h then 4 weeks at 60 h: 48.5 h on average over 17 weeks.
    first = date(2026, 1, 5)
    shifts = _weeks(first, 13, 9) + _weeks(first + timedelta(weeks=13), 4, 12)
    last = first + timedelta(weeks=17, days=-1)
    found = rules.check_average_hours(
        shifts, limits={}, max_hours=48, reference_weeks=17, last=last
    )
    assert [v.rule for v in found] == ["average-hours"]
    assert "48.5" in found[0].message


def test_a_long_month_within_a_lower_average_is_allowed():
    # 13 weeks at 40 h then 4 weeks at 60 h: 44.7 h on average.
    first = date(2026, 1, 5)
    shifts = _weeks(first, 13, 8) + _weeks(first + timedelta(weeks=13), 4, 12)
    last = first + timedelta(weeks=17, days=-1)
    assert (
        rules.check_average_hours(shifts, limits={}, max_hours=48, reference_weeks=17, last=last)
        == []
    )


def test_an_opted_out_person_may_average_more_than_48_hours():
    first = date(2026, 1, 5)
    shifts = _weeks(first, 17, 12)
    last = first + timedelta(weeks=17, days=-1)
    found = rules.check_average_hours(
        shifts,
        limits={"Alice": Limits(opted_out_48h=True)},
        max_hours=48,
        reference_weeks=17,
        last=last,
    )
    assert found == []


def test_seven_working_days_leave_no_weekly_rest():
    shifts = [shift(date(2026, 6, 1) + timedelta(days=i), EARLY) for i in range(7)]
    found = rules.check_weekly_rest(
        shifts, weekly_rest=timedelta(hours=24), first=date(2026, 6, 1), last=date(2026, 6, 7)
    )
    assert [v.rule for v in found] == ["weekly-rest"]


def test_a_day_off_in_the_week_is_weekly_rest():
    shifts = [shift(date(2026, 6, 1) + timedelta(days=i), EARLY) for i in range(7) if i != 3]
    found = rules.check_weekly_rest(
        shifts, weekly_rest=timedelta(hours=24), first=date(2026, 6, 1), last=date(2026, 6, 7)
    )
    assert found == []


def _worked(first: date, days: int, off: set[int], times=EARLY) -> list:
    return [shift(first + timedelta(days=i), times) for i in range(days) if i not in off]


def _weekly_rest(shifts: list, first: date, days: int) -> list:
    last = first + timedelta(days=13)
    return rules.check_weekly_rest(
        shifts, weekly_rest=timedelta(hours=24), first=first, last=last, days=days
    )


def test_twelve_days_then_two_off_breaks_the_7_day_rule_but_meets_the_14_day_one():
    first = date(2026, 6, 1)
    shifts = _worked(first, 14, off={12, 13})
    assert [(v.rule, v.day) for v in _weekly_rest(shifts, first, 7)] == [("weekly-rest", first)]
    assert _weekly_rest(shifts, first, 14) == []


def test_two_separate_days_off_in_14_days_meet_the_14_day_rule():
    # Each day off between two Earlies is 40 h: two 24-hour rests, though none of 48 hours.
    first = date(2026, 6, 1)
    assert _weekly_rest(_worked(first, 14, off={5, 11}), first, 14) == []


def test_one_day_off_in_14_days_breaks_the_14_day_rule():
    first = date(2026, 6, 1)
    found = _weekly_rest(_worked(first, 14, off={6}), first, 14)
    assert [(v.rule, v.day) for v in found] == [("weekly-rest", first)]
    assert found[0].message == (
        "Alice has neither two 24 h breaks nor one of 48 h in the 14 days from Mon 1 Jun; "
        "the longest is 40 h."
    )


def _fortnight_around_a_clock_change(first: date, next_start: time) -> list:
    """Earlies with a day off on day 9; a Late, then a Night (23 h apart) on days 3 and 4, and
    the next shift two mornings later at ``next_start``: the only other chance of 24 h off."""
    day = [first + timedelta(days=i) for i in range(14)]
    return [
        *_worked(first, 14, off={3, 4, 5, 6, 9}),
        shift(day[3], LATE),
        shift(day[4], NIGHT),
        shift(day[6], (next_start, time(next_start.hour + 8, 0))),
    ]


def test_a_rest_that_loses_an_hour_to_the_spring_clock_change_is_not_24_hours():
    # Night Fri 27 March ends 07:00 GMT on Saturday; 07:00 BST on Sunday is 23 real hours later.
    first = date(2026, 3, 23)
    found = _weekly_rest(_fortnight_around_a_clock_change(first, time(7, 0)), first, 14)
    assert [(v.rule, v.day) for v in found] == [("weekly-rest", first)]
    assert "the longest is 40 h" in found[0].message


def test_a_rest_that_gains_an_hour_from_the_autumn_clock_change_is_24_hours():
    # Night Fri 23 October ends 07:00 BST on Saturday; 06:00 GMT on Sunday is 24 real hours on.
    first = date(2026, 10, 19)
    assert _weekly_rest(_fortnight_around_a_clock_change(first, time(6, 0)), first, 14) == []


def test_weekly_rest_is_reckoned_over_7_or_14_days_only():
    with pytest.raises(ValueError, match="7 or 14"):
        _weekly_rest([], date(2026, 6, 1), 10)


def test_check_all_applies_the_teams_14_day_weekly_rest():
    first = date(2026, 6, 1)
    shifts = _worked(first, 14, off={12, 13})
    kwargs = {"limits": {}, "first": first, "last": first + timedelta(days=13)}
    weekly = rules.check_all(shifts, rules=rules.RuleSet(), **kwargs)
    assert "weekly-rest" in {v.rule for v in weekly}
    fortnightly = rules.check_all(shifts, rules=rules.RuleSet(weekly_rest_days=14), **kwargs)
    assert "weekly-rest" not in {v.rule for v in fortnightly}


def test_a_night_for_someone_who_does_not_work_nights_is_flagged():
    found = rules.check_nights(
        [shift(date(2026, 6, 1), NIGHT)], limits={"Alice": Limits(nights_allowed=False)}
    )
    assert [v.rule for v in found] == ["nights"]


def test_every_violation_names_the_rule_and_the_person():
    shifts = [shift(date(2026, 6, 1), LATE, "Bob"), shift(date(2026, 6, 2), EARLY, "Bob")]
    found = rules.check_all(
        shifts,
        rules=rules.RuleSet(),
        limits={},
        first=date(2026, 6, 1),
        last=date(2026, 6, 28),
    )
    assert found
    assert all(v.person == "Bob" and v.rule_name for v in found)


def test_late_is_forbidden_before_an_early_next_day():
    assert rules.rest_forbids(*LATE, EARLY[0], min_rest=timedelta(hours=11))
    assert not rules.rest_forbids(*EARLY, LATE[0], min_rest=timedelta(hours=11))
    assert rules.rest_forbids(*NIGHT, EARLY[0], min_rest=timedelta(hours=11))


def test_overlap_of_shift_definitions_counts_across_midnight():
    assert rules.shifts_overlap_minutes(EARLY, LATE) == 60
    assert rules.shifts_overlap_minutes(NIGHT, EARLY) == 0
    assert rules.shifts_overlap_minutes(NIGHT, (time(5, 0), time(13, 0))) == 120
