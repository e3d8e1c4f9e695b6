"""The caseload: clients, Omaha System care plans, visits and their records, time, handovers.

Rows a tablet may create or edit offline have UUID keys the device may generate and a
``version`` that every write increments; a write based on an older version is a conflict.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caseload.validators import validate_nhs_number, validate_postcode
from teams.models import Team, TeamOwned


class OmahaDomain(models.TextChoices):
    ENVIRONMENTAL = "environmental", _("Environmental")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
    PHYSIOLOGICAL = "physiological", _("Physiological")
    HEALTH_BEHAVIORS = "health_behaviors", _("Health-Related Behaviors")


class OmahaProblem(models.Model):
    """Reference data (2005 revision), loaded by migration."""

    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=80)
    domain = models.CharField(max_length=20, choices=OmahaDomain.choices)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class OmahaTarget(models.Model):
    """One of the Intervention Scheme's 75 targets, or 76 "other"."""

    number = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return self.name


class InterventionCategory(models.TextChoices):
    TEACHING = "teaching", _("Teaching, Guidance, and Counseling")
    TREATMENTS = "treatments", _("Treatments and Procedures")
    CASE_MANAGEMENT = "case_management", _("Case Management")
    SURVEILLANCE = "surveillance", _("Surveillance")


class Scope(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    FAMILY = "family", _("Family")
    COMMUNITY = "community", _("Community")


class Severity(models.TextChoices):
    HEALTH_PROMOTION = "health_promotion", _("Health promotion")
    POTENTIAL = "potential", _("Potential")
    ACTUAL = "actual", _("Actual")


class Frequency(models.TextChoices):
    """How often an intervention is due; ``per_week`` drives visit generation."""

    TWICE_DAILY = "twice_daily", _("Twice daily")
    DAILY = "daily", _("Daily")
    FIVE_WEEKLY = "5_weekly", _("5× weekly")
    THREE_WEEKLY = "3_weekly", _("3× weekly")
    TWICE_WEEKLY = "2_weekly", _("2× weekly")
    WEEKLY = "weekly", _("Weekly")
    FORTNIGHTLY = "fortnightly", _("Fortnightly")
    MONTHLY = "monthly", _("Monthly")
    AS_NEEDED = "as_needed", _("As needed")


# The Omaha System's rating scales: kept in English in Welsh (docs/decisions.md).
KBS_LABELS = {
    "knowledge": [
        _("No knowledge"),
        _("Minimal knowledge"),
        _("Basic knowledge"),
        _("Adequate knowledge"),
        _("Superior knowledge"),
    ],
    "behaviour": [
        _("Not appropriate"),
        _("Rarely appropriate"),
        _("Inconsistently appropriate"),
        _("Usually appropriate"),
        _("Consistently appropriate"),
    ],
    "status": [
        _("Extreme signs/symptoms"),
        _("Severe signs/symptoms"),
        _("Moderate signs/symptoms"),
        _("Minimal signs/symptoms"),
        _("No signs/symptoms"),
    ],
}


class ClientStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    ACTIVE = "active", _("Active")
    DISCHARGED = "discharged", _("Discharged")


# The fields a person edits on a client: the client form shows them, the services accept them.
CLIENT_FIELDS = (
    "name",
    "preferred_name",
    "date_of_birth",
    "nhs_number",
    "address",
    "postcode",
    "phone",
    "key_contacts",
    "consent_notes",
    "alerts",
    "primary_nurse",
)


class ClinicalRecord(TeamOwned):
    """A caseload row: a team that holds clinical records cannot be deleted with them."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


def page_version_token() -> int:
    """A random start, so a rebuilt database never meets a page cached from an earlier one."""
    return secrets.randbits(62)


class Client(ClinicalRecord):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="clients")
    name = models.CharField(max_length=150)
    preferred_name = models.CharField(max_length=80, blank=True)
    date_of_birth = models.DateField()
    nhs_number = models.CharField(
        "NHS number", max_length=10, blank=True, validators=[validate_nhs_number]
    )
    address = models.TextField()
    postcode = models.CharField(max_length=8, validators=[validate_postcode])
    phone = models.CharField(max_length=30, blank=True)
    key_contacts = models.TextField(blank=True)
    consent_notes = models.TextField(blank=True)
    alerts = models.TextField(blank=True, help_text=_("One per line, e.g. “Dog in house”."))
    primary_nurse = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="primary_clients",
    )
    status = models.CharField(
        max_length=12, choices=ClientStatus.choices, default=ClientStatus.REFERRED
    )
    discharge_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)
    field_versions = models.JSONField(default=dict, blank=True, editable=False)
    # Moved on by the database itself (triggers, migration 0004) whenever anything the client's
    # page shows changes, whoever writes it: the page's cached body is keyed on it.
    page_version = models.BigIntegerField(default=page_version_token, editable=False)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["team", "name"]),
            models.Index(fields=["team", "postcode"]),
            models.Index(fields=["team", "nhs_number"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="discharged") | ~models.Q(discharge_reason=""),
                name="client_discharge_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "caseload:client", kwargs={"team_slug": self.team.slug, "client_id": self.pk}
        )

    @property
    def alert_list(self) -> list[str]:
        return [line.strip() for line in self.alerts.splitlines() if line.strip()]

    @property
    def known_as(self) -> str:
        return self.preferred_name or self.name.split(" ")[0]


class Versioned(ClinicalRecord):
    """Offline-editable: a device may generate the key, and every write bumps ``version``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    version = models.PositiveIntegerField(default=1)
    field_versions = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        abstract = True


class ProblemStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    RESOLVED = "resolved", _("Resolved")


class CarePlanProblem(Versioned):
    """One Omaha problem on a client's care plan, with its two modifiers."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="problems")
    problem = models.ForeignKey(OmahaProblem, on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=12, choices=Scope.choices, default=Scope.INDIVIDUAL)
    severity = models.CharField(max_length=20, choices=Severity.choices)
    signs_symptoms = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=ProblemStatus.choices, default=ProblemStatus.ACTIVE
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["problem__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "problem"],
                condition=models.Q(status="active"),
                name="careplan_problem_once_while_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.problem} ({self.get_severity_display()})"


class Intervention(Versioned):
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="interventions")
    care_problem = models.ForeignKey(
        CarePlanProblem, on_delete=models.PROTECT, related_name="interventions"
    )
    category = models.CharField(max_length=20, choices=InterventionCategory.choices)
    target = models.ForeignKey(OmahaTarget, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=300)
    frequency = models.CharField(max_length=12, choices=Frequency.choices)
    minutes = models.PositiveSmallIntegerField(
        default=15, validators=[MinValueValidator(1), MaxValueValidator(480)]
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["care_problem__problem__code", "category"]

    def __str__(self) -> str:
        return f"{self.target}: {self.description}"


RATING_RANGE = [MinValueValidator(1), MaxValueValidator(5)]


class Rating(Versioned):
    """Knowledge, Behaviour and Status for one problem at one moment; kept forever."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="ratings")
    care_problem = models.ForeignKey(
        CarePlanProblem, on_delete=models.PROTECT, related_name="ratings"
    )
    knowledge = models.PositiveSmallIntegerField(validators=RATING_RANGE)
    behaviour = models.PositiveSmallIntegerField(validators=RATING_RANGE)
    status = models.PositiveSmallIntegerField(validators=RATING_RANGE)
    rated_at = models.DateTimeField(default=timezone.now)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    visit = models.ForeignKey(
        "Visit", on_delete=models.PROTECT, null=True, blank=True, related_name="ratings"
    )

    class Meta:
        ordering = ["rated_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(knowledge__gte=1, knowledge__lte=5)
                & models.Q(behaviour__gte=1, behaviour__lte=5)
                & models.Q(status__gte=1, status__lte=5),
                name="rating_kbs_between_1_and_5",
            ),
        ]

    def __str__(self) -> str:
        return f"K{self.knowledge} B{self.behaviour} S{self.status}"


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    MISSED = "missed", _("Missed")


class Visit(Versioned):
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="visits")
    date = models.DateField()
    window_start = models.TimeField()
    window_end = models.TimeField()
    planned_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
    )
    interventions = models.ManyToManyField(Intervention, blank=True, related_name="visits")
    status = models.CharField(
        max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    status_reason = models.CharField(max_length=200, blank=True)
    generated = models.BooleanField(default=False)

    class Meta:
        ordering = ["date", "window_start"]
        indexes = [
            models.Index(fields=["team", "date", "assigned_to"]),
            models.Index(fields=["client", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_end__gt=models.F("window_start")),
                name="visit_window_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["missed", "cancelled"])
                | ~models.Q(status_reason=""),
                name="visit_missed_or_cancelled_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} on {self.date:%d %b} {self.window_start:%H:%M}"


class VisitRecord(Versioned):
    """What happened at a visit; one per visit, so a second recording is a conflict."""

    visit = models.OneToOneField(Visit, on_delete=models.PROTECT, related_name="record")
    interventions_done = models.ManyToManyField(Intervention, blank=True, related_name="+")
    actual_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    travel_minutes = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(24 * 60)]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Record of {self.visit}"


class Note(Versioned):
    """Append-only clinical note; a correction is an addendum pointing at what it corrects."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="notes")
    visit = models.ForeignKey(
        Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="notes"
    )
    addendum_to = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="addenda"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Note by {self.author} at {self.created_at:%d %b %H:%M}"


class TimeCategory(models.TextChoices):
    DIRECT = "direct", _("Direct client care")
    INDIRECT = "indirect", _("Indirect client work")
    TRAVEL = "travel", _("Travel")
    TEAM = "team", _("Team and organisational")
    TRAINING = "training", _("Training")
    OTHER = "other", _("Other")


FRONTLINE = {TimeCategory.DIRECT}


class TimeEntry(Versioned):
    """Minutes of one member's day in one category; visit records fill direct care and travel."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="time_entries"
    )
    date = models.DateField()
    category = models.CharField(max_length=10, choices=TimeCategory.choices)
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    description = models.CharField(max_length=200, blank=True)
    visit_record = models.ForeignKey(
        VisitRecord, on_delete=models.CASCADE, null=True, blank=True, related_name="time_entries"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "created_at"]
        indexes = [models.Index(fields=["team", "member", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1, minutes__lte=1440),
                name="time_entry_minutes_within_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.date} {self.get_category_display()} {self.minutes} min"


class Handover(Versioned):
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, null=True, blank=True, related_name="handovers"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handovers_received",
        help_text=_("Empty: for the whole team."),
    )
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Handover from {self.author} at {self.created_at:%d %b %H:%M}"


class SyncOutcome(models.TextChoices):
    APPLIED = "applied", _("Applied")
    CONFLICT = "conflict", _("Conflict")
    REJECTED = "rejected", _("Rejected")


class SyncMutation(ClinicalRecord):
    """Every mutation a device sent, with its one outcome; conflicts and rejections wait here.

    The first row for a mutation id is its original (written in the same transaction as the
    effect). A later request reusing that id with another payload gets a row of its own,
    rejected, so nothing a device sent is ever lost.
    """

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    mutation_id = models.UUIDField()
    original = models.BooleanField(default=True)
    device = models.UUIDField()
    kind = models.CharField(max_length=40)
    target = models.CharField(max_length=64, blank=True)
    base_version = models.PositiveIntegerField(null=True, blank=True)
    payload = models.JSONField(default=dict)
    payload_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=SyncOutcome.choices)
    reason = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(null=True, blank=True)
    saved_values = models.JSONField(default=dict, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["received_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mutation_id"],
                condition=models.Q(original=True),
                name="sync_one_original_per_mutation_id",
            ),
        ]
        indexes = [models.Index(fields=["team", "author", "status", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.mutation_id} {self.status}"


class AnswerCode(ClinicalRecord):
    """A short code a client can type (or scan) to answer about one visit without logging in.

    Short so that it can be typed from the printed day sheet; random, so it cannot be guessed
    within the answer page's rate limit; it works for a fixed time after it was made.
    """

    visit = models.OneToOneField(Visit, on_delete=models.PROTECT, related_name="answer_code")
    code = models.CharField(max_length=12, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.code
