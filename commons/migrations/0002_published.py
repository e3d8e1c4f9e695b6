from django.db import migrations, models


def mark_every_week_changed(apps, schema_editor):
    """Give each week already received a row behind its data, so its first read publishes it."""
    DataValueSet = apps.get_model("commons", "DataValueSet")
    PublishedWeek = apps.get_model("commons", "PublishedWeek")
    weeks = DataValueSet.objects.values_list("week_start", flat=True).distinct()
    PublishedWeek.objects.bulk_create(
        [PublishedWeek(week_start=monday, data_version=1) for monday in weeks]
    )


class Migration(migrations.Migration):
    dependencies = [("commons", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="Observation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("week_start", models.DateField(verbose_name="week starting")),
                ("position", models.PositiveIntegerField()),
                ("time_period", models.CharField(max_length=8)),
                ("ref_area", models.CharField(max_length=9)),
                ("service_type", models.CharField(max_length=32)),
                ("data_element", models.CharField(max_length=20)),
                ("category", models.CharField(max_length=20)),
                ("measure", models.CharField(max_length=6)),
                ("obs_value", models.FloatField(null=True)),
                ("obs_status", models.CharField(blank=True, max_length=1)),
                ("n_teams", models.PositiveIntegerField(null=True)),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["data_element", "week_start"], name="commons_obs_element_week"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("week_start", "position"),
                        name="commons_one_observation_per_place",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="PublishedWeek",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("week_start", models.DateField(unique=True, verbose_name="week starting")),
                ("data_version", models.PositiveIntegerField(default=0)),
                ("published_version", models.PositiveIntegerField(default=0)),
                ("reported", models.PositiveIntegerField(default=0, verbose_name="teams reported")),
                ("on_time", models.PositiveIntegerField(default=0, verbose_name="teams on time")),
                ("unenrolled", models.PositiveIntegerField(default=0)),
                ("observations", models.PositiveIntegerField(default=0)),
                ("components", models.JSONField(default=dict)),
            ],
            options={"verbose_name": "published week"},
        ),
        migrations.RunPython(mark_every_week_changed, migrations.RunPython.noop),
    ]
