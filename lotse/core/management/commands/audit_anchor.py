from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lotse.core.anchor import anchor_file, anchor_set


class Command(BaseCommand):
    help = (
        "Verankert das Ende der Protokoll-Kette außerhalb der Datenbank (LOTSE_AUDIT_ANCHOR_FILE "
        "und Betriebsprotokoll); regelmäßig per Zeitplan und bei Bedarf aufrufen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, help="Anker-Datei (Standard: LOTSE_AUDIT_ANCHOR_FILE)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["file"] or anchor_file()
        anchor = anchor_set(path)
        if anchor is None:
            self.stdout.write("Das Protokoll ist leer; nichts zu verankern.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Verankert: Ereignis #{anchor.event_id} ({anchor.events} Ereignisse) in {path}."
            )
        )
