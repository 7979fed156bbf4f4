from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from lotse.accounts import services
from lotse.accounts.models import Organisation, Unit, User
from lotse.accounts.roles import Role


class Command(BaseCommand):
    help = (
        "Legt ein Konto mit einer Rolle an, z. B. die erste Administration einer Behörde, "
        "und schickt den Link zum Festlegen des Passworts per E-Mail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--organisation", required=True, help="Kurzkennung, z. B. stadt-weissenfels")
        parser.add_argument("--unit", required=True, help="Kurzkennung der Einheit, z. B. it-stadt")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--domain",
            default="",
            help="Adresse von Lotse für den Link, z. B. lotse.weissenfels.de "
            "(Standard: der erste Eintrag aus LOTSE_ALLOWED_HOSTS)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            known = ", ".join(Organisation.objects.values_list("slug", flat=True)) or "keine"
            raise CommandError(f"Organisation „{options['organisation']}“ gibt es nicht. Vorhanden: {known}.")
        unit = Unit.objects.filter(slug=options["unit"]).first()
        if unit is None:
            raise CommandError(f"Einheit „{options['unit']}“ gibt es nicht.")
        if User.objects.filter(username__iexact=options["username"]).exists():
            raise CommandError(f"Den Benutzernamen „{options['username']}“ gibt es schon.")
        domain = options["domain"] or next(
            (h for h in settings.ALLOWED_HOSTS if h not in {"*", ""}), "127.0.0.1:8000"
        )
        try:
            with transaction.atomic():
                user = services.user_create(
                    actor=None,
                    username=options["username"],
                    organisation=organisation,
                    password=None,
                    first_name=options["first_name"],
                    last_name=options["last_name"],
                    email=options["email"],
                )
                services.membership_create(actor=None, user=user, unit=unit, role=options["role"])
                services.account_invitation_send(user=user, domain=domain, use_https=not settings.DEBUG)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Konto „{user.username}“ ({Role(options['role']).label}, {unit}) angelegt; "
                f"der Link zum Festlegen des Passworts ging an {user.email}."
            )
        )
