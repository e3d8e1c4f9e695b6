"""What the hub keeps about practices: the text a team published, who adopted it (as a count,
never as a team) and what adopters said changed.

A practice is known publicly by an opaque id. Its publisher is a registered team, kept only so
the same team can revise it; no page or answer shows it. An adoption holds a keyed hash of the
adopting team, so the same team cannot count twice, and no one holding the database without the
server secret can tell which team adopted what. Times are kept to the ISO week.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Practice(models.Model):
    public_id = models.CharField(_("id"), max_length=14, unique=True)
    publisher = models.ForeignKey(
        "commons.RegisteredTeam", on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=32)
    title = models.CharField(_("title"), max_length=120)
    problem = models.TextField(_("problem"))
    practice = models.TextField(_("practice"))
    metric = models.CharField(_("metric"), max_length=40, blank=True)
    before = models.FloatField(_("before"), null=True)
    after = models.FloatField(_("after"), null=True)
    weeks_before = models.PositiveSmallIntegerField(_("weeks before"))
    weeks_after = models.PositiveSmallIntegerField(_("weeks after"))
    trial_weeks = models.PositiveSmallIntegerField(_("trial length in weeks"))
    published_week = models.CharField(_("published in week"), max_length=7)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-published_week", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["publisher", "source"], name="commons_one_practice_per_source"
            )
        ]

    def __str__(self) -> str:
        return self.public_id


class Adoption(models.Model):
    """One team's adoption of a practice, known only by ``adopter``: a keyed hash of the team."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="adoptions")
    adopter = models.CharField(max_length=64)
    week = models.CharField(_("week"), max_length=7)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["practice", "adopter"], name="commons_adopt_once")
        ]

    def __str__(self) -> str:
        return f"{self.practice_id} {self.week}"


class Effect(models.Model):
    """What an adopting team reports changed in the practice's metric; the latest report counts."""

    adoption = models.OneToOneField(Adoption, on_delete=models.CASCADE, related_name="effect")
    before = models.FloatField(_("before"))
    after = models.FloatField(_("after"))
    weeks_before = models.PositiveSmallIntegerField(_("weeks before"))
    weeks_after = models.PositiveSmallIntegerField(_("weeks after"))
    week = models.CharField(_("week"), max_length=7)

    def __str__(self) -> str:
        return f"{self.adoption_id} {self.week}"
