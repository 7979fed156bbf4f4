from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.accounts.models import Organisation
from lotse.core.audit import audit_record
from lotse.core.models import AuditEvent
from lotse.people.models import Person
from lotse.privacy.subject_access import render_answer


class Command(BaseCommand):
    help = (
        "Auskunft nach Art. 15 DSGVO über eine Person als PDF oder JSON (nach der Endung von --out): "
        "alle Daten, die eine Organisation über sie speichert, Übermittlungen und Zugriffe."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("person_id", type=int)
        parser.add_argument("--out", type=Path, required=True, help="DATEI.pdf oder DATEI.json")
        parser.add_argument(
            "--organisation",
            help="Kurzname (slug) der auskunftgebenden Organisation (Standard: Register)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        kind = out.suffix.lower().lstrip(".")
        if kind not in {"pdf", "json"}:
            raise CommandError("--out muss auf .pdf oder .json enden.")
        person = Person._base_manager.filter(pk=options["person_id"]).first()
        if person is None:
            raise CommandError(f"Es gibt keine Person mit der Nummer {options['person_id']}.")
        slug = options["organisation"]
        organisation = Organisation.objects.filter(slug=slug).first() if slug else person.organisation
        if organisation is None:
            raise CommandError(f"Es gibt keine Organisation „{slug}“.")
        content = render_answer(person, organisation, kind)
        out.write_bytes(content)
        audit_record(
            actor=None,
            action=AuditEvent.Action.EXPORT,
            obj=person,
            changes={"subject_access": kind, "organisation": organisation.pk},
        )
        self.stdout.write(self.style.SUCCESS(f"Auskunft für Person {person.pk} geschrieben: {out}"))
