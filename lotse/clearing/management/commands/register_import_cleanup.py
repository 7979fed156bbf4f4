"""Discard register imports left lying and delete their files (run daily, e.g. by a timer)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lotse.clearing.services import register_imports_clean_up


class Command(BaseCommand):
    help = (
        "Verwirft Melderegister-Importe, die seit DAYS Tagen liegen geblieben sind (nicht gestartet, "
        "unterbrochen), und löscht ihre Dateien. / Discards register imports left lying for DAYS days."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=7, help="Alter in Tagen (Voreinstellung: 7)")

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        discarded = register_imports_clean_up(older_than=dt.timedelta(days=days))
        self.stdout.write(f"{discarded} liegen gebliebene Importe verworfen, ihre Dateien gelöscht.")
