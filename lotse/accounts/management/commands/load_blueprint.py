from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.accounts.models import Organisation
from lotse.core.blueprints import available_blueprints, blueprint_load


class Command(BaseCommand):
    help = "Lädt einen Bauplan (Organisationen, Einheiten, Regeln), z. B. weissenfels."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help=f"Name des Bauplans ({', '.join(available_blueprints())})")
        parser.add_argument(
            "--demo", action="store_true", help="Auch Demo-Daten laden (nur mit LOTSE_DEMO=1)."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Nichts tun, wenn schon Organisationen eingerichtet sind.",
        )

    def handle(self, *args: Any, name: str, demo: bool, if_empty: bool, **options: Any) -> None:
        if if_empty and Organisation.objects.exists():
            self.stdout.write("Datenbank ist schon eingerichtet; Bauplan nicht erneut geladen.")
            return
        if demo and not settings.LOTSE_DEMO:
            raise CommandError("Demo-Daten werden nur mit LOTSE_DEMO=1 geladen.")
        try:
            summary = blueprint_load(name, demo=demo)
        except (ImproperlyConfigured, ValidationError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Bauplan „{name}“ geladen."))
        for line in summary:
            self.stdout.write(f"  {line}")
