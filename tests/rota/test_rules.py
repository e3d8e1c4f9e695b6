from __future__ import annotations

from datetime import date, time, timedelta

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
    assert s.end.astimezone(rules.LONDON).date() == date(2026, 6, 2)


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


def test_bank_holidays_for_england_and_wales_2025_to_2027():
    assert list(rules.bank_holidays(2025)) == [
        date(2025, 1, 1), date(2025, 4, 18), date(2025, 4, 21), date(2025, 5, 5),
        date(2025, 5, 26), date(2025, 8, 25), date(2025, 12, 25), date(2025, 12, 26),
    ]  # fmt: skip
    assert list(rules.bank_holidays(2026)) == [
        date(2026, 1, 1), date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 4),
        date(2026, 5, 25), date(2026, 8, 31), date(2026, 12, 25), date(2026, 12, 28),
    ]  # fmt: skip
    assert list(rules.bank_holidays(2027)) == [
        date(2027, 1, 1), date(2027, 3, 26), date(2027, 3, 29), date(2027, 5, 3),
        date(2027, 5, 31), date(2027, 8, 30), date(2027, 12, 27), date(2027, 12, 28),
    ]  # fmt: skip
