"""Revoke API tokens: one by its prefix, or all of one user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.api import selectors, services


class Command(BaseCommand):
    help = "Sperrt ein API-Token (nach seiner Kennung) oder alle Tokens eines Kontos (--user)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("prefix", nargs="?", default="", help="Kennung des Tokens, z. B. 3f9a1c0d")
        parser.add_argument("--user", default="", help="alle Tokens dieses Kontos sperren")

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["prefix"]) == bool(options["user"]):
            raise CommandError("Bitte entweder die Kennung eines Tokens oder --user BENUTZERNAME angeben.")
        if options["prefix"]:
            token = selectors.token_by_prefix(options["prefix"])
            if token is None:
                raise CommandError(f"Ein Token mit der Kennung „{options['prefix']}“ gibt es nicht.")
            tokens = [token]
        else:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Ein Konto „{options['user']}“ gibt es nicht.")
            tokens = [t for t in selectors.tokens_of(user) if t.revoked_at is None]
        for token in tokens:
            services.api_token_revoke(actor=None, token=token)
            self.stdout.write(f"Token {token.prefix} gesperrt.")
        if not tokens:
            self.stdout.write("Keine offenen Tokens gefunden.")
