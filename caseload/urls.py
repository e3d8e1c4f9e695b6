from django.urls import path

from caseload.views import clients, handovers, sync, timesheets, today, visits

app_name = "caseload"

urlpatterns = [
    path("today/", today.today, name="today"),
    path("today/day-sheet.pdf", today.day_sheet_pdf, name="day_sheet"),
    path("board/", today.board, name="board"),
    path("clients/", clients.client_list, name="clients"),
    path("clients/add/", clients.client_create, name="client_add"),
    path("clients/<int:client_id>/", clients.client_detail, name="client"),
    path("clients/<int:client_id>/edit/", clients.client_edit, name="client_edit"),
    path("clients/<int:client_id>/status/", clients.client_status, name="client_status"),
    path("clients/<int:client_id>/summary.pdf", clients.client_summary_pdf, name="client_pdf"),
    path("clients/<int:client_id>/problems/add/", clients.care_problem_add, name="problem_add"),
    path(
        "clients/<int:client_id>/interventions/add/",
        clients.intervention_add,
        name="intervention_add",
    ),
    path("clients/<int:client_id>/ratings/add/", clients.rating_add, name="rating_add"),
    path("clients/<int:client_id>/notes/add/", clients.note_add, name="note_add"),
    path("clients/<int:client_id>/visits/add/", visits.visit_add, name="visit_add"),
    path("visits/<uuid:visit_id>/", visits.visit_detail, name="visit"),
    path("visits/<uuid:visit_id>/edit/", visits.visit_edit, name="visit_edit"),
    path("visits/<uuid:visit_id>/done/", visits.visit_done, name="visit_done"),
    path("visits/<uuid:visit_id>/status/", visits.visit_status, name="visit_status"),
    path("visits/<uuid:visit_id>/reassign/", visits.visit_reassign, name="visit_reassign"),
    path("time/", timesheets.time_view, name="time"),
    path("sync/", sync.sync, name="sync"),
    path("sync/pages.json", sync.offline_pages, name="offline_pages"),
    path("sync/attention/", sync.sync_attention, name="sync_attention"),
    path("sync/attention/<int:mutation_pk>/resolve/", sync.sync_resolve, name="sync_resolve"),
    path("handovers/", handovers.handovers, name="handovers"),
    path("handovers/count/", handovers.handover_count, name="handover_count"),
    path(
        "handovers/<uuid:handover_id>/acknowledge/",
        handovers.handover_acknowledge,
        name="handover_acknowledge",
    ),
]
