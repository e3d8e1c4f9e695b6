from django.urls import path

from teams.consumers import TeamConsumer

websocket_urlpatterns = [
    path("ws/t/<slug:team_slug>/", TeamConsumer.as_asgi()),
]
