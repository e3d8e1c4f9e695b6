import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("teams", "0007_user_language"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Idea",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("title", models.CharField(max_length=120, verbose_name="title")),
                ("problem", models.TextField(max_length=4000, verbose_name="problem")),
                ("proposal", models.TextField(max_length=4000, verbose_name="proposal")),
                ("benefit", models.TextField(max_length=4000, verbose_name="expected benefit")),
                (
                    "metric",
                    models.CharField(
                        blank=True, max_length=40, verbose_name="metric it should move"
                    ),
                ),
                ("provenance", models.CharField(blank=True, max_length=300)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("proposed", "Proposed"),
                            ("round", "In a consent round"),
                            ("trial", "On trial"),
                            ("adopted", "Adopted"),
                            ("dropped", "Dropped"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="proposed",
                        max_length=12,
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1)),
                (
                    "outcome",
                    models.TextField(blank=True, max_length=4000, verbose_name="outcome statement"),
                ),
                ("trial_started_on", models.DateField(blank=True, null=True)),
                ("trial_weeks", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("review_due", models.DateField(blank=True, null=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("changed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ideas",
                        to="teams.team",
                    ),
                ),
            ],
            options={
                "ordering": ["-changed_at"],
                "abstract": False,
                "indexes": [models.Index(fields=["team", "status"], name="idea_team_status")],
            },
        ),
        migrations.CreateModel(
            name="ConsentRound",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("number", models.PositiveSmallIntegerField()),
                ("proposal_version", models.PositiveIntegerField()),
                ("title", models.CharField(max_length=120)),
                ("problem", models.TextField(max_length=4000)),
                ("proposal", models.TextField(max_length=4000)),
                ("benefit", models.TextField(max_length=4000)),
                ("trial_weeks", models.PositiveSmallIntegerField()),
                ("opened_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("closes_at", models.DateTimeField()),
                ("closed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "close_reason",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("time", "its closing time came"),
                            ("everyone", "everyone had answered"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("consent", "Consent: the team tries it"),
                            ("objection", "Objection: to be amended and asked again"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "facilitator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "idea",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rounds",
                        to="ideas.idea",
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="teams.team",
                    ),
                ),
            ],
            options={
                "ordering": ["idea", "number"],
                "abstract": False,
                "constraints": [
                    models.UniqueConstraint(fields=("idea", "number"), name="round_number_once"),
                    models.UniqueConstraint(
                        condition=models.Q(("closed_at__isnull", True)),
                        fields=("idea",),
                        name="round_one_open_per_idea",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Answer",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("consent", "Consent"),
                            ("concern", "Concern"),
                            ("objection", "Objection"),
                        ],
                        max_length=10,
                    ),
                ),
                ("text", models.TextField(blank=True, max_length=4000)),
                ("late", models.BooleanField(default=False)),
                ("answered_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "member",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="ideas.consentround",
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="teams.team",
                    ),
                ),
            ],
            options={
                "ordering": ["answered_at"],
                "abstract": False,
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("late", False)),
                        fields=("round", "member"),
                        name="answer_once_per_member_round",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Comment",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("text", models.TextField(max_length=4000)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "idea",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="comments",
                        to="ideas.idea",
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="teams.team",
                    ),
                ),
            ],
            options={
                "ordering": ["created_at"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="Review",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "decision",
                    models.CharField(
                        choices=[
                            ("keep", "Keep it"),
                            ("change", "Change it"),
                            ("drop", "Drop it"),
                        ],
                        max_length=8,
                    ),
                ),
                ("note", models.TextField(blank=True, max_length=4000)),
                ("reviewed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "idea",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reviews",
                        to="ideas.idea",
                    ),
                ),
                (
                    "team",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="teams.team",
                    ),
                ),
            ],
            options={
                "ordering": ["reviewed_at"],
                "abstract": False,
            },
        ),
    ]
