"""Apply the retention rules: delete or anonymise what is due, write the deletion log
(decision 0027). Run once a day by cron or a systemd timer (docs/betrieb.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lotse.core.retention import kind
from lotse.privacy.retention import retention_apply
from lotse.privacy.tasks import apply_retention


class Command(BaseCommand):
    help = (
        "Löscht oder anonymisiert, was nach den Aufbewahrungsregeln fällig ist, und schreibt das "
        "Löschprotokoll (ohne Personendaten). / Applies the retention rules and writes the deletion log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="nur zählen, nichts ändern")
        parser.add_argument("--date", help="Stichtag JJJJ-MM-TT (Voreinstellung: heute)")
        parser.add_argument(
            "--enqueue", action="store_true", help="als Aufgabe des Hintergrunddienstes ausführen lassen"
        )

    def handle(self, *args: Any, dry_run: bool = False, date: str | None = None, **options: Any) -> None:
        try:
            today = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"Ungültiges Datum „{date}“; erwartet wird JJJJ-MM-TT.") from None
        if today > timezone.localdate() and not dry_run:
            raise CommandError(
                f"Der Stichtag {today:%d.%m.%Y} liegt in der Zukunft; so würde zu früh gelöscht. "
                "Ein Probelauf (--dry-run) darf in die Zukunft schauen."
            )
        if options.get("enqueue"):
            if dry_run:
                raise CommandError("Ein Probelauf läuft direkt, nicht im Hintergrunddienst.")
            apply_retention.enqueue(today.isoformat())
            self.stdout.write(f"Löschlauf zum {today:%d.%m.%Y} in die Warteschlange gestellt.")
            return
        result = retention_apply(today=today, dry_run=dry_run)
        heading = "Probelauf (nichts geändert)" if dry_run else "Löschlauf"
        self.stdout.write(f"{heading} zum Stichtag {today:%d.%m.%Y}:")
        for entry in result.results:
            verb = {"delete": "gelöscht", "anonymise": "anonymisiert"}.get(entry.action, entry.action)
            if dry_run:
                verb = "fällig, würden " + verb
            due = (
                f", fällig seit {entry.oldest_due:%d.%m.%Y} bis {entry.newest_due:%d.%m.%Y}"
                if entry.oldest_due and entry.newest_due
                else ""
            )
            self.stdout.write(
                f"  {entry.label}: {entry.count} {verb}{due}; "
                f"{entry.held} wegen Löschsperre behalten; {entry.blocked} noch verbunden"
            )
        for key in result.without_rule:
            declared = kind(key)
            self.stdout.write(f"  {declared.label if declared else key}: keine Regel – bleibt unverändert")
