from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "insights"
    verbose_name = "Insights"

    def ready(self) -> None:
        from insights import demo, signals
        from insights.export import demo as commons_demo
        from teams.demo import register

        register("insights", demo.seed)
        register("insights-commons", commons_demo.seed)
        signals.connect()
