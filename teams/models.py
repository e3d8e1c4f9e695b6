"""Teams run themselves: people, memberships, roles, coaches, invitations and the audit log."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, email: str) -> User:
        return self.get(email__iexact=email)

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person; which teams they see comes from Membership and CoachGrant, never from flags."""

    email = models.EmailField("email address", unique=True)
    name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Empty until the person chooses: then their pages and printed outputs follow it.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, blank=True, default=""
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class TeamQuerySet(models.QuerySet["Team"]):
    def for_user(self, user: User) -> TeamQuerySet:
        """Teams the user belongs to now, or coaches with a live grant."""
        return self.filter(
            models.Q(memberships__user=user, memberships__left_at__isnull=True)
            | models.Q(coach_grants__coach=user, coach_grants__revoked_at__isnull=True)
        ).distinct()


class OrganisationKind(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    NETWORK = "network", _("Network")


class Organisation(models.Model):
    """Teams that compare their weekly figures by name: an employer, or a looser network."""

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(
        max_length=12, choices=OrganisationKind.choices, default=OrganisationKind.ORGANISATION
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    area = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="teams"
    )
    shares_figures = models.BooleanField(
        default=False,
        help_text=_(
            "The team shows its weekly figures, by name, to the other teams of its "
            "organisation that do the same."
        ),
    )

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teams:team", kwargs={"team_slug": self.slug})


class TeamScopedQuerySet(models.QuerySet):
    """The one way to read team-owned rows: ``Model.objects.for_team(team)``."""

    def for_team(self, team: Team) -> models.QuerySet:
        return self.filter(team=team)


class TeamOwned(models.Model):
    """A row that belongs to one team: its non-null key and the scoped queryset to read it.

    A subclass may redeclare ``team`` for another ``related_name`` or ``on_delete``.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")

    objects = TeamScopedQuerySet.as_manager()

    class Meta:
        abstract = True


class MembershipQuerySet(TeamScopedQuerySet):
    def current(self) -> MembershipQuerySet:
        return self.filter(left_at__isnull=True)


class Membership(TeamOwned):
    """One stretch of a person's time in a team; leaving closes it, rejoining opens another."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    job_title = models.CharField(max_length=120, blank=True)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=models.Q(left_at__isnull=True),
                name="membership_one_current_per_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"


class Role(TeamOwned):
    """A responsibility the team defines (planner, training, quality) and rotates."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="roles")
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "team", name="role_name_unique_per_team"),
        ]

    def __str__(self) -> str:
        return self.name


class RoleHolding(TeamOwned):
    """Who held a role and when; the open row (no ``ended_at``) is the current holder."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="role_holdings")
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="holdings")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="role_holdings"
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    handed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["role"],
                condition=models.Q(ended_at__isnull=True),
                name="role_one_current_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder} as {self.role}"


class CoachGrant(TeamOwned):
    """A team's grant of read-only access to a coach; the team may revoke it at any time."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="coach_grants")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coach_grants"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "coach"],
                condition=models.Q(revoked_at__isnull=True),
                name="coach_one_live_grant_per_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coach} coaches {self.team}"


class Invitation(TeamOwned):
    """A single-use, expiring link for one address; only a hash of its token is stored.

    A member invitation makes its person a member; a coach invitation (mailed, never shown,
    so granting reveals nothing about who has an account) gives read-only access.
    """

    class Kind(models.TextChoices):
        MEMBER = "member", "member"
        COACH = "coach", "coach"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.team}"


class Presence(TeamOwned):
    """One open team socket. Stored in the database so every server process sees everyone.

    Each socket refreshes ``seen_at`` while it is open, so the row of a server process that died
    without closing its sockets stops counting after ``PRESENCE_TIMEOUT``.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="presences"
    )
    channel_name = models.CharField(max_length=200, unique=True)
    connected_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.user} online in {self.team}"


PRESENCE_HEARTBEAT = timedelta(seconds=60)
PRESENCE_TIMEOUT = 3 * PRESENCE_HEARTBEAT


class RelayedEvent(models.Model):
    """A live event on its way to the other server processes when there is no shared layer.

    Holds exactly what ``teams.live`` sends (an event name and ids), never personal data.
    ``origin`` names the process that wrote it, which has delivered it itself already.
    """

    group = models.CharField(max_length=50)
    message = models.JSONField()
    origin = models.CharField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.message.get('event')} for {self.group}"


class AuditError(RuntimeError):
    """Raised when code tries to change or remove an audit row."""


class AuditQuerySet(TeamScopedQuerySet):
    def update(self, **kwargs):
        raise AuditError("The audit log is append-only.")

    def delete(self):
        raise AuditError("The audit log is append-only.")


class AuditEvent(models.Model):
    """Append-only: rows are written by ``teams.audit.record`` and never changed.

    The model refuses updates and deletes; on PostgreSQL a trigger refuses them too, so raw SQL
    from the application cannot rewrite history either.
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="audit_events", null=True, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        # Ending in "at": a record's access log reads its events newest first without a sort.
        indexes = [models.Index(fields=["team", "object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_type}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AuditError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditError("The audit log is append-only.")
