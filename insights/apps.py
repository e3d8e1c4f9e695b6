from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        from insights import demo, signals
        from teams.demo import register

        register("insights", demo.seed)
        signals.connect()
