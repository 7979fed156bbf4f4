from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lotse.core.audit import audit_verify


class Command(BaseCommand):
    help = "Prüft die Hash-Kette des Protokolls; Exit-Code 1 beim ersten gebrochenen Ereignis."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        if not report.intact:
            raise CommandError(
                f"Protokoll-Kette gebrochen bei Ereignis #{report.broken_event_id}: "
                f"{report.reason} ({report.events} Ereignisse davor sind intakt)."
            )
        self.stdout.write(self.style.SUCCESS(f"Protokoll intakt: {report.events} Ereignisse geprüft."))
