"""Writes for the caseload. Online forms and the offline sync call these same functions.

Each runs in one transaction and tells the team after commit. A write that changes an existing
offline-editable row (client, visit, time entry, handover) checks the version it was based on
(``check_version``; ``None`` means "no base", as for a new time entry) and advances the row's
version and the versions of the fields it changed, including rows changed as a consequence
(discharge cancels planned visits). Writes that only add rows (care-plan entries, ratings,
notes, records, new visits) have no earlier version to conflict with. Changes a person makes
are audited.
"""

from caseload.services.careplan import care_problem_add, intervention_add, note_add, rating_add
from caseload.services.clients import (
    client_create,
    client_set_status,
    client_update,
    clients_viewed,
)
from caseload.services.common import CaseloadError, VersionConflict
from caseload.services.handovers import handover_acknowledge, handover_create
from caseload.services.timesheets import time_entry_save
from caseload.services.visits import (
    RatingInput,
    visit_create,
    visit_done_as_planned,
    visit_reassign,
    visit_record_save,
    visit_set_status,
    visit_update,
    visits_cancel_planned,
    visits_generate,
)

__all__ = [
    "CaseloadError",
    "RatingInput",
    "VersionConflict",
    "care_problem_add",
    "client_create",
    "client_set_status",
    "client_update",
    "clients_viewed",
    "handover_acknowledge",
    "handover_create",
    "intervention_add",
    "note_add",
    "rating_add",
    "time_entry_save",
    "visit_create",
    "visit_done_as_planned",
    "visit_record_save",
    "visit_reassign",
    "visit_set_status",
    "visit_update",
    "visits_cancel_planned",
    "visits_generate",
]
