"""The hub alone (``PATCH_ROLE=hub``): the commons pages, API and open data, no team pages.

The site routes the hub's pages link to (the language switch, the scripts' catalogue, the
health check, the icon) are taken from the embedded URLconf by name, so both servers answer
them at the same addresses with the same views.
"""

from django.urls import include, path
from django.views.generic import RedirectView

from config import urls as embedded

SITE_ROUTES = {"language_switch", "javascript_catalog", "healthz", "favicon"}

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="commons-dashboard"), name="home"),
    *(route for route in embedded.urlpatterns if getattr(route, "name", None) in SITE_ROUTES),
    path("commons/", include("commons.urls")),
]

handler500 = embedded.handler500
