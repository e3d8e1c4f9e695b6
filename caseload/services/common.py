"""What every caseload service shares: domain errors, version checks, small validators."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from caseload import rules


class CaseloadError(Exception):
    """A rule was broken; the message is for the person who tried."""


@dataclass
class VersionConflict(CaseloadError):
    """The row changed since the version the write was based on; nothing was written."""

    current: Any
    attempted: dict[str, Any] = field(default_factory=dict)
    message: str = "Someone else changed this since you opened it."
    fields: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message


def check_version(
    obj: Any,
    base_version: int | None,
    attempted: dict[str, Any],
    touches: Iterable[str] | None = None,
) -> None:
    """Refuse a write based on an old version only where it would overwrite a newer change.

    Each row remembers in which version each field last changed (``field_versions``). A write
    based on ``base_version`` that touches only fields unchanged since is a merge and goes
    ahead; one that touches a field changed since is a conflict.
    """
    if base_version is None or obj.version == base_version:
        return
    touched = set(attempted if touches is None else touches)
    if base_version > obj.version:
        overlap = touched
    else:
        overlap = {f for f, v in obj.field_versions.items() if v > base_version} & touched
    if overlap:
        raise VersionConflict(current=obj, attempted=attempted, fields=sorted(overlap))


def next_version(obj: Any, fields: Iterable[str]) -> None:
    """Advance ``obj``'s version and mark ``fields`` as changed in it, without saving."""
    obj.version += 1
    for name in fields:
        obj.field_versions[name] = obj.version


def bump(obj: Any, fields: Iterable[str]) -> None:
    next_version(obj, fields)
    obj.full_clean(exclude=["team", "client", "visit"])
    obj.save(update_fields=[*fields, "version", "field_versions"])


def validate_minutes(name: str, minutes: int, *, allow_zero: bool = False) -> None:
    if not rules.minutes_valid(minutes, allow_zero=allow_zero):
        raise ValidationError({name: rules.minutes_message(allow_zero=allow_zero)}, code="minutes")
