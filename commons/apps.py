from django.apps import AppConfig


class CommonsConfig(AppConfig):
    name = "commons"
    verbose_name = "Commons hub"
