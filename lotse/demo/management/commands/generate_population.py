"""``manage.py generate_population --persons N --seed S``: a synthetic population at scale."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from lotse.accounts.models import Organisation, Unit
from lotse.core.blueprints import blueprint_load
from lotse.demo import bulk


class Command(BaseCommand):
    help = (
        "Erzeugt eine erfundene Bevölkerung in großer Zahl über alle Bereiche (Register mit "
        "bekannten Dubletten, Haushalte, Wohnungen und Kontrollen, Ankunftsgespräche, "
        "Verweisungen, Schulwege, Fallakten, Anmeldungen, Protokoll) – für Lasttests und "
        "Messungen, nie in einer Installation mit echten Daten."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, required=True, help="Zahl der Personen, z. B. 100000")
        parser.add_argument("--seed", type=int, default=1, help="Startwert: derselbe gibt dieselben Daten")
        parser.add_argument(
            "--organisation",
            help="Kurzname (slug) der Organisation, in deren Register die Personen kommen "
            "(ohne Angabe: die Organisation der Clearingstelle)",
        )
        parser.add_argument(
            "--duplicates", type=float, default=0.1, help="Anteil der Personen mit einem zweiten Eintrag"
        )
        parser.add_argument(
            "--append",
            action="store_true",
            help="Zu einer schon erzeugten Bevölkerung eine weitere hinzufügen",
        )

    def handle(self, *args: Any, persons: int, seed: int, organisation: str | None, duplicates: float,
               append: bool, **options: Any) -> None:  # fmt: skip
        if not (settings.LOTSE_DEMO or settings.DEBUG):
            raise CommandError(
                "Eine erfundene Bevölkerung wird nur mit LOTSE_DEMO=1 oder LOTSE_DEBUG=1 erzeugt – "
                "nie in einer Installation mit echten Daten."
            )
        if persons < 1:
            raise CommandError("--persons muss mindestens 1 sein.")
        if not 0 <= duplicates <= 1:
            raise CommandError("--duplicates ist ein Anteil zwischen 0 und 1, z. B. 0.1.")
        runs = bulk.existing_runs()
        if runs and not append:
            raise CommandError(
                "In dieser Datenbank gibt es schon eine erzeugte Bevölkerung. Ein zweiter Lauf "
                "würde jede Person doppelt anlegen; nichts wurde geschrieben. Wer wirklich eine "
                "weitere hinzufügen will, ruft den Befehl mit --append auf."
            )
        if not Organisation.objects.exists():
            self.stdout.write("Leere Datenbank: lade zuerst den Bauplan „weissenfels“.")
            blueprint_load("weissenfels", demo=False)
        try:
            summary = bulk.generate(
                persons=persons,
                seed=seed,
                organisation=organisation,
                duplicate_rate=duplicates,
                progress=self.stdout.write,
            )
        except Organisation.DoesNotExist as error:
            raise CommandError(
                f"Die Organisation „{organisation}“ gibt es nicht."
                if organisation
                else "Keine Clearingstelle führt ein Register; bitte --organisation angeben."
            ) from error
        except Unit.DoesNotExist as error:
            raise CommandError(
                "Diese Organisation hat keine Clearingstelle, in deren Register Personen kommen könnten."
            ) from error
        except DatabaseError as error:
            raise CommandError(f"Die Datenbank hat das Schreiben abgelehnt: {error}") from error
        rate = summary.total_rows / max(summary.seconds, 1e-9)
        self.stdout.write(
            self.style.SUCCESS(
                f"{bulk.number(summary.persons)} Personen mit {bulk.number(len(summary.duplicate_pairs))} "
                f"bekannten Dubletten; {bulk.number(summary.total_rows)} Zeilen in "
                f"{summary.seconds:.1f} s ({bulk.number(rate)} Zeilen/s)."
            )
        )
        for table, count in sorted(summary.rows.items()):
            self.stdout.write(f"  {table}: {bulk.number(count)}")
