from django.urls import path

from insights.export import views

urlpatterns = [
    path("", views.commons, name="commons"),
]
