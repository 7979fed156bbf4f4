from django.apps import AppConfig


class ClearingConfig(AppConfig):
    name = "lotse.clearing"
    label = "clearing"
    verbose_name = "Lotse: Clearingstelle"
