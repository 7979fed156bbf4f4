"""The demo register: a made-up population of the place (``population.generate_with_households``)
written into the population register through the people services, with couples and families
as households and a few persons registered twice for the Clearingstelle to merge.

Persons are found by their register id, so loading again adds only what is missing.
"""

from __future__ import annotations

import random
import re
from typing import Any

from anyascii import anyascii

from lotse.accounts.models import Organisation
from lotse.demo.datafiles import read_data
from lotse.demo.population import Membership, Place, generate_with_households, place
from lotse.people import services
from lotse.people.matching import PersonRecord
from lotse.people.models import Person

_HOUSE_NUMBER = re.compile(r"^(?P<street>.*?)\s+(?P<number>\d+\s*[a-zA-Z]?)$")

# The order in which a household is built: the head founds it, the others join.
_ROLES = ("head", "partner", "child")

RegisterEntry = tuple[PersonRecord, services.PersonInput, Membership | None]


def register_load(settings: dict[str, Any]) -> list[str]:
    """``settings``: ``organisation`` (whose register), ``place``, ``persons``, ``duplicate_rate``
    and ``seed``."""
    organisation = Organisation.objects.get(slug=settings["organisation"])
    register = demo_register(settings)
    existing = set(Person.objects.filter(organisation=organisation).values_list("register_id", flat=True))
    created = 0
    for record, person_input, _membership in register:
        if record.id in existing:
            continue
        services.person_create(actor=None, organisation=organisation, data=person_input)
        created += 1
    households = _households_create(organisation, register)
    lines = [f"{created} Personen im Register von {organisation}"] if created else []
    if households:
        lines.append(f"{households} Haushalte (Paare und Familien) im Register von {organisation}")
    return lines


def demo_register(settings: dict[str, Any]) -> list[RegisterEntry]:
    """The demo register as the blueprint loads it (also read by ``sample_export``): each
    record with its input and, for a first record, its generated household. The members of a
    household share one dwelling of the building."""
    return demo_register_with_pairs(settings)[0]


def demo_register_with_pairs(settings: dict[str, Any]) -> tuple[list[RegisterEntry], set[frozenset[str]]]:
    """``demo_register`` and the true duplicate pairs among its records (by register id); the
    generated population at scale (``lotse.demo.bulk``) is made of these."""
    where = place(settings.get("place", "weissenfels"))
    records, pairs, memberships = generate_with_households(
        settings["persons"], duplicate_rate=settings["duplicate_rate"], seed=settings["seed"], where=where
    )
    rng = random.Random(settings["seed"])  # noqa: S311 (made-up demo data, not security)
    labels: dict[int, str] = {}
    register = []
    for record in records:
        membership = memberships.get(record.id)
        label = None
        if membership is not None and membership.kind != "single" and _address_of(record):
            if membership.household not in labels:
                labels[membership.household] = rng.choice(where.dwellings)
            label = labels[membership.household]
        register.append((record, person_input(record, rng, where, dwelling_label=label), membership))
    return register, pairs


def _households_create(organisation: Organisation, register: list[RegisterEntry]) -> int:
    """Couples and families become households: father as head, mother as partner, the
    children as children (adult children too: they are the head's children). Flat mates and
    people living alone stay without one. Persons already in a household are left alone."""
    persons = {
        person.register_id: person
        for person in Person.objects.filter(
            organisation=organisation, merged_into__isnull=True, register_id__isnull=False
        )
    }
    groups: dict[int, list[tuple[str, Person]]] = {}
    for record, _input, membership in register:
        person = persons.get(record.id)
        if membership is None or membership.kind not in ("couple", "family") or person is None:
            continue
        if person.household_id is None and membership.role in _ROLES:
            groups.setdefault(membership.household, []).append((membership.role, person))
    created = 0
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda member: (_ROLES.index(member[0]), member[1].birth_year or 0))
        (role, founder), *others = members
        household = services.household_create(actor=None, person=founder, relationship=role)
        for role, person in others:
            if role == "head":  # never two heads (cannot happen with generated families)
                role = "relative"
            services.household_member_add(actor=None, household=household, person=person, relationship=role)
        created += 1
    return created


def _address_of(record: PersonRecord) -> bool:
    return bool(_HOUSE_NUMBER.match(record.street) and record.postcode and record.city)


def _latin(text: str) -> tuple[str, str]:
    """(Latin, original) for names written in another script, else (text, "")."""
    if text and not text.isascii() and anyascii(text) != text and any(ord(c) > 0x24F for c in text):
        return anyascii(text), text
    return text, ""


def languages_of(nationality: str) -> list[str]:
    """The languages a demo person of this nationality speaks (``data/nationalities.yaml``)."""
    return list((read_data("nationalities.yaml").get(nationality) or {}).get("languages", []))


def person_input(
    record: PersonRecord, rng: random.Random, where: Place, *, dwelling_label: str | None = None
) -> services.PersonInput:
    """The person as the register would have them; the dwelling drawn from ``rng`` unless
    given (members of one household share theirs)."""
    given, given_original = _latin(record.given_names)
    family, family_original = _latin(record.family_name)
    match = _HOUSE_NUMBER.match(record.street)
    address = (
        services.Address(
            street=match["street"],
            house_number=match["number"],
            postcode=record.postcode,
            city=record.city,
            dwelling_label=dwelling_label if dwelling_label is not None else rng.choice(where.dwellings),
            district=where.district if record.city == where.town else "",
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
            "languages": languages_of(nationality),
            "previous_country": nationality if nationality != "DE" else "",
            "register_id": record.id,
        },
    )
