"""Build the morning-peak world: teams of nurses, each with clients, visits today and a session.

    python -m bench.load.build TEAMS MEMBERS VISITS  (prints JSON; the database comes from the
    environment, as for the server)

Sessions are made the way a login makes them (``force_login`` runs the login signal that
starts the session clocks), without a password hash per tablet: a thousand PBKDF2 logins
would measure the hasher, not the morning peak.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date, time


def build(*, teams: int, members: int, visits: int, prefix: str = "load") -> dict:
    """Create the world in the configured database; return what the tablets need."""
    from django.conf import settings
    from django.test import Client as Browser
    from django.utils import timezone

    from caseload.models import Client, Visit
    from teams.models import Membership, Team, User

    today = timezone.localdate()
    tablets = []
    for t in range(teams):
        team = Team.objects.create(name=f"Load {prefix} {t}", slug=f"{prefix}-{t}")
        clients = Client.objects.bulk_create(
            Client(
                team=team,
                name=f"Client {t}-{n}",
                date_of_birth=date(1940, 1, 1),
                address=f"{n} Lane",
                postcode="LS1 4AP",
                status="active",
            )
            for n in range(max(2, members))
        )
        for m in range(members):
            user = User.objects.create_user(
                email=f"{prefix}-{t}-{m}@example.org", password=None, name=f"Nurse {t}-{m}"
            )
            Membership.objects.create(team=team, user=user)
            mine = [clients[(m + k) % len(clients)] for k in range(2)]
            planned = Visit.objects.bulk_create(
                Visit(
                    team=team,
                    client=mine[k % 2],
                    date=today,
                    window_start=time(9),
                    window_end=time(10),
                    planned_minutes=20,
                    assigned_to=user,
                )
                for k in range(visits)
            )
            browser = Browser()
            browser.force_login(user)
            tablets.append(
                {
                    "team": team.slug,
                    "user": user.pk,
                    "session": browser.cookies[settings.SESSION_COOKIE_NAME].value,
                    "visits": [str(v.pk) for v in planned],
                    "clients": [c.pk for c in mine],
                }
            )
    return {"today": today.isoformat(), "tablets": tablets}


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    teams, members, visits = (int(arg) for arg in sys.argv[1:4])
    json.dump(build(teams=teams, members=members, visits=visits), sys.stdout)


if __name__ == "__main__":
    main()
