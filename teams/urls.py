from django.urls import path

from teams import views

app_name = "teams"

urlpatterns = [
    path("", views.team_page, name="team"),
    path("online/", views.online_fragment, name="online"),
    path("members/", views.members_page, name="members"),
    path("members/invite/", views.invitation_create, name="invite"),
    path("members/<int:membership_id>/leave/", views.member_leave, name="member_leave"),
    path(
        "invitations/<int:invitation_id>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("coaches/grant/", views.coach_grant, name="coach_grant"),
    path("coaches/<int:grant_id>/revoke/", views.coach_revoke, name="coach_revoke"),
    path("roles/", views.roles_page, name="roles"),
    path("roles/add/", views.role_create, name="role_create"),
    path("roles/<int:role_id>/hand-over/", views.role_hand_over, name="role_hand_over"),
    path("audit/", views.audit_page, name="audit"),
]
