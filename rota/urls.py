from django.urls import path

from rota import views

app_name = "rota"

urlpatterns = [
    path("", views.index, name="index"),
    path("periods/add/", views.period_create, name="period_create"),
    path("periods/<int:period_id>/", views.period_page, name="period"),
    path("periods/<int:period_id>/grid/", views.grid_fragment, name="grid"),
    path("periods/<int:period_id>/cell/", views.cell_save, name="cell"),
    path("periods/<int:period_id>/publish/", views.period_publish, name="publish"),
    path("periods/<int:period_id>/reopen/", views.period_reopen, name="reopen"),
    path("periods/<int:period_id>/rota.pdf", views.period_pdf, name="pdf"),
    path("periods/<int:period_id>/plan/", views.plan_start, name="plan_start"),
    path("periods/<int:period_id>/claim/", views.open_shift_claim, name="claim"),
    path("plans/<int:run_id>/", views.plan_status, name="plan_status"),
    path("plans/<int:run_id>/stop/", views.plan_stop, name="plan_stop"),
    path("setup/", views.setup, name="setup"),
    path("setup/shift-types/add/", views.shift_type_create, name="shift_type_create"),
    path("setup/skills/add/", views.skill_create, name="skill_create"),
    path("setup/cover/add/", views.cover_need_create, name="cover_create"),
    path("setup/contracts/save/", views.contract_save, name="contract_save"),
    path("setup/skills/members/", views.member_skills_save, name="member_skills_save"),
    path("setup/rules/", views.rules_save, name="rules_save"),
    path("requests/", views.requests_page, name="requests"),
    path("requests/leave/", views.leave_create, name="leave_create"),
    path("requests/leave/<int:leave_id>/decide/", views.leave_decide, name="leave_decide"),
    path("requests/shifts/", views.shift_request_create, name="request_create"),
    path("requests/availability/", views.availability_save, name="availability_save"),
    path("swaps/", views.swaps_page, name="swaps"),
    path("swaps/offer/<int:assignment_id>/", views.swap_offer, name="swap_offer"),
    path("swaps/<int:swap_id>/accept/", views.swap_accept, name="swap_accept"),
    path("swaps/<int:swap_id>/confirm/", views.swap_confirm, name="swap_confirm"),
    path("calendar/", views.calendar_page, name="calendar"),
]
