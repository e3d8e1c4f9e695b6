from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path
from pwa.views import manifest

from insights import views as insights_views
from teams import language
from teams import views as team_views
from teams.forms import EmailLoginForm, ThrottledPasswordResetForm

urlpatterns = [
    path("", team_views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=EmailLoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", team_views.LogoutView.as_view(), name="logout"),
    path("account/two-factor/", include("teams.twofactor_urls")),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(form_class=ThrottledPasswordResetForm),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("switch/", team_views.switch_team, name="switch_team"),
    path("invite/<str:token>/", team_views.invitation_accept, name="invitation"),
    path("session/", team_views.session_status, name="session_status"),
    path("offline/", team_views.offline, name="offline"),
    path("language/", language.language_switch, name="language_switch"),
    path("jsi18n/<str:language>.js", language.javascript_catalog, name="javascript_catalog"),
    path("healthz", team_views.healthz, name="healthz"),
    path("sw.js", team_views.service_worker, name="service_worker"),
    path("favicon.ico", team_views.favicon, name="favicon"),
    path("manifest.json", manifest, name="manifest"),
    path("insights/codes.json", insights_views.codes_json, name="insights_codes"),
    path("insights/coaching/", insights_views.coaching, name="insights_coaching"),
    path("a/<str:code>/", insights_views.answer_by_link, name="answer"),
    path("t/<slug:team_slug>/", include("caseload.urls")),
    path("calendar/", include("rota.public_urls")),
    path("t/<slug:team_slug>/rota/", include("rota.urls")),
    path("t/<slug:team_slug>/insights/", include("insights.urls")),
    path("t/<slug:team_slug>/ideas/", include("ideas.urls")),
    path("t/<slug:team_slug>/", include("teams.urls")),
]

if settings.COMMONS_HUB:
    urlpatterns.append(path("commons/", include("commons.urls")))

handler500 = "config.errors.server_error"

# Practices from the commons, on the team's side (ideas/bricks/).
urlpatterns.append(path("t/<slug:team_slug>/ideas/practices/", include("ideas.bricks.urls")))
