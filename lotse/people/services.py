"""Writes to the person register: create, update, merge. Each audited, each keeps the
match keys current so that the next lookup finds the person."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from lotse.accounts.models import Organisation, Unit
from lotse.core import access
from lotse.core.audit import audit_record, snapshot
from lotse.core.models import AuditEvent
from lotse.core.services import audited_create, audited_update
from lotse.housing.models import Building, Dwelling
from lotse.people import merging
from lotse.people.duplicates import keys_of, records_of
from lotse.people.matching import PartialDate
from lotse.people.models import (
    Household,
    KnownNameToken,
    Person,
    PersonMatchKey,
    PersonNameToken,
    PersonNote,
)
from lotse.people.search import person_name_tokens

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


def _require_entry_right(actor: Any, organisation: Organisation, kept_by: Unit | None) -> None:
    """Enter a person into the register of ``organisation``, or into the own records of the
    unit ``kept_by``, held by the actor's employer (docs/decisions/0018)."""
    # ``actor=None`` is the system (register import job, blueprint demo data).
    if kept_by is not None and not kept_by.organisations.filter(pk=organisation.pk).exists():
        raise ValidationError(_("Eigene Akten führt eine Einheit nur für ihre eigene Organisation."))
    if actor is None:
        return
    if kept_by is None:
        access.require(actor, "keep_register", organisation)
    elif organisation.pk != actor.organisation_id or not access.can(actor, "keep_own_records", kept_by):
        raise PermissionDenied


def _require_change_right(actor: Any, record: Person | Household) -> None:
    """Change a person or household: the keepers of its register or of its own records."""
    if actor is not None:
        access.require(actor, "edit", record)


def _require_address_right(actor: Any) -> None:
    # Buildings and dwellings belong to no one register: whoever enters persons may add an address.
    if actor is not None:
        access.require(actor, "create", Person)


M = TypeVar("M", bound=models.Model)


def _find_or_create(*, actor: Any, model: type[M], lookup: dict[str, Any], defaults: dict[str, Any]) -> M:
    """The row of ``model`` matching ``lookup``, else a new one written by ``audited_create``.

    Like ``get_or_create``, safe when two requests add the same row at once: the one that
    loses the race finds the other's row, whether its validation already saw that row (the
    unique constraint's ValidationError) or only the database did (IntegrityError).
    """
    found = _existing(model, lookup)
    if found is not None:
        return found
    try:
        with transaction.atomic():  # a savepoint: a lost race leaves the caller's transaction usable
            return audited_create(actor=actor, instance=model(**lookup, **defaults))
    except (IntegrityError, ValidationError):
        found = _existing(model, lookup)
        if found is None:
            raise
        return found


def _existing(model: type[M], lookup: dict[str, Any]) -> M | None:
    return model._default_manager.filter(**lookup).first()


@transaction.atomic
def building_find_or_create(
    *,
    actor: Any,
    street: str,
    house_number: str,
    postcode: str,
    city: str,
    district: str = "",
    organisation_id: int | None = None,
) -> Building:
    """The building at street, house number and postcode; created (audited) on first mention.

    City and district are taken from the first mention only, and so is the authority it
    belongs to (the register's organisation that first names it, else the actor's employer;
    its housing inspection keeps the building).
    """
    _require_address_right(actor)
    return _find_or_create(
        actor=actor,
        model=Building,
        lookup={"street": street.strip(), "house_number": house_number.strip(), "postcode": postcode.strip()},
        defaults={
            "city": city.strip(),
            "district": district.strip(),
            "organisation_id": organisation_id or getattr(actor, "organisation_id", None),
        },
    )


# The label of a flat nobody named. Stored data are in the office's language, whatever language
# the clerk's screen is in: translated, each language would make a flat of its own.
NO_DWELLING_LABEL = "ohne Angabe"


@transaction.atomic
def dwelling_find_or_create(*, actor: Any, building: Building, label: str) -> Dwelling:
    """The dwelling ``label`` in ``building`` (no label: „ohne Angabe“); created (audited) on
    first mention."""
    _require_address_right(actor)
    return _find_or_create(
        actor=actor,
        model=Dwelling,
        lookup={"building": building, "label": label.strip() or NO_DWELLING_LABEL},
        defaults={},
    )


def dwelling_for(
    *, actor: Any, address: Address | None, organisation_id: int | None = None
) -> Dwelling | None:
    """The dwelling at an address, building and dwelling created on first mention; None for
    no address. Called by the person and household services inside their transaction."""
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
    building = building_find_or_create(
        actor=actor,
        street=address.street,
        house_number=address.house_number,
        postcode=address.postcode,
        city=address.city,
        district=address.district,
        organisation_id=organisation_id,
    )
    return dwelling_find_or_create(actor=actor, building=building, label=address.dwelling_label)


@dataclass(frozen=True)
class KeyChanges:
    added: int = 0
    removed: int = 0


def match_keys_refresh(person: Person) -> KeyChanges:
    """Derived data, not audited: the keys follow from the audited fields."""
    return match_keys_refresh_many([person])


def match_keys_refresh_many(persons: Iterable[Person]) -> KeyChanges:
    """Bring the stored keys of ``persons`` in line with the matching rules; five queries.

    Two kinds of derived keys: the blocking keys of the duplicate detection
    (``PersonMatchKey``) and the tokens of the name search (``PersonNameToken``,
    ``lotse.people.search``). Only the difference is written: unchanged keys stay, stale ones
    go, new ones come; a merged-away person keeps none. ``rebuild_match_keys`` runs this over
    the whole register in batches after the rules changed (load persons with
    ``dwelling__building``).
    """
    persons = list(persons)
    if not persons:
        return KeyChanges()
    match_keys = {
        person.pk: set() if person.merged_into_id is not None else keys_of(records_of(person))
        for person in persons
    }
    name_tokens = {
        person.pk: set() if person.merged_into_id is not None else person_name_tokens(person)
        for person in persons
    }
    added, removed = _sync_keys(PersonMatchKey, "key", match_keys)
    more, fewer = _sync_keys(PersonNameToken, "token", name_tokens)
    return KeyChanges(added=added + more, removed=removed + fewer)


def _sync_known_tokens(new: set[str], stale: set[str]) -> None:
    """The typo search's list of tokens that are somebody's name: new ones join, a stale one
    leaves once no person has it (two queries, only when tokens changed)."""
    if new:
        KnownNameToken.objects.bulk_create(
            [KnownNameToken(token=token) for token in sorted(new)], ignore_conflicts=True
        )
    if stale:
        still = PersonNameToken.objects.filter(token__in=stale).values("token")
        KnownNameToken.objects.filter(token__in=stale).exclude(token__in=still).delete()


def _sync_keys(
    model: type[PersonMatchKey] | type[PersonNameToken], column: str, wanted: dict[int, set[str]]
) -> tuple[int, int]:
    """Write the difference between the stored keys and ``wanted`` (person id → keys)."""
    stored: dict[int, dict[str, int]] = {pk: {} for pk in wanted}
    for key_id, person_id, key in model.objects.filter(person_id__in=wanted).values_list(
        "pk", "person_id", column
    ):
        stored[person_id][key] = key_id
    stale = [key_id for pk, keys in stored.items() for key, key_id in keys.items() if key not in wanted[pk]]
    new = [
        model(person_id=pk, **{column: key})
        for pk, keys in wanted.items()
        for key in sorted(keys - set(stored[pk]))
    ]
    stale_ids = set(stale)
    gone = {key for keys in stored.values() for key, key_id in keys.items() if key_id in stale_ids}
    if stale:
        model.objects.filter(pk__in=stale).delete()
    if new:
        model.objects.bulk_create(new)  # type: ignore[arg-type]
    if model is PersonNameToken:
        _sync_known_tokens({getattr(row, column) for row in new}, gone)
    return len(new), len(stale)


@transaction.atomic
def person_create(
    *, actor: Any, organisation: Organisation, data: PersonInput, kept_by: Unit | None = None
) -> Person:
    """A new person in the register of ``organisation``, or (``kept_by``) in that unit's own
    records, held by ``organisation``."""
    _require_entry_right(actor, organisation, kept_by)
    values = data.model_values()
    if kept_by is not None and values.get("register_id"):
        raise ValidationError({"register_id": _("Eigene Akten haben keine Kennung im Melderegister.")})
    dwelling = dwelling_for(actor=actor, address=data.address, organisation_id=organisation.pk)
    person = Person(organisation=organisation, kept_by=kept_by, dwelling=dwelling, **values)
    audited_create(actor=actor, instance=person)
    match_keys_refresh(person)
    return person


def _same_dwelling(person: Person, address: Address) -> Dwelling | None:
    """The person's dwelling if ``address`` names it (as ``dwelling_for`` would find it), without
    asking the database when it is loaded already (the register import loads it with the person)."""
    if person.dwelling_id is None or not Person.dwelling.is_cached(person):
        return None
    dwelling = person.dwelling
    assert dwelling is not None
    building = dwelling.building if Dwelling.building.is_cached(dwelling) else None
    # An incomplete address is dwelling_for's to refuse, with what is missing.
    if building is None or not address.city.strip():
        return None
    same = (building.street, building.house_number, building.postcode, dwelling.label) == (
        address.street.strip(),
        address.house_number.strip(),
        address.postcode.strip(),
        address.dwelling_label.strip() or NO_DWELLING_LABEL,
    )
    return dwelling if same else None


@transaction.atomic
def person_update(*, actor: Any, person: Person, data: PersonInput) -> dict[str, list[Any]]:
    _require_change_right(actor, person)
    if person.merged_into_id is not None:
        raise ValidationError(_("Dieser Eintrag wurde mit einem anderen zusammengeführt."))
    values = data.model_values()
    if person.kept_by_id is not None and values.get("register_id"):
        raise ValidationError({"register_id": _("Eigene Akten haben keine Kennung im Melderegister.")})
    if data.address is not None:
        values["dwelling"] = _same_dwelling(person, data.address) or dwelling_for(
            actor=actor, address=data.address, organisation_id=person.organisation_id
        )
    _person, changes = audited_update(actor=actor, instance=person, data=values)
    if changes:
        match_keys_refresh(person)
    return changes


@transaction.atomic
def person_merge(*, actor: Any, kept: Person, merged: Person) -> Person:
    """Two records of one person become one: ``kept`` stays, ``merged`` points to it.

    Empty fields of ``kept`` are filled from ``merged``; everything ``merged`` said is kept as
    history on ``kept``; both keep their audit events; every record of every app that named
    ``merged`` names ``kept`` afterwards (``lotse.people.merging``). Irreversible only in the
    sense that ``merged`` disappears from lists and lookups — its row and history remain.
    """
    kept = Person.objects.select_for_update().get(pk=kept.pk)
    merged = Person.objects.select_for_update().get(pk=merged.pk)
    if kept.pk == merged.pk:
        raise ValidationError(_("Eine Person kann nicht mit sich selbst zusammengeführt werden."))
    if (kept.organisation_id, kept.kept_by_id) != (merged.organisation_id, merged.kept_by_id):
        raise ValidationError(_("Nur Einträge desselben Registers lassen sich zusammenführen."))
    if kept.merged_into_id or merged.merged_into_id:
        raise ValidationError(_("Einer der Einträge ist schon zusammengeführt."))
    _require_change_right(actor, kept)

    fill = {
        name: getattr(merged, name)
        for name in (*PERSON_FIELDS, "dwelling_id")
        if name != "relationship"
        and getattr(kept, name) in (None, "", [])
        and getattr(merged, name) not in (None, "", [])
    }
    if kept.household_id is None and merged.household_id is not None:
        # Household and the place in it go together, never one without the other.
        fill.update(household_id=merged.household_id, relationship=merged.relationship)
    if _date_precision(merged) > _date_precision(kept):
        # The more precise birth date as a whole, never the day of one and the year of another.
        fill.update(
            birth_year=merged.birth_year,
            birth_month=merged.birth_month,
            birth_day=merged.birth_day,
            birth_date_placeholder=merged.birth_date_placeholder,
        )
    register_id = fill.pop("register_id", None)
    audited_create(
        actor=actor,
        instance=PersonNote(
            person=kept,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            kind="merged",
            data={"person_id": merged.pk, "record": snapshot(merged)},
        ),
    )
    # The merged-away record leaves its household (``kept`` takes its place if it has none),
    # so that a household never counts one person twice or has two heads.
    audited_update(
        actor=actor,
        instance=merged,
        data={
            "merged_into": kept,
            "register_id": None if register_id else merged.register_id,
            "household": None,
            "relationship": "",
        },
    )
    if register_id:
        fill["register_id"] = register_id
    if "nationalities" in fill:
        fill["primary_nationality"] = fill["nationalities"][0]
    audited_update(actor=actor, instance=kept, data=fill)
    # Everything that named ``merged`` names ``kept`` now, each app's rows as it declared.
    moved = {
        label: count
        for label, count in merging.follow(actor=actor, kept=kept, merged=merged).items()
        if count
    }
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        obj=kept,
        changes={"merged_from": [None, merged.pk], "followed": [None, moved]},
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


# --- Households ------------------------------------------------------------------------------


def household_default_name(person: Person) -> str:
    # Stored data in the office's language, whatever language the clerk's screen is in.
    return f"Familie {person.family_name}"


def _relationship_valid(relationship: str) -> str:
    if relationship not in Person.Relationship.values:
        raise ValidationError({"relationship": _("Bitte die Stellung im Haushalt wählen.")})
    return relationship


def _check_one_head(household: Household, person: Person, relationship: str) -> None:
    """A clear message before the database constraint would refuse a second head."""
    if relationship != Person.Relationship.HEAD:
        return
    head = (
        Person.objects.filter(household=household, relationship=Person.Relationship.HEAD)
        .exclude(pk=person.pk)
        .first()
    )
    if head is not None:
        raise ValidationError(
            {
                "relationship": _(
                    "Der Haushalt hat schon einen Haushaltsvorstand: %(name)s. Ändern Sie zuerst "
                    "dessen Stellung."
                )
                % {"name": head}
            }
        )


def _locked_candidate(household: Household, person: Person) -> Person:
    """The person, locked and fresh, if they may join ``household``; else ValidationError."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if (person.organisation_id, person.kept_by_id) != (household.organisation_id, household.kept_by_id):
        raise ValidationError(_("Zu einem Haushalt gehören nur Personen desselben Registers."))
    if person.merged_into_id is not None:
        raise ValidationError(
            _(
                "%(name)s ist mit einem anderen Eintrag zusammengeführt und kann keinem Haushalt "
                "angehören. Bitte wählen Sie den verbliebenen Eintrag."
            )
            % {"name": person}
        )
    if person.household_id is not None and person.household_id == household.pk:
        raise ValidationError(_("%(name)s gehört schon zu diesem Haushalt.") % {"name": person})
    if person.household_id is not None:
        raise ValidationError(
            _(
                "%(name)s gehört schon zu einem anderen Haushalt. Bitte dort zuerst austragen, "
                "dann hier aufnehmen."
            )
            % {"name": person}
        )
    return person


def _join(*, actor: Any, household: Household, person: Person, relationship: str) -> Person:
    _check_one_head(household, person, _relationship_valid(relationship))
    audited_update(actor=actor, instance=person, data={"household": household, "relationship": relationship})
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=household, changes={"member": [None, person.pk]}
    )
    return person


@transaction.atomic
def household_create(
    *,
    actor: Any,
    person: Person,
    name: str = "",
    address: Address | None = None,
    relationship: str = Person.Relationship.HEAD,
) -> Household:
    """A household around ``person``, who joins it (as head unless said otherwise).

    ``name`` defaults to „Familie <Familienname>“; ``address=None`` takes the person's
    dwelling, an empty ``Address`` leaves the household without one.
    """
    _require_change_right(actor, person)
    household = Household(organisation_id=person.organisation_id, kept_by_id=person.kept_by_id, name="")
    person = _locked_candidate(household, person)
    household.name = name.strip() or household_default_name(person)
    household.dwelling = (
        person.dwelling
        if address is None
        else dwelling_for(actor=actor, address=address, organisation_id=person.organisation_id)
    )
    audited_create(actor=actor, instance=household)
    _join(actor=actor, household=household, person=person, relationship=relationship)
    return household


@transaction.atomic
def household_update(
    *, actor: Any, household: Household, name: str, address: Address | None
) -> dict[str, list[Any]]:
    """Rename the household or change its dwelling (``address=None`` or empty: none)."""
    _require_change_right(actor, household)
    _household, changes = audited_update(
        actor=actor,
        instance=household,
        data={
            "name": name.strip(),
            "dwelling": dwelling_for(actor=actor, address=address, organisation_id=household.organisation_id),
        },
    )
    return changes


@transaction.atomic
def household_member_add(*, actor: Any, household: Household, person: Person, relationship: str) -> Person:
    """``person`` joins ``household``: same register, not merged away, in no other household."""
    _require_change_right(actor, household)
    person = _locked_candidate(household, person)
    return _join(actor=actor, household=household, person=person, relationship=relationship)


def _locked_member(household: Household, person: Person) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.household_id != household.pk:
        raise ValidationError(_("%(name)s gehört nicht zu diesem Haushalt.") % {"name": person})
    return person


@transaction.atomic
def household_member_remove(*, actor: Any, household: Household, person: Person) -> Person:
    """``person`` leaves ``household`` (their place in it goes too); the household stays."""
    _require_change_right(actor, household)
    person = _locked_member(household, person)
    audited_update(actor=actor, instance=person, data={"household": None, "relationship": ""})
    audit_record(
        actor=actor, action=AuditEvent.Action.UPDATE, obj=household, changes={"member": [person.pk, None]}
    )
    return person


@transaction.atomic
def household_member_set_relationship(
    *, actor: Any, household: Household, person: Person, relationship: str
) -> dict[str, list[Any]]:
    """Set a member's place in the household; at most one head."""
    _require_change_right(actor, household)
    person = _locked_member(household, person)
    _check_one_head(household, person, _relationship_valid(relationship))
    _person, changes = audited_update(actor=actor, instance=person, data={"relationship": relationship})
    return changes
