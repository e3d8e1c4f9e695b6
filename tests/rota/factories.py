from __future__ import annotations

from datetime import date, time

import factory

from rota.models import (
    Assignment,
    Contract,
    CoverNeed,
    LeaveRequest,
    RotaPeriod,
    ShiftRequest,
    ShiftType,
    Skill,
    Swap,
)
from tests.factories import TeamFactory, UserFactory


class ShiftTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShiftType

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Shift {n}")
    start = time(7, 30)
    end = time(15, 30)


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Skill {n}")


class CoverNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoverNeed

    shift_type = factory.SubFactory(ShiftTypeFactory)
    team = factory.SelfAttribute("shift_type.team")
    weekday = 0
    minimum = 1
    preferred = 1


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)


class RotaPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RotaPeriod

    team = factory.SubFactory(TeamFactory)
    start = date(2026, 3, 2)  # a Monday
    days = 28


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    period = factory.SubFactory(RotaPeriodFactory)
    team = factory.SelfAttribute("period.team")
    user = factory.SubFactory(UserFactory)
    date = factory.SelfAttribute("period.start")
    shift_type = factory.SubFactory(ShiftTypeFactory, team=factory.SelfAttribute("..team"))


class LeaveRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeaveRequest

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    start_date = date(2026, 3, 9)
    end_date = date(2026, 3, 13)


class ShiftRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShiftRequest

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    date = date(2026, 3, 2)
    on = False


class SwapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Swap

    assignment = factory.SubFactory(AssignmentFactory)
    team = factory.SelfAttribute("assignment.team")
    offered_by = factory.SelfAttribute("assignment.user")
