"""One schema per mutation kind: it parses each item and is published to the device's outbox.

The server validates every field with these objects before a handler runs, and the pages embed
``published()`` so that ``static/js/outbox.js`` builds and checks payloads with the same
fields, ranges and labels (docs/sync-protocol.md).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caseload import rules
from caseload.sync.protocol import Rejected

MISSING: Any = object()
MAX_TEXT = 10_000
MAX_LIST = 200
MAX_VERSION = 2**31 - 1  # PositiveIntegerField's limit on every database
MAX_ROW_ID = 2**63 - 1


def _checked_text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise Rejected(_("%(name)s must be text.") % {"name": name})
    if len(value) > MAX_TEXT:
        raise Rejected(_("%(name)s is too long.") % {"name": name})
    if "\x00" in value:
        raise Rejected(_("%(name)s contains a character that cannot be stored.") % {"name": name})
    try:
        value.encode()
    except UnicodeEncodeError:
        raise Rejected(
            _("%(name)s contains a character that cannot be stored.") % {"name": name}
        ) from None
    return value


def parse_uuid(value: Any, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(_checked_text(value, name))
    except (Rejected, ValueError):
        raise Rejected(_("%(name)s must be a UUID.") % {"name": name}) from None


def _whole(value: Any, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Rejected(
            _("%(name)s must be a whole number between %(low)d and %(high)d.")
            % {"name": name, "low": low, "high": high}
        )
    return value


@dataclass(frozen=True)
class Field:
    """One payload field: ``parse`` turns the sent value into a Python value or rejects it."""

    label: Any
    required: bool = True
    type: str = "text"

    def parse(self, value: Any) -> Any:
        if value is MISSING or value is None or value == "":
            if self.required:
                raise Rejected(_("%(name)s is required.") % {"name": self.label})
            return self.empty()
        return self.convert(value, str(self.label))

    def empty(self) -> Any:
        return None

    def convert(self, value: Any, name: str) -> Any:
        raise NotImplementedError

    def publish(self) -> dict[str, Any]:
        return {"type": self.type, "required": self.required, "label": str(self.label)}


@dataclass(frozen=True)
class Text(Field):
    def empty(self) -> str:
        return ""

    def convert(self, value: Any, name: str) -> str:
        return _checked_text(value, name)


@dataclass(frozen=True)
class Date(Field):
    type: str = "date"

    def convert(self, value: Any, name: str) -> date:
        try:
            parsed = parse_date(_checked_text(value, name))
        except ValueError:  # well formed but impossible, such as 2026-02-30
            parsed = None
        if parsed is None:
            raise Rejected(_("%(name)s must be a date like 2026-11-28.") % {"name": name})
        return parsed


@dataclass(frozen=True)
class Whole(Field):
    type: str = "int"
    low: int = 0
    high: int = 0
    default: int | None = None

    def empty(self) -> int | None:
        return self.default

    def convert(self, value: Any, name: str) -> int:
        return _whole(value, name, self.low, self.high)

    def publish(self) -> dict[str, Any]:
        return {**super().publish(), "min": self.low, "max": self.high, "default": self.default}


def minutes(label: Any, *, allow_zero: bool = False) -> Whole:
    return Whole(
        label=label,
        required=not allow_zero,
        low=rules.minutes_min(allow_zero=allow_zero),
        high=rules.MINUTES_MAX,
        default=0 if allow_zero else None,
    )


def score(label: Any) -> Whole:
    return Whole(label=label, low=rules.RATING_MIN, high=rules.RATING_MAX)


@dataclass(frozen=True)
class Uuid(Field):
    type: str = "uuid"

    def convert(self, value: Any, name: str) -> uuid.UUID:
        return parse_uuid(value, name)


@dataclass(frozen=True)
class RowId(Field):
    """The integer key of a client or a person."""

    type: str = "rowid"

    def convert(self, value: Any, name: str) -> int:
        return _whole(value, name, 1, MAX_ROW_ID)


@dataclass(frozen=True)
class UuidList(Field):
    type: str = "uuids"
    required: bool = False

    def empty(self) -> list[uuid.UUID]:
        return []

    def convert(self, value: Any, name: str) -> list[uuid.UUID]:
        if not isinstance(value, list) or len(value) > MAX_LIST:
            raise Rejected(_("%(name)s must be a list of ids.") % {"name": name})
        return list(dict.fromkeys(parse_uuid(item, name) for item in value))


@dataclass(frozen=True)
class Ratings(Field):
    """Knowledge, Behaviour and Status for some care plan problems: all three each, or none."""

    type: str = "ratings"
    required: bool = False

    def empty(self) -> list[dict[str, Any]]:
        return []

    def convert(self, value: Any, name: str) -> list[dict[str, Any]]:
        if not isinstance(value, list) or len(value) > MAX_LIST:
            raise Rejected(_("%(name)s must be a list.") % {"name": name})
        return [self._rating(item) for item in value]

    def _rating(self, item: Any) -> dict[str, Any]:
        if isinstance(item, dict):
            try:
                rules.rated([item.get(concept) for concept in rules.RATING_CONCEPTS])
            except ValueError as error:
                raise Rejected(str(error)) from None
        return RATING.parse_payload(item)

    def publish(self) -> dict[str, Any]:
        return {
            **super().publish(),
            "concepts": list(rules.RATING_CONCEPTS),
            "min": rules.RATING_MIN,
            "max": rules.RATING_MAX,
            "message": str(rules.RATE_ALL_OR_NONE),
        }


@dataclass(frozen=True)
class Shape:
    """A set of named fields that parses one JSON object."""

    fields: dict[str, Field]

    def parse_payload(self, payload: Any) -> dict[str, Any]:
        if not isinstance(payload, dict):
            raise Rejected(_("payload must be a JSON object."))
        return {name: spec.parse(payload.get(name, MISSING)) for name, spec in self.fields.items()}


RATING = Shape(
    {
        "care_problem": Uuid(label=gettext_lazy("Problem")),
        "knowledge": score(gettext_lazy("Knowledge")),
        "behaviour": score(gettext_lazy("Behaviour")),
        "status": score(gettext_lazy("Status")),
    }
)


@dataclass(frozen=True)
class Kind(Shape):
    """A mutation kind: its payload, whether it needs a base version, and its words."""

    label: Any = ""
    done: Any = ""
    versioned: bool | None = True  # True: needs base_version; False: null; None: either
    new_row: bool = False
    row_id: str = ""
    event: str = ""  # the live event the page raises after applying one (teams.live.EVENTS)

    def publish(self) -> dict[str, Any]:
        return {
            "label": str(self.label),
            "done": str(self.done),
            "newRow": self.new_row,
            "rowId": self.row_id,
            "event": self.event,
            "fields": {name: spec.publish() for name, spec in self.fields.items()},
        }


KINDS: dict[str, Kind] = {
    "visit.record": Kind(
        {
            "actual_minutes": minutes(gettext_lazy("Minutes with the client")),
            "travel_minutes": minutes(gettext_lazy("Travel minutes"), allow_zero=True),
            "interventions_done": UuidList(label=gettext_lazy("Interventions done")),
            "note": Text(label=gettext_lazy("Note"), required=False),
            "ratings": Ratings(label=gettext_lazy("Ratings")),
            "record_id": Uuid(label=gettext_lazy("Record id"), required=False),
        },
        label=gettext_lazy("Visit record"),
        done=gettext_lazy("Visit to {label} recorded."),
        row_id="record_id",
    ),
    "visit.done": Kind(
        {},
        label=gettext_lazy("Visit done as planned"),
        done=gettext_lazy("Visit to {label} recorded as planned."),
    ),
    "visit.status": Kind(
        {
            "status": Text(label=gettext_lazy("Status")),
            "reason": Text(label=gettext_lazy("The reason")),
        },
        label=gettext_lazy("Visit did not happen"),
        done=gettext_lazy("The visit is marked {status}."),
    ),
    "time.save": Kind(
        {
            "date": Date(label=gettext_lazy("The date")),
            "category": Text(label=gettext_lazy("The category")),
            "minutes": minutes(gettext_lazy("Minutes")),
            "description": Text(label=gettext_lazy("Description"), required=False),
        },
        label=gettext_lazy("Time entry"),
        done=gettext_lazy("Time added."),
        versioned=None,
        new_row=True,
    ),
    "handover.create": Kind(
        {
            "text": Text(label=gettext_lazy("The text")),
            "client": RowId(label=gettext_lazy("Client"), required=False),
            "to": RowId(label=gettext_lazy("For"), required=False),
        },
        label=gettext_lazy("Handover"),
        done=gettext_lazy("Your handover was sent."),
        versioned=False,
        new_row=True,
    ),
    "handover.ack": Kind(
        {},
        label=gettext_lazy("Handover acknowledged"),
        done=gettext_lazy("Handover acknowledged."),
    ),
    "note.add": Kind(
        {
            "client": RowId(label=gettext_lazy("Client")),
            "text": Text(label=gettext_lazy("The text")),
            "visit": Uuid(label=gettext_lazy("Visit"), required=False),
            "addendum_to": Uuid(label=gettext_lazy("Note"), required=False),
        },
        label=gettext_lazy("Note"),
        done=gettext_lazy("Your note was added."),
        versioned=False,
        new_row=True,
    ),
    "rating.add": Kind(
        RATING.fields,
        label=gettext_lazy("Rating"),
        done=gettext_lazy("The rating was saved."),
        versioned=False,
        new_row=True,
    ),
}


def parse_kind(raw: Any) -> Kind:
    if not isinstance(raw, str) or raw not in KINDS:
        raise Rejected(_("Unknown kind."))
    return KINDS[raw]


def parse_base_version(raw: Any, kind: Kind) -> int | None:
    if raw is None:
        if kind.versioned:
            raise Rejected(_("base_version is required for this kind."))
        return None
    if kind.versioned is False:
        raise Rejected(_("base_version must be null for a new row."))
    return _whole(raw, "base_version", 1, MAX_VERSION)


def parse_created_at(raw: Any) -> datetime | None:
    """Read when the device made the change; a missing time is allowed, an impossible one not."""
    if raw is None:
        return None
    try:
        parsed = parse_datetime(_checked_text(raw, "created_at"))
    except ValueError:
        parsed = None
    if parsed is None:
        raise Rejected(_("created_at must be a date and time like 2026-11-28T10:42:00Z."))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


MESSAGES = {
    "required": gettext_lazy("{label} is needed."),
    "int": gettext_lazy("{label}: enter a whole number between {min} and {max}."),
    "date": gettext_lazy("{label}: enter a real date."),
}


def published() -> dict[str, Any]:
    """The kinds, their field rules and the outbox's messages, as static/js/outbox.js reads them."""
    return {
        "kinds": {name: kind.publish() for name, kind in KINDS.items()},
        "messages": {name: str(text) for name, text in MESSAGES.items()},
    }
