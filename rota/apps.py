from django.apps import AppConfig


class RotaConfig(AppConfig):
    name = "rota"

    def ready(self) -> None:
        from rota.demo import seed
        from teams.demo import register

        register("rota", seed)
