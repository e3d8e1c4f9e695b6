from django.urls import include, path

from insights import views

app_name = "insights"

urlpatterns = [
    path("", views.team_insights, name="team"),
    path("me/", views.my_week, name="my_week"),
    path("report/", views.report_pick, name="report_pick"),
    path("report/<str:month>.pdf", views.month_report, name="report"),
    path("pulse/", views.pulse, name="pulse"),
    path("organisation/", views.organisation, name="organisation"),
    path("visits/<uuid:visit_id>/ask/", views.ask_client, name="ask"),
    path("commons/", include("insights.export.urls")),
]
