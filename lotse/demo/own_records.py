"""Demo own records (docs/decisions/0018): persons a unit without the register entered
itself, for its own organisation, and the case files it opened for them without a referral
— the integration officer of Wietze, a small municipality. Written through the services as
the worker would; does nothing if the unit already has own records."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from lotse.accounts.models import Unit, User
from lotse.cases.services import case_files
from lotse.people import services
from lotse.people.matching import parse_birth_date
from lotse.people.models import Person
from lotse.people.services import PersonInput


def own_records_load(entries: list[dict[str, Any]]) -> list[str]:
    lines = []
    for entry in entries:
        unit = Unit.objects.get(slug=entry["unit"])
        if Person.objects.filter(kept_by=unit).exists():
            continue
        worker = User.objects.select_related("organisation").get(username=entry["worker"])
        organisation = worker.organisation
        if organisation is None:
            raise ImproperlyConfigured(f"Eigene Akten: {worker.username} gehört zu keiner Organisation")
        cases = 0
        for record in entry["persons"]:
            person = services.person_create(
                actor=worker,
                organisation=organisation,
                kept_by=unit,
                data=PersonInput(
                    given_names=record["given_names"],
                    family_name=record["family_name"],
                    birth_date=parse_birth_date(str(record["birth_date"]))
                    if record.get("birth_date")
                    else None,
                    values={
                        key: record[key] for key in ("sex", "nationalities", "languages") if key in record
                    },
                ),
            )
            if record.get("case"):
                case_files.case_file_open(actor=worker, owner_unit=unit, person=person, title=record["case"])
                cases += 1
        lines.append(
            f"{len(entry['persons'])} Personen und {cases} Fallakten in den eigenen Akten von {unit}"
        )
    return lines
