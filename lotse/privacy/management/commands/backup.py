"""``manage.py backup PATH``: database, documents and manifest in one .tar file (decision 0024)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from lotse.privacy.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Schreibt eine Sicherung (Datenbank, Dokumente, Verzeichnis mit Prüfsummen) als .tar-Datei; "
        "PFAD ist ein Verzeichnis (neue Datei lotse-sicherung-<Zeit>.tar) oder ein Dateiname auf .tar."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="Verzeichnis oder Datei (…/name.tar)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_write(options["path"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        except DatabaseError as error:
            raise CommandError(f"Die Datenbank ist nicht erreichbar oder lehnt ab: {error}") from error
        except OSError as error:
            raise CommandError(
                f"Die Sicherung ist gescheitert: {error}. Eine halbe Sicherung bleibt nicht liegen."
            ) from error
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        manifest = result.manifest
        audit = manifest["audit"]
        events = (
            f"{audit['events']} Protokoll-Ereignisse bis #{audit['newest_id']}"
            if audit["newest_id"] is not None
            else "Protokoll leer"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Sicherung geschrieben: {result.path} ({manifest['database']['vendor']}, "
                f"{len(manifest['files']) - 1} Dokumente, {events})."
            )
        )
