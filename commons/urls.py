from django.urls import path

from commons import views
from commons.api import api

app_name = "commons"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("data.csv", views.data_csv, name="data_csv"),
    path("data/", views.dictionary, name="dictionary"),
    path("schema/v1.json", views.schema_v1, name="schema"),
    path("api/", api.urls),
]
