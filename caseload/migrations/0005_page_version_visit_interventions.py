"""A visit's planned interventions move its client's page version too (see migration 0004).

Today's visit cards list them and are cached under the client's page version.
"""

from django.db import migrations

TABLE = "caseload_visit_interventions"
EVENTS = {"insert": "NEW", "delete": "OLD", "update": "NEW"}


def _sqlite() -> list[str]:
    renew = "UPDATE caseload_client SET page_version = random() WHERE id = "
    client = "(SELECT client_id FROM caseload_visit WHERE id = {}.visit_id)"
    return [
        f"CREATE TRIGGER {TABLE}_page_{event} AFTER {event.upper()} ON {TABLE} BEGIN "
        + renew
        + client.format(row)
        + "; END"
        for event, row in EVENTS.items()
    ]


def _postgresql() -> list[str]:
    # caseload_page_records (migration 0004) bumps the clients of the visits named in visit_id.
    return [
        f"CREATE TRIGGER {TABLE}_page_{event} AFTER {event.upper()} ON {TABLE} "
        f"REFERENCING {row} TABLE AS changed "
        "FOR EACH STATEMENT EXECUTE FUNCTION caseload_page_records();"
        for event, row in EVENTS.items()
    ]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": _sqlite, "postgresql": _postgresql}[vendor]():
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    on = f" ON {TABLE}" if schema_editor.connection.vendor == "postgresql" else ""
    for event in EVENTS:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_page_{event}{on}")


class Migration(migrations.Migration):
    dependencies = [("caseload", "0004_page_version")]

    operations = [migrations.RunPython(create, drop)]
