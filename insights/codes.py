"""The published code list: which activity every paid minute falls into, and how it counts.

One list for the team's pages, the docs and (later) the commons' data elements, served as JSON
at ``/insights/codes.json`` so anyone comparing teams knows exactly what a figure adds up.
The codes themselves are the pure formulas' (`insights/formulas.py`); caseload's time
categories are the recorded ones (a test holds the two together).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from insights import formulas as f

FRONTLINE = "frontline"
CLIENT_RELATED = "client_related"
OVERHEAD = "overhead"
ABSENCE = "absence"
NOT_RECORDED = "not_recorded"


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    group: str
    source: str
    description: str

    def as_json(self) -> dict[str, str]:
        return {
            "code": self.code,
            "label": str(self.label),
            "group": self.group,
            "source": str(self.source),
            "description": str(self.description),
        }


CODES: tuple[Code, ...] = (
    Code(
        f.DIRECT,
        _("Direct client care"),
        FRONTLINE,
        _("minutes of visits recorded as done, and direct care recorded as time"),
        _("Time with a client: the visit itself, in person or by phone or video."),
    ),
    Code(
        f.INDIRECT,
        _("Indirect client work"),
        CLIENT_RELATED,
        _("time entries"),
        _("Work for a named client away from them: notes, calls to the GP, ordering, referrals."),
    ),
    Code(
        f.TRAVEL,
        _("Travel"),
        CLIENT_RELATED,
        _("time entries"),
        _("Travel between clients and to and from the base."),
    ),
    Code(
        f.TEAM,
        _("Team and organisational"),
        OVERHEAD,
        _("time entries"),
        _("Team meetings, planning the rota, handovers, coaching, organisation-wide tasks."),
    ),
    Code(
        f.TRAINING,
        _("Training"),
        OVERHEAD,
        _("time entries"),
        _("Courses, e-learning, supervision and reflective practice."),
    ),
    Code(
        f.OTHER,
        _("Other"),
        OVERHEAD,
        _("time entries"),
        _("Recorded time that fits no other code."),
    ),
    Code(
        f.LEAVE,
        _("Leave"),
        ABSENCE,
        _("approved leave on the rota"),
        _("Paid leave: annual, sickness, study and other approved leave."),
    ),
    Code(
        f.UNRECORDED,
        _("Unrecorded"),
        NOT_RECORDED,
        _("paid time minus recorded time and leave"),
        _("Paid time nobody recorded: worth a look, not a fault."),
    ),
)

BY_CODE = {code.code: code for code in CODES}
