"""The one rota URL outside /t/<team>/: a calendar feed, public to whoever holds its token."""

from django.urls import path

from rota.views import feeds

urlpatterns = [
    path("<str:token>.ics", feeds.calendar_feed, name="rota_feed"),
]
