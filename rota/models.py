"""The rota: shift types, cover, contracts and rules, wishes, periods, assignments and plans."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy

from rota import plan_words
from teams.models import Team, TeamOwned, TeamScopedQuerySet

NIGHT_STARTS = time(20, 0)


class Colour(models.TextChoices):
    """Fixed palette: colours reach the page as CSS classes, never inline styles (CSP)."""

    BLUE = "blue", gettext_lazy("Blue")
    GREEN = "green", gettext_lazy("Green")
    PURPLE = "purple", gettext_lazy("Purple")
    ORANGE = "orange", gettext_lazy("Orange")
    PINK = "pink", gettext_lazy("Pink")
    GREY = "grey", gettext_lazy("Grey")


# "Early on Mondays": the plural weekday, a word of its own in Welsh too ("ar ddyddiau Llun").
WEEKDAY_PLURALS = [
    gettext_lazy("Mondays"),
    gettext_lazy("Tuesdays"),
    gettext_lazy("Wednesdays"),
    gettext_lazy("Thursdays"),
    gettext_lazy("Fridays"),
    gettext_lazy("Saturdays"),
    gettext_lazy("Sundays"),
]


class ShiftType(TeamOwned):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="shift_types")
    name = models.CharField(max_length=40)
    start = models.TimeField()
    end = models.TimeField(
        help_text=gettext_lazy("An end at or before the start means the shift ends the next day.")
    )
    colour = models.CharField(max_length=10, choices=Colour.choices, default=Colour.BLUE)
    retired_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=gettext_lazy(
            "A retired shift type stays on the rotas it is on but is offered for no new "
            "shifts, cover or planning."
        ),
    )

    class Meta:
        ordering = ["start", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "team", name="shift_type_name_unique_per_team"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    @property
    def is_night(self) -> bool:
        return self.crosses_midnight or self.start >= NIGHT_STARTS

    @property
    def nominal_minutes(self) -> int:
        """Return the length on a day without a clock change."""
        start = self.start.hour * 60 + self.start.minute
        end = self.end.hour * 60 + self.end.minute
        return end - start if end > start else end + 24 * 60 - start

    @property
    def label(self) -> str:
        return f"{self.name} {self.start:%H:%M}–{self.end:%H:%M}"


class Skill(TeamOwned):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="skills")
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "team", name="skill_name_unique_per_team"),
        ]

    def __str__(self) -> str:
        return self.name


class MemberSkill(TeamOwned):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rota_skills"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="holders")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "skill"], name="member_skill_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.skill}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, gettext_lazy("Monday")
    TUESDAY = 1, gettext_lazy("Tuesday")
    WEDNESDAY = 2, gettext_lazy("Wednesday")
    THURSDAY = 3, gettext_lazy("Thursday")
    FRIDAY = 4, gettext_lazy("Friday")
    SATURDAY = 5, gettext_lazy("Saturday")
    SUNDAY = 6, gettext_lazy("Sunday")


class CoverNeed(TeamOwned):
    """How many people a shift needs on a weekday, or on one date (which then wins)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="cover_needs")
    shift_type = models.ForeignKey(ShiftType, on_delete=models.CASCADE, related_name="cover_needs")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    minimum = models.PositiveSmallIntegerField()
    preferred = models.PositiveSmallIntegerField()
    required_skills = models.ManyToManyField(Skill, blank=True, related_name="cover_needs")

    class Meta:
        ordering = ["date", "weekday", "shift_type__start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekday__isnull=True, date__isnull=False)
                | models.Q(weekday__isnull=False, date__isnull=True),
                name="cover_need_weekday_xor_date",
            ),
            models.CheckConstraint(
                condition=models.Q(preferred__gte=models.F("minimum")),
                name="cover_need_preferred_at_least_minimum",
            ),
        ]

    def __str__(self) -> str:
        when = self.date.isoformat() if self.date else Weekday(self.weekday).label
        return f"{self.shift_type} on {when}: {self.minimum}–{self.preferred}"

    @property
    def label(self) -> str:
        """How the set-up pages name it: "Early on Mondays", "Early on 25 December 2026"."""
        if self.date:
            when = date_format(self.date, "j F Y")
            return gettext("%(shift)s on %(date)s") % {"shift": self.shift_type.name, "date": when}
        return gettext("%(shift)s on %(weekday)s") % {
            "shift": self.shift_type.name,
            "weekday": WEEKDAY_PLURALS[self.weekday],
        }


class Contract(TeamOwned):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="contracts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rota_contracts"
    )
    hours_per_week = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=Decimal("37.5"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("80"))],
    )
    min_shifts_per_week = models.PositiveSmallIntegerField(default=0)
    max_shifts_per_week = models.PositiveSmallIntegerField(default=5)
    max_consecutive_days = models.PositiveSmallIntegerField(default=5)
    nights_allowed = models.BooleanField(default=True)
    max_weekends_per_4_weeks = models.PositiveSmallIntegerField(default=2)
    opted_out_of_48h = models.BooleanField(
        "Opted out of the 48-hour average",
        default=False,
        help_text=gettext_lazy(
            "Only with the person's written agreement (Working Time Regulations, reg 5)."
        ),
    )
    leave_days_per_year = models.DecimalField(max_digits=4, decimal_places=1, default=Decimal("28"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="contract_one_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.hours_per_week} h/week"


class WeeklyRestReference(models.IntegerChoices):
    """The two ways the Working Time Regulations (reg 11) reckon weekly rest."""

    WEEK = 7, gettext_lazy("One uninterrupted rest in each 7 days")
    FORTNIGHT = 14, gettext_lazy("Two uninterrupted rests, or one twice as long, in each 14 days")


class TeamRules(models.Model):
    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="rota_rules")
    min_rest_hours = models.PositiveSmallIntegerField(default=11)
    max_average_weekly_hours = models.PositiveSmallIntegerField(default=48)
    reference_weeks = models.PositiveSmallIntegerField(default=17)
    weekly_rest_hours = models.PositiveSmallIntegerField(default=24)
    weekly_rest_days = models.PositiveSmallIntegerField(
        choices=WeeklyRestReference.choices, default=WeeklyRestReference.WEEK
    )
    swaps_need_confirmation = models.BooleanField(default=True)

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "team rules"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weekly_rest_days__in=WeeklyRestReference.values),
                name="team_rules_weekly_rest_days_7_or_14",
            ),
        ]

    def __str__(self) -> str:
        return f"Rules of {self.team}"


class Availability(TeamOwned):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rota_availability"
    )
    date = models.DateField()
    available = models.BooleanField(default=False)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name_plural = "availability"
        constraints = [
            models.UniqueConstraint(fields=["team", "user", "date"], name="availability_one_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {'available' if self.available else 'unavailable'} {self.date}"


class LeaveStatus(models.TextChoices):
    REQUESTED = "requested", gettext_lazy("Requested")
    APPROVED = "approved", gettext_lazy("Approved")
    DECLINED = "declined", gettext_lazy("Declined")
    CANCELLED = "cancelled", gettext_lazy("Cancelled")


class LeaveRequest(TeamOwned):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rota_leave"
    )
    start_date = models.DateField()
    end_date = models.DateField()
    status = models.CharField(
        max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.REQUESTED
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="leave_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} leave {self.start_date}–{self.end_date}"

    @property
    def days(self) -> int:
        """Return the weekdays taken (Monday to Friday)."""
        count, day = 0, self.start_date
        while day <= self.end_date:
            count += day.weekday() < 5
            day += timedelta(days=1)
        return count

    def covers(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date


class Priority(models.IntegerChoices):
    LOW = 1, gettext_lazy("Low")
    MEDIUM = 2, gettext_lazy("Medium")
    HIGH = 3, gettext_lazy("High")


class ShiftRequest(TeamOwned):
    """A wish to work (``on``) or not work a shift on a date; no shift type means any shift."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rota_requests"
    )
    date = models.DateField()
    shift_type = models.ForeignKey(ShiftType, on_delete=models.CASCADE, null=True, blank=True)
    on = models.BooleanField()
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.MEDIUM)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.user} {'on' if self.on else 'off'} {self.date}"


class PeriodStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draft")
    PUBLISHED = "published", gettext_lazy("Published")


class RotaPeriod(TeamOwned):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="rota_periods")
    start = models.DateField()
    days = models.PositiveSmallIntegerField(
        default=28, validators=[MinValueValidator(1), MaxValueValidator(56)]
    )
    status = models.CharField(
        max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.DRAFT
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(fields=["team", "start"], name="rota_period_start_unique"),
        ]

    def __str__(self) -> str:
        return f"Rota from {self.start:%-d %b %Y}"

    @property
    def end(self) -> date:
        """Return the last day of the period (inclusive)."""
        return self.start + timedelta(days=self.days - 1)

    @property
    def dates(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]

    @property
    def is_published(self) -> bool:
        return self.status == PeriodStatus.PUBLISHED


class Source(models.TextChoices):
    MANUAL = "manual", gettext_lazy("Entered by hand")
    PLANNER = "planner", gettext_lazy("Planner")
    SWAP = "swap", gettext_lazy("Swap")
    CLAIM = "claim", gettext_lazy("Claimed open shift")


class Assignment(TeamOwned):
    """One person on one shift on one day; at most one shift a day per person."""

    period = models.ForeignKey(RotaPeriod, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rota_assignments"
    )
    date = models.DateField()
    shift_type = models.ForeignKey(ShiftType, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    published = models.BooleanField(
        default=False,
        help_text=gettext_lazy("Part of a published rota: the planner keeps it unless allowed."),
    )

    class Meta:
        ordering = ["date", "shift_type__start"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user", "date"], name="assignment_one_a_day"),
        ]
        indexes = [models.Index(fields=["team", "date"])]

    def __str__(self) -> str:
        return f"{self.user} {self.shift_type} {self.date}"


class PlanStatus(models.TextChoices):
    QUEUED = "queued", gettext_lazy("Waiting to start")
    RUNNING = "running", gettext_lazy("Running")
    FINISHED = "finished", gettext_lazy("Finished")
    STOPPED = "stopped", gettext_lazy("Stopped")
    INFEASIBLE = "infeasible", gettext_lazy("Rules conflict")
    FAILED = "failed", gettext_lazy("Failed")


# Time beyond its limit that a run may take to wait for a worker, read the rota and save.
PLAN_STALE_MARGIN = timedelta(minutes=5)
PLAN_STALE_REASON = gettext_lazy(
    "The planner stopped answering (its worker may have stopped); the draft was not changed."
)


class PlanRun(TeamOwned):
    period = models.ForeignKey(RotaPeriod, on_delete=models.CASCADE, related_name="plan_runs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.QUEUED)
    allow_changes_to_published = models.BooleanField(default=False)
    time_limit = models.PositiveSmallIntegerField(default=20)
    best_penalty = models.IntegerField(null=True, blank=True)
    gaps = models.IntegerField(null=True, blank=True)
    stop_requested = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    explanation = models.TextField(blank=True)
    issues = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Plan for {self.period} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (PlanStatus.QUEUED, PlanStatus.RUNNING)

    def is_stale(self, now: datetime) -> bool:
        """Say whether an active run has outlived its time limit plus ``PLAN_STALE_MARGIN``.

        A worker that was killed leaves its run active for ever; past this point nobody is
        working on it, so a new run may replace it.
        """
        limit = timedelta(seconds=self.time_limit) + PLAN_STALE_MARGIN
        return self.is_active and now > self.created_at + limit

    @property
    def stale(self) -> bool:
        return self.is_stale(timezone.now())

    @property
    def shown_status(self) -> str:
        """Show a stale run as what it is, before a new run replaces it."""
        return gettext("Stopped answering") if self.stale else self.get_status_display()

    @property
    def shown_explanation(self) -> str:
        return str(PLAN_STALE_REASON) if self.stale else self.explanation

    @property
    def short_text(self) -> str:
        return plan_words.short_text(self.gaps)

    @property
    def wishes_text(self) -> str:
        return plan_words.wishes_text(self.issues)

    @property
    def issue_sentences(self) -> list[str]:
        return [plan_words.issue_sentence(issue) for issue in self.issues]


class SwapStatus(models.TextChoices):
    OFFERED = "offered", gettext_lazy("Offered")
    ACCEPTED = "accepted", gettext_lazy("Waiting for the planner")
    CONFIRMED = "confirmed", gettext_lazy("Done")
    DECLINED = "declined", gettext_lazy("Declined by the planner")
    WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")


class Swap(TeamOwned):
    """An offer of one's shift to a colleague; the ``status`` row is locked when it moves."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="swaps")
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    offered_at = models.DateTimeField(default=timezone.now)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", null=True
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=SwapStatus.choices, default=SwapStatus.OFFERED)

    class Meta:
        ordering = ["-offered_at"]

    def __str__(self) -> str:
        return f"Swap of {self.assignment} ({self.status})"


class CalendarFeed(TeamOwned):
    """A private calendar link; only a hash of its token is stored, and it can be revoked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rota_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=models.Q(revoked_at__isnull=True),
                name="calendar_feed_one_live_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
