"""Create the demo world: two neighbourhood teams and a coach. Safe to run again."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from teams import services
from teams.demo import SEEDERS, members_joined_before_history
from teams.models import Role, RoleHolding, Team, User
from teams.selectors import is_member

DEMO_PASSWORD = "patch-demo-2026"  # noqa: S105 - printed for the demo on purpose

# Members join in this order, which is their place in the demo rota's turn (teams.demo): the
# first is the example login, on an Early the day the demo is seeded; nurses sit so that every
# Early has a registered nurse.
TEAMS = [
    {
        "slug": "riverside",
        "name": "Riverside Neighbourhood Nursing",
        "area": "Riverside and Old Town",
        "members": [
            ("Amara Okafor", "amara@riverside.example", "Community staff nurse"),
            ("Tom Hughes", "tom@riverside.example", "District nurse"),
            ("Priya Shah", "priya@riverside.example", "Community staff nurse"),
            ("Gareth Lewis", "gareth@riverside.example", "Healthcare assistant"),
            ("Sinead Murphy", "sinead@riverside.example", "District nurse"),
            ("Kwame Mensah", "kwame@riverside.example", "Community staff nurse"),
            ("Ewa Kowalska", "ewa@riverside.example", "Nursing associate"),
            ("Hannah Clarke", "hannah@riverside.example", "Community staff nurse"),
            ("Jamal Ahmed", "jamal@riverside.example", "Healthcare assistant"),
        ],
        "roles": [
            ("Planner", "Keeps the rota and cover fair and legal", 1),
            ("Training", "Tracks skills and arranges courses", 2),
            ("Quality", "Leads the monthly case review", 4),
        ],
    },
    {
        "slug": "hillside",
        "name": "Hillside Community Care",
        "area": "Hillside, Northgate and Moor End",
        "members": [
            ("Fiona Campbell", "fiona@hillside.example", "District nurse"),
            ("Mei Lin", "mei@hillside.example", "Nursing associate"),
            ("Oluwaseun Adeyemi", "seun@hillside.example", "Community staff nurse"),
            ("David Brennan", "david@hillside.example", "Healthcare assistant"),
            ("Rhys Evans", "rhys@hillside.example", "Community staff nurse"),
            ("Aisha Begum", "aisha@hillside.example", "Social worker"),
            ("Lucy Turner", "lucy@hillside.example", "Community staff nurse"),
            ("Marek Nowak", "marek@hillside.example", "Healthcare assistant"),
            ("Grace Mwangi", "grace@hillside.example", "District nurse"),
            ("Owen Price", "owen@hillside.example", "Occupational therapist"),
        ],
        "roles": [
            ("Planner", "Keeps the rota and cover fair and legal", 0),
            ("Training", "Tracks skills and arranges courses", 1),
            ("Quality", "Leads the monthly case review", 5),
            ("Stock", "Orders dressings and equipment", 7),
        ],
    },
]

COACH = ("Margaret Ellis", "margaret.coach@patch.example")


class Command(BaseCommand):
    help = "Create the demo teams, members, roles and coach (idempotent)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            coach = self._person(*COACH)
            for spec in TEAMS:
                team = self._team(spec)
                for name, email, job in spec["members"]:
                    user = self._person(name, email)
                    if not is_member(team=team, user=user):
                        services.member_add(team=team, user=user, job_title=job)
                members_joined_before_history(team, timezone.localdate())
                members = [User.objects.get(email=email) for _, email, _ in spec["members"]]
                for role_name, description, holder_index in spec["roles"]:
                    role = Role.objects.for_team(team).filter(name=role_name).first()
                    if role is None:
                        role = services.role_create(
                            team=team, name=role_name, description=description, by=members[0]
                        )
                    if not RoleHolding.objects.filter(role=role, ended_at__isnull=True).exists():
                        services.role_hand_over(
                            role=role, to_user=members[holder_index], by=members[0]
                        )
                if not team.coach_grants.filter(coach=coach, revoked_at__isnull=True).exists():
                    services.coach_grant(team=team, coach=coach, by=members[0])
                for name, seeder in SEEDERS:
                    self.stdout.write(f"  {team.name}: {name}")
                    seeder(team)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(f"  Password for every demo login: {DEMO_PASSWORD}")
        for spec in TEAMS:
            self.stdout.write(f"  {spec['name']}: {spec['members'][0][1]} (and colleagues)")
        self.stdout.write(f"  Coach of both teams: {COACH[1]}")

    def _person(self, name: str, email: str) -> User:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, name=name)
        return user

    def _team(self, spec: dict) -> Team:
        team = Team.objects.filter(slug=spec["slug"]).first()
        if team is None:
            team = services.team_create(name=spec["name"], slug=spec["slug"], area=spec["area"])
        return team
