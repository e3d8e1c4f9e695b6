from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    name = "caseload"
    verbose_name = "Caseload"

    def ready(self) -> None:
        from caseload import demo
        from teams.demo import register

        register("caseload", demo.seed)
