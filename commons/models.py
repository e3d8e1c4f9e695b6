"""What the hub keeps: enrolled teams, the weekly value sets they send, and a log of each import.

Nothing here names a person or a team: a team is an opaque reference the hub issued, plus the
three attributes the schema allows (region, service type, size band).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegisteredTeam(models.Model):
    """A sending team. Its signing key is derived from ``key_salt`` and the server secret.

    The hub must know the key to check an HMAC, so it cannot keep only a hash; deriving it
    (``commons.keys``) means the database alone never holds a usable key.
    """

    ref = models.CharField(_("reference"), max_length=12, unique=True)
    region = models.CharField(_("region"), max_length=9)
    service_type = models.CharField(_("service type"), max_length=32)
    size_band = models.CharField(_("size band"), max_length=5)
    key_salt = models.CharField(max_length=32)
    enrolled_at = models.DateTimeField(_("enrolled at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registered team")

    def __str__(self) -> str:
        return self.ref


class DataValueSet(models.Model):
    """One team's figures for one ISO week: the latest accepted revision only."""

    team = models.ForeignKey(RegisteredTeam, on_delete=models.PROTECT, related_name="value_sets")
    period = models.CharField(_("period"), max_length=8)
    week_start = models.DateField(_("week starting"), db_index=True)
    revision = models.PositiveIntegerField(_("revision"))
    region = models.CharField(_("region"), max_length=9)
    service_type = models.CharField(_("service type"), max_length=32)
    size_band = models.CharField(_("size band"), max_length=5)
    first_received_at = models.DateTimeField(_("first received at"))
    received_at = models.DateTimeField(_("received at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "period"], name="commons_one_set_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.team_id} {self.period} r{self.revision}"


class DataValue(models.Model):
    value_set = models.ForeignKey(DataValueSet, on_delete=models.CASCADE, related_name="values")
    element = models.CharField(_("data element"), max_length=20)
    category = models.CharField(_("category"), max_length=20)
    value = models.FloatField(_("value"), null=True)
    status = models.CharField(_("status"), max_length=1, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["value_set", "element", "category"], name="commons_one_value_per_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.element}/{self.category}"


class Nonce(models.Model):
    """A nonce seen with a valid signature; kept only as long as its timestamp could be fresh."""

    team = models.ForeignKey(RegisteredTeam, on_delete=models.CASCADE)
    value = models.CharField(max_length=64)
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "value"], name="commons_nonce_once")]

    def __str__(self) -> str:
        return self.value


class ImportLog(models.Model):
    """Each ingest attempt: its answer and counts, never anything the sender wrote."""

    class Outcome(models.TextChoices):
        IMPORTED = "imported", _("Imported")
        DRY_RUN = "dry_run", _("Dry run")
        MALFORMED = "malformed", _("Malformed")
        UNAUTHORISED = "unauthorised", _("Bad or missing signature")
        REVOKED = "revoked", _("Revoked key")
        REPLAY = "replay", _("Replay")
        SCHEMA = "schema", _("Schema violation")
        STALE = "stale", _("Stale revision")
        TOO_LARGE = "too_large", _("Too large")

    team = models.ForeignKey(RegisteredTeam, null=True, on_delete=models.SET_NULL)
    period = models.CharField(max_length=8, blank=True)
    received_at = models.DateTimeField(db_index=True)
    http_status = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=16, choices=Outcome)
    imported = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    ignored = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M} {self.http_status}"


class PublishedWeek(models.Model):
    """One ISO week's published figures: the gate's output, kept until the week's data changes.

    Storing a value set bumps its week's ``data_version`` in the same transaction
    (``services.weeks_changed``); the first read that finds ``published_version`` behind
    recomputes that week (``commons.publish``). Every other read is a page of stored rows, so
    what a page costs does not grow with the number of teams.
    """

    week_start = models.DateField(_("week starting"), unique=True)
    data_version = models.PositiveIntegerField(default=0)
    published_version = models.PositiveIntegerField(default=0)
    reported = models.PositiveIntegerField(_("teams reported"), default=0)
    on_time = models.PositiveIntegerField(_("teams on time"), default=0)
    # Teams that sent the week although it lies outside their enrolment: expected all the same.
    unenrolled = models.PositiveIntegerField(default=0)
    observations = models.PositiveIntegerField(default=0)  # rows, so pages need no COUNT(*)
    components = models.JSONField(default=dict)  # Public Value Index parts' spreads

    class Meta:
        verbose_name = _("published week")

    def __str__(self) -> str:
        return f"{self.week_start} v{self.published_version}/{self.data_version}"


class Observation(models.Model):
    """One published row of open data (the SDMX-CSV shape), exactly as the gate let it out."""

    week_start = models.DateField(_("week starting"))
    position = models.PositiveIntegerField()  # the row's place within its week
    time_period = models.CharField(max_length=8)
    ref_area = models.CharField(max_length=9)
    service_type = models.CharField(max_length=32)
    data_element = models.CharField(max_length=20)
    category = models.CharField(max_length=20)
    measure = models.CharField(max_length=6)
    obs_value = models.FloatField(null=True)
    obs_status = models.CharField(max_length=1, blank=True)
    n_teams = models.PositiveIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["week_start", "position"], name="commons_one_observation_per_place"
            )
        ]
        indexes = [
            models.Index(fields=["data_element", "week_start"], name="commons_obs_element_week")
        ]

    def __str__(self) -> str:
        return f"{self.time_period} {self.data_element}/{self.category} {self.measure}"


# Practices shared between teams live in their own module; imported here so Django finds them.
from commons.practices.models import Adoption, Effect, Practice  # noqa: E402, F401
