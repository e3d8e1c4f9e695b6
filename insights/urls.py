from django.urls import path

from insights import views

app_name = "insights"

urlpatterns = [
    path("codes.json", views.codes_json, name="codes"),
]
