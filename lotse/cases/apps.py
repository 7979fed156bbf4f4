from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "lotse.cases"
    label = "cases"
    verbose_name = "Fälle und Verweisungen"
