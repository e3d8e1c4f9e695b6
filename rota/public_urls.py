"""The one rota URL outside /t/<team>/: a calendar feed, public to whoever holds its token."""

from django.urls import path

from rota import views

urlpatterns = [
    path("<str:token>.ics", views.calendar_feed, name="rota_feed"),
]
