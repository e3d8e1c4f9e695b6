"""On PostgreSQL, refuse UPDATE and DELETE on the audit table at the database itself.

TRUNCATE stays possible: it is an operator's tool (and the test suite's flush), not something
the application issues.
"""

from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION patch_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER teams_auditevent_append_only
    BEFORE UPDATE OR DELETE ON teams_auditevent
    FOR EACH ROW EXECUTE FUNCTION patch_audit_append_only();
"""

ALLOW = """
DROP TRIGGER IF EXISTS teams_auditevent_append_only ON teams_auditevent;
DROP FUNCTION IF EXISTS patch_audit_append_only();
"""


def forbid(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID)


def allow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW)


class Migration(migrations.Migration):
    dependencies = [("teams", "0001_initial")]

    operations = [migrations.RunPython(forbid, allow)]
