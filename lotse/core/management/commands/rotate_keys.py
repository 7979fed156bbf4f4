from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.core import files
from lotse.core.crypto import encrypt_rows, encrypted_fields


class Command(BaseCommand):
    help = (
        "Verschlüsselt alle verschlüsselten Texte und alle gespeicherten Dateien neu mit dem "
        "neuesten Schlüssel aus LOTSE_ENCRYPTION_KEYS (danach kann ein alter Schlüssel entfallen)."
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
        damaged: list[str] = []
        rewritten = 0
        for entry in files.registered():
            # A missing key stops here (FileKeyMissing names it); nothing is half-written:
            # each file is replaced whole, and a second run continues where this one stopped.
            result = files.rotate(entry, batch=options["batch"])
            rewritten += result.rewritten
            damaged += result.damaged or []
            missing = f", {result.missing} fehlen" if result.missing else ""
            self.stdout.write(
                f"Dateien ({entry.model._meta.verbose_name_plural}): {result.rewritten} neu verschlüsselt, "
                f"{result.current} schon mit dem neuesten Schlüssel{missing}"
            )
        if damaged:
            raise CommandError(
                f"{len(damaged)} Dateien sind beschädigt oder nicht mehr die hochgeladenen und blieben, "
                f"wie sie sind: {', '.join(damaged[:10])}. Bitte aus der Sicherung prüfen; bis dahin "
                "darf der alte Schlüssel nicht entfallen."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Fertig: {total} Zeilen und {rewritten} Dateien mit dem neuesten Schlüssel "
                f"(Kennung {files.keys()[0][0]})."
            )
        )
