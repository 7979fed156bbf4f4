"""``manage.py restore PATH``: a backup of ``manage.py backup`` into an empty database (decision 0024)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from lotse.core.anchor import anchor_file
from lotse.privacy.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Spielt eine Sicherung in eine neu angelegte, leere Datenbank und ein leeres "
        "Dokumentenverzeichnis zurück; prüft vorher alle Prüfsummen und danach die Protokoll-Kette."
    )
    # The system checks open the database; a SQLite file that is not there yet must stay so
    # until every check of the backup has passed.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="die .tar-Datei von „manage.py backup“")

    def handle(self, *args: Any, **options: Any) -> None:
        def migrate() -> None:
            self.stdout.write("Die Sicherung stammt aus einer älteren Version; Migrationen laufen …")
            call_command("migrate", interactive=False, verbosity=max(options["verbosity"] - 1, 0))

        try:
            result = restore_backup(options["path"], migrate=migrate)
        except BackupError as error:
            raise CommandError(str(error)) from error
        except DatabaseError as error:
            raise CommandError(f"Die Datenbank ist nicht erreichbar oder lehnt ab: {error}") from error
        except OSError as error:
            raise CommandError(f"Das Zurückspielen ist gescheitert: {error}") from error
        manifest = result.manifest
        audit = manifest["audit"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Sicherung vom {manifest['created_at']} zurückgespielt: "
                f"{len(manifest['files']) - 1} Dokumente; Protokoll intakt, {result.audit_events} "
                f"Ereignisse" + (f" bis #{audit['newest_id']}." if audit["newest_id"] is not None else ".")
            )
        )
        if result.migrated:
            self.stdout.write(f"Nachgezogene Migrationen: {', '.join(result.migrated)}.")
        self.stdout.write(
            self.style.WARNING(
                "Wichtig: Anker der Protokoll-Kette, die nach dieser Sicherung gesetzt wurden, passen "
                f"nicht mehr. Legen Sie die Anker-Datei ({anchor_file()}) beiseite (nicht löschen), "
                "vermerken Sie die Wiederherstellung und setzen Sie jetzt einen neuen Anker: "
                "manage.py audit_anchor"
            )
        )
