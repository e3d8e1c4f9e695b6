from django.urls import path

from ideas import views

app_name = "ideas"

urlpatterns = [
    path("", views.board, name="board"),
    path("propose/", views.propose, name="propose"),
    path("decisions/", views.decision_log, name="log"),
    path("waiting/", views.waiting, name="waiting"),
    path("<uuid:idea_id>/", views.idea_detail, name="idea"),
    path("<uuid:idea_id>/amend/", views.amend, name="amend"),
    path("<uuid:idea_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<uuid:idea_id>/comment/", views.comment, name="comment"),
    path("<uuid:idea_id>/round/", views.round_open, name="round_open"),
    path("<uuid:idea_id>/outcome/", views.outcome, name="outcome"),
    path("<uuid:idea_id>/review/", views.review, name="review"),
    path("rounds/<uuid:round_id>/answer/", views.answer, name="answer"),
]
