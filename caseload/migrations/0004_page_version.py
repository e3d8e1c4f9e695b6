"""A client's page version, moved on by the database whenever anything the page shows changes.

The client's page caches its body under this version (``caseload.views.clients``). Triggers
rather than the services move it, so no writer can leave a stale page behind: not a bulk
update, a factory, a shell session or a future service that forgets. Every update of the client
row draws a new random version (a save that writes back an old value cannot bring an old cached
page back), and every insert, update or delete of a row the page shows updates its client row.
"""

from django.db import migrations, models

import caseload.models

# Tables whose rows carry client_id and appear on the client's page.
CHILDREN = [
    "caseload_visit",
    "caseload_note",
    "caseload_handover",
    "caseload_careplanproblem",
    "caseload_intervention",
    "caseload_rating",
]
EVENTS = {"insert": "NEW", "update": "NEW", "delete": "OLD"}


def _sqlite() -> list[str]:
    renew = "UPDATE caseload_client SET page_version = random() WHERE id = {}"
    sql = [
        # SQLite's triggers are not recursive by default, so this one does not fire itself.
        "CREATE TRIGGER caseload_page_client AFTER UPDATE ON caseload_client BEGIN "
        + renew.format("NEW.id")
        + "; END"
    ]
    for table in CHILDREN:
        for event, row in EVENTS.items():
            sql.append(
                f"CREATE TRIGGER {table}_page_{event} AFTER {event.upper()} ON {table} BEGIN "
                + renew.format(f"{row}.client_id")
                + "; END"
            )
    for event, row in EVENTS.items():
        visit = f"(SELECT client_id FROM caseload_visit WHERE id = {row}.visit_id)"  # noqa: S608 - constants
        sql.append(
            f"CREATE TRIGGER caseload_visitrecord_page_{event} AFTER {event.upper()} "
            f"ON caseload_visitrecord BEGIN {renew.format(visit)}; END"
        )
    sql.append(
        "CREATE TRIGGER teams_user_page_name AFTER UPDATE OF name ON teams_user "
        "WHEN NEW.name IS NOT OLD.name BEGIN UPDATE caseload_client SET page_version = random() "
        "WHERE team_id IN (SELECT team_id FROM teams_membership WHERE user_id = NEW.id); END"
    )
    return sql


PG_FUNCTIONS = """
CREATE OR REPLACE FUNCTION caseload_page_renew() RETURNS trigger AS $$
BEGIN
    NEW.page_version := floor(random() * 4611686018427387903)::bigint;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION caseload_page_children() RETURNS trigger AS $$
BEGIN
    UPDATE caseload_client SET page_version = 0 WHERE id IN (SELECT client_id FROM changed);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION caseload_page_records() RETURNS trigger AS $$
BEGIN
    UPDATE caseload_client SET page_version = 0 WHERE id IN (
        SELECT v.client_id FROM caseload_visit v JOIN changed c ON c.visit_id = v.id
    );
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION caseload_page_names() RETURNS trigger AS $$
BEGIN
    UPDATE caseload_client SET page_version = 0 WHERE team_id IN (
        SELECT m.team_id FROM teams_membership m
        JOIN changed c ON m.user_id = c.id
        JOIN previous b ON b.id = c.id
        WHERE b.name IS DISTINCT FROM c.name
    );
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER caseload_page_client BEFORE UPDATE ON caseload_client
    FOR EACH ROW EXECUTE FUNCTION caseload_page_renew();
CREATE TRIGGER teams_user_page_name AFTER UPDATE ON teams_user
    REFERENCING OLD TABLE AS previous NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION caseload_page_names();
"""


def _postgresql() -> list[str]:
    """Statement triggers with transition tables: a bulk insert updates each client once."""
    sql = [PG_FUNCTIONS]
    tables = [(table, "caseload_page_children") for table in CHILDREN]
    tables.append(("caseload_visitrecord", "caseload_page_records"))
    for table, function in tables:
        for event, row in EVENTS.items():
            kind = "OLD" if row == "OLD" else "NEW"
            sql.append(
                f"CREATE TRIGGER {table}_page_{event} AFTER {event.upper()} ON {table} "
                f"REFERENCING {kind} TABLE AS changed "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}();"
            )
    return sql


def _drop(vendor: str) -> list[str]:
    names = [("caseload_page_client", "caseload_client"), ("teams_user_page_name", "teams_user")]
    for table in [*CHILDREN, "caseload_visitrecord"]:
        names += [(f"{table}_page_{event}", table) for event in EVENTS]
    if vendor == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name, _table in names]
    sql = [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in names]
    functions = ["renew", "children", "records", "names"]
    return sql + [f"DROP FUNCTION IF EXISTS caseload_page_{name}()" for name in functions]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"sqlite": _sqlite, "postgresql": _postgresql}[vendor]():
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in _drop(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("caseload", "0003_answer_codes"),
        ("teams", "0007_user_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="client",
            name="page_version",
            field=models.BigIntegerField(
                default=caseload.models.page_version_token, editable=False
            ),
        ),
        migrations.RunPython(create, drop),
    ]
