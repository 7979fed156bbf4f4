"""Issue an API token for a user; it is shown once and stored only as a hash."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.api import services


class Command(BaseCommand):
    help = (
        "Gibt ein API-Token für ein Konto aus. Das Token wird nur dieses eine Mal angezeigt; "
        "gespeichert wird nur ein Hashwert. Sperren mit revoke_token."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="Benutzername des Kontos, für das die API arbeitet")
        parser.add_argument("--label", default="", help="Wofür das Token ist, z. B. „Fachverfahren Schule“")
        parser.add_argument(
            "--days", type=int, default=None, help="Gültigkeit in Tagen (Standard: bis zur Sperrung)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Ein Konto „{options['username']}“ gibt es nicht.")
        try:
            token, raw = services.api_token_issue(
                actor=None, user=user, label=options["label"], valid_days=options["days"]
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        until = f", gültig bis {token.expires_at:%d.%m.%Y}" if token.expires_at else ""
        self.stderr.write(
            f"API-Token für „{user.get_username()}“ (Kennung {token.prefix}{until}). Es wird nur jetzt "
            "angezeigt; bitte sicher an die verantwortliche Stelle übergeben:"
        )
        self.stdout.write(raw)
