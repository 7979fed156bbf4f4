"""``manage.py council_report --year 2025 --out bericht.pdf``: the council report as a file.

The file appears whole or not at all: the report is written to a hidden file beside it
(``.bericht.pdf.<pid>.<random>.unfertig``), made durable and renamed over the destination in
one step. A run that is killed leaves the earlier report in place and its hidden file behind;
the next run for the same destination removes such files of runs that no longer live.
"""

from __future__ import annotations

import glob
import os
import tempfile
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
        _remove_leftovers(out)
        # Opened before the report is made: an unwritable directory fails at once, not after it.
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below, then renamed)
            dir=out.parent, prefix=f".{out.name}.{os.getpid()}.", suffix=".unfertig", delete=False
        )
        partial = Path(handle.name)
        try:
            with handle:
                report = selectors.council_report(organisation, year)
                chosen = options["format"]
                if chosen == "pdf":
                    handle.write(exports.report_pdf(report))
                elif chosen == "xlsx":
                    handle.write(exports.report_xlsx(report))
                else:
                    handle.write(exports.report_csv(report).encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
            partial.chmod(0o666 & ~_umask())  # as an ordinary new file, not the 0600 of a temporary one
            os.replace(partial, out)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        note = " Für dieses Jahr liegen keine Zahlen vor; der Bericht sagt das." if report.empty else ""
        self.stdout.write(
            f"Bericht an den Rat {year.label} für {organisation.name} geschrieben: {out}.{note}"
        )


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove_leftovers(out: Path) -> None:
    """Hidden files of earlier runs for ``out`` whose process is gone (killed mid-report)."""
    for leftover in out.parent.glob(f".{glob.escape(out.name)}.*.unfertig"):
        pid = leftover.name[len(out.name) + 2 :].split(".", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            leftover.unlink(missing_ok=True)
        except PermissionError:
            pass  # alive, another user's
