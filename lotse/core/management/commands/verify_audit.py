from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.core.anchor import anchor_file, anchors_check
from lotse.core.audit import audit_verify


class Command(BaseCommand):
    help = (
        "Prüft die Hash-Kette des Protokolls und ihre Anker (gelöschte neueste Ereignisse); "
        "Exit-Code 1 beim ersten Fehler."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--anchors", type=Path, help="Anker-Datei (Standard: LOTSE_AUDIT_ANCHOR_FILE)")

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        if not report.intact:
            raise CommandError(
                f"Protokoll-Kette gebrochen bei Ereignis #{report.broken_event_id}: "
                f"{report.reason} ({report.events} Ereignisse davor sind intakt)."
            )
        path = options["anchors"] or anchor_file()
        if not path.exists():
            if options["anchors"]:
                raise CommandError(f"Die Anker-Datei {path} gibt es nicht.")
            self.stdout.write(
                self.style.WARNING(
                    f"Keine Anker-Datei ({path}): ob die neuesten Ereignisse gelöscht wurden, ist "
                    "nicht prüfbar. Richten Sie „manage.py audit_anchor“ als regelmäßigen Auftrag ein."
                )
            )
        else:
            anchors = anchors_check(path)
            if not anchors.intact:
                raise CommandError("Protokoll-Anker verletzt:\n" + "\n".join(anchors.problems))
            self.stdout.write(f"{anchors.anchors} Anker aus {path} stimmen.")
        self.stdout.write(self.style.SUCCESS(f"Protokoll intakt: {report.events} Ereignisse geprüft."))
