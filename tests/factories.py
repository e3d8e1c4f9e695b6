from __future__ import annotations

import factory
from django.utils import timezone

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
