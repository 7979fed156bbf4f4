from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lotse.core.crypto import encrypt_rows, encrypted_fields


class Command(BaseCommand):
    help = (
        "Verschlüsselt alle verschlüsselten Texte neu mit dem neuesten Schlüssel aus "
        "LOTSE_ENCRYPTION_KEYS (danach kann ein alter Schlüssel entfallen)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=500, help="Zeilen je Abfrage (Standard 500)")

    def handle(self, *args: Any, **options: Any) -> None:
        by_model: dict[Any, list[str]] = {}
        for model, field in encrypted_fields():
            by_model.setdefault(model, []).append(field.name)
        total = 0
        for model, names in by_model.items():
            written = encrypt_rows(model, names, batch=options["batch"])
            total += written
            self.stdout.write(f"{model._meta.verbose_name_plural}: {written} Zeilen neu verschlüsselt")
        self.stdout.write(self.style.SUCCESS(f"Fertig: {total} Zeilen mit dem neuesten Schlüssel."))
