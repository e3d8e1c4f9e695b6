"""Load the Omaha System problems and intervention targets as reference data."""

from django.db import migrations

from caseload.omaha import load_reference_data


def load(apps, schema_editor):
    load_reference_data(
        apps.get_model("caseload", "OmahaProblem"), apps.get_model("caseload", "OmahaTarget")
    )


class Migration(migrations.Migration):
    dependencies = [("caseload", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
