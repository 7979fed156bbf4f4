"""``manage.py council_report --year 2025 --out bericht.pdf``: the council report as a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.reports import exports, periods, selectors


class Command(BaseCommand):
    help = (
        "Schreibt den Bericht an den Rat für ein Jahr: PDF (Standard), XLSX (ein Blatt je Abschnitt) "
        "oder CSV (offene Daten). Nur Summen, kleine Zahlen als „< 5“."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="Berichtsjahr, z. B. 2025")
        parser.add_argument("--out", required=True, help="Datei, in die der Bericht geschrieben wird")
        parser.add_argument("--format", default="pdf", choices=["pdf", "xlsx", "csv"])
        parser.add_argument(
            "--organisation",
            default="",
            help="Kurzkennung der Organisation, z. B. stadt-weissenfels "
            "(nötig, wenn eine Installation mehreren dient)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = str(options["year"]).strip()
        if not text.isdigit():
            raise CommandError(f"„{text}“ ist kein Jahr. Bitte ein Jahr wie 2025 angeben.")
        try:
            year = periods.year(int(text))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        try:
            organisation = selectors.organisation_for_report(options["organisation"] or None)
        except LookupError as error:
            raise CommandError(str(error)) from error
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"Das Verzeichnis {out.parent} gibt es nicht.")
        report = selectors.council_report(organisation, year)
        chosen = options["format"]
        if chosen == "pdf":
            out.write_bytes(exports.report_pdf(report))
        elif chosen == "xlsx":
            out.write_bytes(exports.report_xlsx(report))
        else:
            out.write_text(exports.report_csv(report), encoding="utf-8")
        note = " Für dieses Jahr liegen keine Zahlen vor; der Bericht sagt das." if report.empty else ""
        self.stdout.write(
            f"Bericht an den Rat {year.label} für {organisation.name} geschrieben: {out}.{note}"
        )
