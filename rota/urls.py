from django.urls import path

from rota.views import feeds, periods, planning, requests, setup, setup_changes, swaps

app_name = "rota"

urlpatterns = [
    path("", periods.index, name="index"),
    path("periods/add/", periods.period_create, name="period_create"),
    path("periods/<int:period_id>/", periods.period_page, name="period"),
    path("periods/<int:period_id>/grid/", periods.grid_fragment, name="grid"),
    path("periods/<int:period_id>/cell/", periods.cell_save, name="cell"),
    path("periods/<int:period_id>/publish/", periods.period_publish, name="publish"),
    path("periods/<int:period_id>/reopen/", periods.period_reopen, name="reopen"),
    path("periods/<int:period_id>/rota.pdf", periods.period_pdf, name="pdf"),
    path("periods/<int:period_id>/plan/", planning.plan_start, name="plan_start"),
    path("periods/<int:period_id>/claim/", swaps.open_shift_claim, name="claim"),
    path("plans/<int:run_id>/", planning.plan_status, name="plan_status"),
    path("plans/<int:run_id>/stop/", planning.plan_stop, name="plan_stop"),
    path("setup/", setup.setup, name="setup"),
    path("setup/shift-types/add/", setup.shift_type_create, name="shift_type_create"),
    path(
        "setup/shift-types/<int:shift_type_id>/",
        setup_changes.shift_type_change,
        name="shift_type_change",
    ),
    path(
        "setup/shift-types/<int:shift_type_id>/remove/",
        setup_changes.shift_type_remove,
        name="shift_type_remove",
    ),
    path(
        "setup/shift-types/<int:shift_type_id>/retire/",
        setup_changes.shift_type_retire,
        name="shift_type_retire",
    ),
    path(
        "setup/shift-types/<int:shift_type_id>/reinstate/",
        setup_changes.shift_type_reinstate,
        name="shift_type_reinstate",
    ),
    path("setup/skills/add/", setup.skill_create, name="skill_create"),
    path("setup/skills/<int:skill_id>/", setup_changes.skill_change, name="skill_change"),
    path("setup/skills/<int:skill_id>/remove/", setup_changes.skill_remove, name="skill_remove"),
    path("setup/cover/add/", setup.cover_need_create, name="cover_create"),
    path("setup/cover/<int:cover_need_id>/", setup_changes.cover_need_change, name="cover_change"),
    path(
        "setup/cover/<int:cover_need_id>/remove/",
        setup_changes.cover_need_remove,
        name="cover_remove",
    ),
    path("setup/contracts/save/", setup.contract_save, name="contract_save"),
    path("setup/skills/members/", setup.member_skills_save, name="member_skills_save"),
    path("setup/rules/", setup.rules_save, name="rules_save"),
    path("requests/", requests.requests_page, name="requests"),
    path("requests/leave/", requests.leave_create, name="leave_create"),
    path("requests/leave/<int:leave_id>/decide/", requests.leave_decide, name="leave_decide"),
    path("requests/shifts/", requests.shift_request_create, name="request_create"),
    path("requests/availability/", requests.availability_save, name="availability_save"),
    path("swaps/", swaps.swaps_page, name="swaps"),
    path("swaps/offer/<int:assignment_id>/", swaps.swap_offer, name="swap_offer"),
    path("swaps/<int:swap_id>/accept/", swaps.swap_accept, name="swap_accept"),
    path("swaps/<int:swap_id>/withdraw/", swaps.swap_withdraw, name="swap_withdraw"),
    path("swaps/<int:swap_id>/confirm/", swaps.swap_confirm, name="swap_confirm"),
    path("calendar/", feeds.calendar_page, name="calendar"),
]
