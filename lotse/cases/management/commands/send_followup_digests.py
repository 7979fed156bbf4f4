"""Queue the daily e-mail of due follow-ups for every active user who has some (run once a
day, e.g. at 6:30 by cron or a systemd timer; docs/betrieb.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from lotse.cases.selectors.followups import users_with_due_followups
from lotse.cases.tasks import send_followup_digest


class Command(BaseCommand):
    help = (
        "Stellt für jede aktive Person mit fälligen oder überfälligen Wiedervorlagen die tägliche "
        "E-Mail in die Warteschlange (ein zweiter Lauf am selben Tag verschickt nichts doppelt). / "
        "Queues the daily follow-up e-mail for every active user with due follow-ups."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Stichtag JJJJ-MM-TT (Voreinstellung: heute)")

    def handle(self, *args: Any, date: str | None = None, **options: Any) -> None:
        try:
            today = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"Ungültiges Datum „{date}“; erwartet wird JJJJ-MM-TT.") from None
        count = 0
        for user_id in users_with_due_followups(today).values_list("pk", flat=True):
            send_followup_digest.enqueue(user_id, today.isoformat())
            count += 1
        self.stdout.write(
            f"{count} E-Mails mit fälligen Wiedervorlagen in die Warteschlange gestellt ({today:%d.%m.%Y})."
        )
