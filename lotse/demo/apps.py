from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for every app, above the apps: it imports them, none imports it. Listed last
    in INSTALLED_APPS, so that its part of a blueprint loads after theirs."""

    name = "lotse.demo"
    label = "demo"
    verbose_name = "Lotse: Demo-Daten"
