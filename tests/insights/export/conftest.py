"""A hand-built world for the commons export: snapshots written directly, a fake hub."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
import time_machine

from insights import formulas
from insights.export import services
from insights.models import CommonsEnrolment, WeeklySnapshot

NOW = dt.datetime(2026, 3, 25, 12, 0, tzinfo=dt.UTC)  # a Wednesday in 2026W13
WEEK = "2026W12"  # the last closed week
HUB = "http://hub.test/commons/"


def member_week(
    *,
    direct=1200,
    indirect=300,
    travel=400,
    team=120,
    training=60,
    other=0,
    leave=0,
    unrecorded=120,
) -> dict:
    minutes = {
        "direct": direct,
        "indirect": indirect,
        "travel": travel,
        "team": team,
        "training": training,
        "other": other,
        "leave": leave,
        "unrecorded": unrecorded,
    }
    return {"minutes": minutes, "paid": sum(minutes.values()), "over_recorded": 0}


def figures(
    *,
    staff: int = 8,
    caseload: int = 40,
    pulse: int = 6,
    answers: int = 12,
    visits_done: int = 120,
    **member,
) -> dict:
    """One week's snapshot figures as TeamWeek.figures() stores them."""
    members = {str(pk): member_week(**member) for pk in range(1, staff + 1)}
    team = formulas.combine(formulas.TimeBreakdown(**m) for m in members.values())
    return {
        "source": "rota",
        "team": {"minutes": team.minutes, "paid": team.paid, "over_recorded": 0},
        "members": members,
        "visits": {"planned": 0, "done": visits_done, "cancelled": 10, "missed": 3},
        "caseload": caseload,
        "caseload_per_wte": None,
        "continuity": {"clients": caseload, "median_coc": 0.5, "top_two_share": 0.8},
        "outcomes": {
            "Skin": {
                "knowledge": {"n": 12, "mean_change": 0.5, "improved_share": 0.5},
                "behaviour": {"n": 12, "mean_change": 0.25, "improved_share": 0.25},
                "status": {"n": 12, "mean_change": 1.0, "improved_share": 0.75},
            },
            "Pain": {
                "knowledge": {"n": 10, "mean_change": 0.2, "improved_share": 0.2},
                "behaviour": {"n": 10, "mean_change": 0.0, "improved_share": 0.0},
                "status": {"n": 10, "mean_change": 0.5, "improved_share": 0.4},
            },
        },
        "handovers_on_time": [3, 4],
        "cover_met": [10, 14],
        "requests_honoured": [1, 2],
        "nights_spread": None,
        "weekends_spread": None,
        "pulse_answered": pulse,
        "pulse_tallies": {
            key: {"4": pulse} if pulse else {}
            for key in (
                "time_for_people",
                "team_worked_well",
                "own_judgement",
                "systems_helped",
                "recommend",
            )
        },
        "client_answers": {"very_good": answers, "good": 2} if answers else {},
    }


def snapshot(team, week: str = WEEK, **kwargs) -> WeeklySnapshot:
    start, _ = formulas.week_days(week)
    return WeeklySnapshot.objects.create(
        team=team, week=week, start=start, figures=figures(**kwargs)
    )


def earlier(week: str, n: int) -> str:
    start, _ = formulas.week_days(week)
    return formulas.iso_week(start - dt.timedelta(weeks=n))


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@dataclass
class FakeHub:
    """Stands in for the hub's HTTP answers; records what was posted."""

    answers: list = field(default_factory=list)
    posted: list = field(default_factory=list)

    def __call__(self, url, body, headers):
        self.posted.append((url, body, headers))
        answer = (
            self.answers.pop(0)
            if self.answers
            else services.Answer(
                200, {"status": "OK", "importCount": {"imported": 1, "updated": 0, "ignored": 0}}
            )
        )
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def hub(settings, monkeypatch) -> FakeHub:
    settings.COMMONS_URL = HUB
    settings.COMMONS_ENROL_TOKEN = "enrol-token"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    fake = FakeHub()
    monkeypatch.setattr(services, "post", fake)
    return fake


@pytest.fixture
def joined(team) -> CommonsEnrolment:
    return CommonsEnrolment.objects.create(
        team=team,
        joined=True,
        hub_url=HUB,
        org_unit="t-0123456789",
        key="s3cret-key-value",
        region="E12000001",
        service_type="district_nursing",
    )
