from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = "Teams"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from teams import twofactor
        from teams.sessions import on_login

        user_logged_in.connect(on_login, dispatch_uid="teams.sessions.on_login")
        user_logged_in.connect(twofactor.on_login, dispatch_uid="teams.twofactor.on_login")
