from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = "Ideas"

    def ready(self) -> None:
        from ideas import demo
        from ideas.sync import register_kinds
        from teams.demo import register

        register_kinds()
        register("ideas", demo.seed)
