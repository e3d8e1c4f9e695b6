"""The team's practices pages; included under /t/<team_slug>/ideas/practices/."""

from django.urls import path

from ideas.bricks import views

app_name = "bricks"

urlpatterns = [
    path("", views.practices, name="practices"),
    path("share/", views.share, name="share"),
    path("<str:public_id>/", views.practice, name="practice"),
]
