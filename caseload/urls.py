from django.urls import path

from caseload import views

app_name = "caseload"

urlpatterns = [
    path("today/", views.today, name="today"),
    path("today/day-sheet.pdf", views.day_sheet_pdf, name="day_sheet"),
    path("board/", views.board, name="board"),
    path("clients/", views.client_list, name="clients"),
    path("clients/add/", views.client_create, name="client_add"),
    path("clients/<int:client_id>/", views.client_detail, name="client"),
    path("clients/<int:client_id>/edit/", views.client_edit, name="client_edit"),
    path("clients/<int:client_id>/status/", views.client_status, name="client_status"),
    path("clients/<int:client_id>/summary.pdf", views.client_summary_pdf, name="client_pdf"),
    path("clients/<int:client_id>/problems/add/", views.care_problem_add, name="problem_add"),
    path(
        "clients/<int:client_id>/interventions/add/",
        views.intervention_add,
        name="intervention_add",
    ),
    path("clients/<int:client_id>/ratings/add/", views.rating_add, name="rating_add"),
    path("clients/<int:client_id>/notes/add/", views.note_add, name="note_add"),
    path("clients/<int:client_id>/visits/add/", views.visit_add, name="visit_add"),
    path("visits/<uuid:visit_id>/", views.visit_detail, name="visit"),
    path("visits/<uuid:visit_id>/edit/", views.visit_edit, name="visit_edit"),
    path("visits/<uuid:visit_id>/done/", views.visit_done, name="visit_done"),
    path("visits/<uuid:visit_id>/status/", views.visit_status, name="visit_status"),
    path("visits/<uuid:visit_id>/reassign/", views.visit_reassign, name="visit_reassign"),
    path("time/", views.time_view, name="time"),
    path("sync/", views.sync, name="sync"),
    path("sync/pages.json", views.offline_pages, name="offline_pages"),
    path("sync/attention/", views.sync_attention, name="sync_attention"),
    path("sync/attention/<int:mutation_pk>/resolve/", views.sync_resolve, name="sync_resolve"),
    path("handovers/", views.handovers, name="handovers"),
    path(
        "handovers/<uuid:handover_id>/acknowledge/",
        views.handover_acknowledge,
        name="handover_acknowledge",
    ),
]
