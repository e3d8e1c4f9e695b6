# No app namespace: django-ninja reverses its own "commons-api" namespace from the root.
from django.urls import path

from commons import views
from commons.api import api
from commons.practices import views as practice_views

urlpatterns = [
    path("", views.dashboard, name="commons-dashboard"),
    path("data.csv", views.data_csv, name="commons-data-csv"),
    path("data/", views.dictionary, name="commons-dictionary"),
    path("schema/v1.json", views.schema_v1, name="commons-schema"),
    path("api/", api.urls),
]

# Practices teams share (commons/practices/).
urlpatterns += [
    path("practices/", practice_views.practice_list, name="commons-practices"),
    path("practices/<str:public_id>/", practice_views.practice_detail, name="commons-practice"),
]
