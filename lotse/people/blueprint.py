"""The people part of a blueprint: in demo mode, a made-up register of the Neustadt."""

from __future__ import annotations

import random
import re
from typing import Any

from anyascii import anyascii

from lotse.accounts.models import Organisation
from lotse.people import services
from lotse.people.matching import PersonRecord
from lotse.people.models import Person
from lotse.people.synthetic import generate

_HOUSE_NUMBER = re.compile(r"^(?P<street>.*?)\s+(?P<number>\d+\s*[a-zA-Z]?)$")
_DWELLINGS = ["EG links", "EG rechts", "1. OG links", "1. OG rechts", "2. OG links", "2. OG rechts", "DG"]
_LANGUAGES = {
    "RO": ["ro"],
    "BG": ["bg"],
    "PL": ["pl"],
    "UA": ["uk", "ru"],
    "RU": ["ru"],
    "HU": ["hu"],
    "SY": ["ar"],
    "TR": ["tr"],
    "DE": ["de"],
}


def load(data: dict[str, Any], *, demo: bool) -> list[str]:
    if not demo or not data.get("demo"):
        return []
    settings = data["demo"]
    organisation = Organisation.objects.get(slug=settings["organisation"])
    records, _pairs = generate(
        settings["persons"], duplicate_rate=settings["duplicate_rate"], seed=settings["seed"]
    )
    existing = set(Person.objects.filter(organisation=organisation).values_list("register_id", flat=True))
    rng = random.Random(settings["seed"])  # noqa: S311 (made-up demo data, not security)
    created = 0
    for record in records:
        if record.id in existing:
            continue
        services.person_create(actor=None, organisation=organisation, data=_input(record, rng))
        created += 1
    return [f"{created} Personen im Register von {organisation}"] if created else []


def _latin(text: str) -> tuple[str, str]:
    """(Latin, original) for names written in another script, else (text, "")."""
    if text and not text.isascii() and anyascii(text) != text and any(ord(c) > 0x24F for c in text):
        return anyascii(text), text
    return text, ""


def _input(record: PersonRecord, rng: random.Random) -> services.PersonInput:
    given, given_original = _latin(record.given_names)
    family, family_original = _latin(record.family_name)
    match = _HOUSE_NUMBER.match(record.street)
    address = (
        services.Address(
            street=match["street"],
            house_number=match["number"],
            postcode=record.postcode,
            city=record.city,
            dwelling_label=rng.choice(_DWELLINGS),
            district="Neustadt" if record.city == "Weißenfels" else "",
        )
        if match and record.postcode and record.city
        else None
    )
    nationality = record.nationality if len(record.nationality) == 2 else ""
    return services.PersonInput(
        given_names=given,
        family_name=family,
        birth_date=record.birth_date,
        address=address,
        values={
            "given_names_original": given_original,
            "family_name_original": family_original,
            "birth_name": record.birth_name,
            "sex": record.sex if record.sex in ("f", "m") else "u",
            "nationalities": [nationality] if nationality else [],
            "languages": _LANGUAGES.get(nationality, []),
            "previous_country": nationality if nationality != "DE" else "",
            "register_id": record.id,
        },
    )
