"""Writes to the person register: create, update, merge. Each audited, each keeps the
match keys current so that the next lookup finds the person."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from lotse.accounts import policy
from lotse.accounts.models import Organisation
from lotse.accounts.roles import Capability
from lotse.core.audit import audit_record, snapshot
from lotse.core.models import AuditEvent
from lotse.core.services import audited_create, audited_update
from lotse.people.duplicates import keys_of, records_of
from lotse.people.matching import PartialDate
from lotse.people.models import Building, Dwelling, Person, PersonMatchKey, PersonNote

# Sent inside the merge transaction: apps that point at persons (interviews, cases) move
# their rows from ``merged`` to ``kept``. Receivers get ``kept``, ``merged`` and ``actor``.
person_merged = Signal()

# Fields the clerk edits directly (the rest is derived or set by the services).
PERSON_FIELDS = (
    "given_names",
    "family_name",
    "birth_name",
    "given_names_original",
    "family_name_original",
    "sex",
    "nationalities",
    "languages",
    "phone",
    "email",
    "relationship",
    "move_in_date",
    "previous_country",
    "register_id",
)


@dataclass
class Address:
    street: str
    house_number: str
    postcode: str
    city: str
    dwelling_label: str = ""
    district: str = ""

    @property
    def empty(self) -> bool:
        return not (self.street or self.house_number or self.postcode or self.city)


@dataclass
class PersonInput:
    """What a form, an import row or a test says about a person."""

    given_names: str
    family_name: str
    birth_date: PartialDate | None = None
    address: Address | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def model_values(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "given_names": self.given_names.strip(),
            "family_name": self.family_name.strip(),
        }
        data.update({k: v for k, v in self.values.items() if k in PERSON_FIELDS})
        date = self.birth_date
        data.update(
            birth_year=date.year if date else None,
            birth_month=date.month if date else None,
            birth_day=date.day if date else None,
            birth_date_placeholder=bool(date and date.placeholder),
        )
        if date and date.placeholder:
            data.update(birth_month=1, birth_day=1)
        nationalities: list[str] = data.get("nationalities") or []
        data["primary_nationality"] = nationalities[0] if nationalities else ""
        if data.get("register_id") == "":
            data["register_id"] = None
        return data


def _require_register_right(actor: Any, organisation: Organisation) -> None:
    # ``actor=None`` is the system (register import job, blueprint demo data).
    if actor is not None and organisation.pk not in policy.register_organisation_ids(
        actor, Capability.EDIT_CASES
    ):
        raise PermissionDenied


def dwelling_for(address: Address | None) -> Dwelling | None:
    """The dwelling at an address, created on first mention."""
    if address is None or address.empty:
        return None
    missing = [
        label
        for label, value in [
            (_("Straße"), address.street),
            (_("Hausnummer"), address.house_number),
            (_("Postleitzahl"), address.postcode),
            (_("Ort"), address.city),
        ]
        if not value.strip()
    ]
    if missing:
        raise ValidationError(
            {"street": _("Zur Anschrift fehlt: %(fields)s.") % {"fields": ", ".join(missing)}}
        )
    building, _created = Building.objects.get_or_create(
        street=address.street.strip(),
        house_number=address.house_number.strip(),
        postcode=address.postcode.strip(),
        defaults={"city": address.city.strip(), "district": address.district.strip()},
    )
    dwelling, _created = Dwelling.objects.get_or_create(
        building=building, label=address.dwelling_label.strip() or _("ohne Angabe")
    )
    return dwelling


def match_keys_refresh(person: Person) -> None:
    """Derived data, not audited: the keys follow from the audited fields."""
    PersonMatchKey.objects.filter(person=person).delete()
    if person.merged_into_id is None:
        PersonMatchKey.objects.bulk_create(
            PersonMatchKey(person=person, key=key) for key in sorted(keys_of(records_of(person)))
        )


@transaction.atomic
def person_create(*, actor: Any, organisation: Organisation, data: PersonInput) -> Person:
    _require_register_right(actor, organisation)
    person = Person(organisation=organisation, dwelling=dwelling_for(data.address), **data.model_values())
    audited_create(actor=actor, instance=person)
    match_keys_refresh(person)
    return person


@transaction.atomic
def person_update(*, actor: Any, person: Person, data: PersonInput) -> dict[str, list[Any]]:
    _require_register_right(actor, person.organisation)
    if person.merged_into_id is not None:
        raise ValidationError(_("Dieser Eintrag wurde mit einem anderen zusammengeführt."))
    values = data.model_values()
    if data.address is not None:
        values["dwelling"] = dwelling_for(data.address)
    _person, changes = audited_update(actor=actor, instance=person, data=values)
    if changes:
        match_keys_refresh(person)
    return changes


@transaction.atomic
def person_merge(*, actor: Any, kept: Person, merged: Person) -> Person:
    """Two records of one person become one: ``kept`` stays, ``merged`` points to it.

    Empty fields of ``kept`` are filled from ``merged``; everything ``merged`` said is kept as
    history on ``kept``; both keep their audit events. Irreversible only in the sense that
    ``merged`` disappears from lists and lookups — its row and history remain.
    """
    kept = Person.objects.select_for_update().get(pk=kept.pk)
    merged = Person.objects.select_for_update().get(pk=merged.pk)
    if kept.pk == merged.pk:
        raise ValidationError(_("Eine Person kann nicht mit sich selbst zusammengeführt werden."))
    if kept.organisation_id != merged.organisation_id:
        raise ValidationError(_("Nur Einträge desselben Registers lassen sich zusammenführen."))
    if kept.merged_into_id or merged.merged_into_id:
        raise ValidationError(_("Einer der Einträge ist schon zusammengeführt."))
    _require_register_right(actor, kept.organisation)

    fill = {
        name: getattr(merged, name)
        for name in (*PERSON_FIELDS, "dwelling_id", "household_id")
        if getattr(kept, name) in (None, "", []) and getattr(merged, name) not in (None, "", [])
    }
    if _date_precision(merged) > _date_precision(kept):
        # The more precise birth date as a whole, never the day of one and the year of another.
        fill.update(
            birth_year=merged.birth_year,
            birth_month=merged.birth_month,
            birth_day=merged.birth_day,
            birth_date_placeholder=merged.birth_date_placeholder,
        )
    register_id = fill.pop("register_id", None)
    PersonNote.objects.create(
        person=kept,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        kind="merged",
        data={"person_id": merged.pk, "record": snapshot(merged)},
    )
    audited_update(
        actor=actor,
        instance=merged,
        data={"merged_into": kept, "register_id": None if register_id else merged.register_id},
    )
    if register_id:
        fill["register_id"] = register_id
    if "nationalities" in fill:
        fill["primary_nationality"] = fill["nationalities"][0]
    audited_update(actor=actor, instance=kept, data=fill)
    person_merged.send(sender=Person, kept=kept, merged=merged, actor=actor)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=kept,
        changes={"merged_from": [None, merged.pk]},
    )
    match_keys_refresh(merged)
    match_keys_refresh(kept)
    return kept


def _date_precision(person: Person) -> int:
    """0 unknown, 1 year (or the 01.01. placeholder), 2 month and year, 3 full date."""
    if person.birth_year is None:
        return 0
    if person.birth_date_placeholder or person.birth_month is None:
        return 1
    return 2 if person.birth_day is None else 3
