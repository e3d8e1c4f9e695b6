from __future__ import annotations

import datetime

import factory
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from caseload.models import (
    CarePlanProblem,
    Client,
    ClientStatus,
    Handover,
    Intervention,
    OmahaProblem,
    OmahaTarget,
    Visit,
)
from caseload.omaha import load_reference_data
from teams.models import CoachGrant, Membership, Role, RoleHolding, Team, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.django.Password(PASSWORD)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    area = "Northside"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    job_title = "Community staff nurse"


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Role {n}")


class RoleHoldingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleHolding

    role = factory.SubFactory(RoleFactory)
    team = factory.SelfAttribute("role.team")
    holder = factory.SubFactory(UserFactory)
    started_at = factory.LazyFunction(timezone.now)


class CoachGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachGrant

    team = factory.SubFactory(TeamFactory)
    coach = factory.SubFactory(UserFactory)
    granted_by = factory.SubFactory(UserFactory)


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    team = factory.SubFactory(TeamFactory)
    name = factory.Faker("name", locale="en_GB")
    date_of_birth = datetime.date(1940, 5, 17)
    address = "1 Mill Lane\nRiverside"
    postcode = "LS1 4AP"
    status = ClientStatus.ACTIVE


class CarePlanProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CarePlanProblem

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Transactional tests flush the tables, reference data included: put it back.
        if not OmahaProblem.objects.exists():
            load_reference_data(OmahaProblem, OmahaTarget)
        return super()._create(model_class, *args, **kwargs)

    client = factory.SubFactory(ClientFactory)
    team = factory.SelfAttribute("client.team")
    problem_id = factory.Sequence(lambda n: f"{n % 42 + 1:02d}")
    severity = "actual"


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervention

    care_problem = factory.SubFactory(CarePlanProblemFactory)
    client = factory.SelfAttribute("care_problem.client")
    team = factory.SelfAttribute("care_problem.team")
    category = "treatments"
    target_id = 17
    description = "Dress the heel ulcer"
    frequency = "daily"
    minutes = 20


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    client = factory.SubFactory(ClientFactory)
    team = factory.SelfAttribute("client.team")
    date = factory.LazyFunction(timezone.localdate)
    window_start = datetime.time(9, 0)
    window_end = datetime.time(10, 0)
    planned_minutes = 30


class HandoverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Handover

    team = factory.SubFactory(TeamFactory)
    author = factory.SubFactory(UserFactory)
    text = "Daughter asks for a call back about the new dressing."


def confirmed_totp_device(user: User):
    """Give ``user`` an authenticator app that is set up; codes come from ``totp_code``."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def totp_code(device) -> str:
    """Return the code the app shows now (time-machine moves ``now``)."""
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"
