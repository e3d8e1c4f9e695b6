from django.urls import path

from teams import twofactor_views

urlpatterns = [
    path("", twofactor_views.settings_page, name="two_factor"),
    path("setup/", twofactor_views.setup, name="two_factor_setup"),
    path("verify/", twofactor_views.verify, name="two_factor_verify"),
    path("recovery-codes/", twofactor_views.recovery_codes, name="two_factor_recovery_codes"),
    path("off/", twofactor_views.turn_off, name="two_factor_off"),
]
