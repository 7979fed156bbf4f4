"""Creating, updating and merging persons: audited, access-checked, match keys current."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lotse.core.audit import audit_verify
from lotse.core.models import AuditEvent
from lotse.people import selectors, services
from lotse.people.duplicates import records_of
from lotse.people.models import Person, PersonMatchKey

from .conftest import NEUSTADT, person_input

pytestmark = pytest.mark.django_db


def test_create_stores_partial_birth_date_and_keys(register, personas):
    person = register("Ștefan", "Popescu", "00.03.1988", nationalities=["RO"], address=NEUSTADT)
    assert (person.birth_year, person.birth_month, person.birth_day) == (1988, 3, None)
    assert person.birth_date_display == "03.1988"
    assert person.primary_nationality == "RO"
    assert person.dwelling.building.street == "Naumburger Straße"
    assert PersonMatchKey.objects.filter(person=person).count() > 0
    event = AuditEvent.objects.get(object_type="people.person", object_id=str(person.pk), action="create")
    assert event.actor == personas.clearing
    assert event.changes["family_name"] == [None, "Popescu"]


def test_placeholder_date_is_kept_but_shown_as_year(register):
    person = register("Ivan", "Petrov", "01.01.1990")
    assert person.birth_date_placeholder
    assert person.birth_date_display == "1990"


def test_only_register_units_may_write(personas):
    for outsider in (
        personas.housing,
        personas.outreach,
        personas.school_county,
        personas.partner,
        personas.head,
        personas.outsider,
    ):
        with pytest.raises(PermissionDenied):
            services.person_create(actor=outsider, organisation=personas.city, data=person_input("A", "B"))
    assert not Person.objects.exists()


def test_housing_inspection_reads_the_register_but_the_county_does_not(register, personas):
    person = register("Maria", "Ionescu", "1985")
    assert selectors.persons_visible_to(personas.housing).filter(pk=person.pk).exists()
    for user in (
        personas.outreach,
        personas.school_county,
        personas.partner,
        personas.outsider,
        personas.head,
        personas.dpo,
        personas.admin,
    ):
        assert not selectors.persons_visible_to(user).exists()


def test_reading_a_person_is_audited(register, personas):
    person = register("Maria", "Ionescu", "1985")
    selectors.get_person_for(personas.housing, person.pk)
    assert AuditEvent.objects.filter(action="view", object_id=str(person.pk), actor=personas.housing).exists()


def test_update_refreshes_keys_and_audits_the_change(register, personas):
    person = register("Georgi", "Ivanov", "12.05.1979")
    old_keys = set(PersonMatchKey.objects.filter(person=person).values_list("key", flat=True))
    services.person_update(
        actor=personas.clearing, person=person, data=person_input("Georgi", "Dimitrov", "12.05.1979")
    )
    new_keys = set(PersonMatchKey.objects.filter(person=person).values_list("key", flat=True))
    assert old_keys != new_keys
    event = AuditEvent.objects.filter(object_id=str(person.pk), action="update").latest("id")
    assert event.changes == {"family_name": ["Ivanov", "Dimitrov"]}


def test_invalid_address_is_refused_and_nothing_is_saved(personas):
    from lotse.people.services import Address

    with pytest.raises(ValidationError, match="Hausnummer"):
        services.person_create(
            actor=personas.clearing,
            organisation=personas.city,
            data=person_input(
                "A", "B", address=Address(street="Markt", house_number="", postcode="06667", city="W")
            ),
        )
    assert not Person.objects.exists()


def test_merge_keeps_both_histories_and_fills_gaps(register, personas):
    kept = register("Ştefan", "Popescu", "1988", nationalities=["RO"])
    other = register(
        "Stefan", "Popescu", "14.03.1988", register_id="MR-4711", address=NEUSTADT, phone="0151 123"
    )
    services.person_merge(actor=personas.clearing, kept=kept, merged=other)
    kept.refresh_from_db()
    other.refresh_from_db()
    assert other.merged_into == kept
    assert kept.register_id == "MR-4711" and other.register_id is None
    assert kept.birth_date_display == "14.03.1988"  # the more precise date, as a whole
    assert kept.phone == "0151 123"
    assert kept.dwelling is not None
    note = kept.history.get()
    assert note.data["person_id"] == other.pk and note.data["record"]["phone"] == "0151 123"
    assert not PersonMatchKey.objects.filter(person=other).exists()
    assert not selectors.persons_visible_to(personas.clearing).filter(pk=other.pk).exists()
    assert AuditEvent.objects.filter(object_id=str(kept.pk), changes__merged_from=[None, other.pk]).exists()
    assert audit_verify().intact


def test_the_merge_note_is_audited_without_a_copy_of_the_record(register, personas):
    kept = register("Ana", "Pop", "1990")
    other = register("Ana", "Pop", "1990", phone="0151 123", email="ana@example.org", address=NEUSTADT)
    services.person_merge(actor=personas.clearing, kept=kept, merged=other)
    note = kept.history.get()
    event = AuditEvent.objects.get(object_type="people.personnote", object_id=str(note.pk), action="create")
    assert event.actor == personas.clearing
    assert event.changes["person_id"] == [None, kept.pk] and event.changes["kind"] == [None, "merged"]
    assert event.changes["data"] == [None, "***"]
    written = json.dumps(event.changes, ensure_ascii=False)
    assert "0151 123" not in written and "ana@example.org" not in written
    assert audit_verify().intact


def test_the_system_merges_too(register):
    kept = register("Ana", "Pop", "1990")
    other = register("Ana", "Pop", "1990")
    services.person_merge(actor=None, kept=kept, merged=other)
    note = kept.history.get()
    assert note.created_by is None
    assert AuditEvent.objects.get(object_type="people.personnote", object_id=str(note.pk)).actor is None


def test_merge_is_refused_for_the_same_or_an_already_merged_record(register, personas):
    a = register("Ana", "Pop", "1990")
    b = register("Ana", "Pop", "1990")
    with pytest.raises(ValidationError):
        services.person_merge(actor=personas.clearing, kept=a, merged=a)
    services.person_merge(actor=personas.clearing, kept=a, merged=b)
    with pytest.raises(ValidationError):
        services.person_merge(actor=personas.clearing, kept=b, merged=a)


def test_merge_needs_register_rights(register, personas):
    a = register("Ana", "Pop", "1990")
    b = register("Ana", "Pop", "1990")
    with pytest.raises(PermissionDenied):
        services.person_merge(actor=personas.outreach, kept=a, merged=b)
    b.refresh_from_db()
    assert b.merged_into is None


def test_duplicate_lookup_finds_transliterations_across_scripts(register, personas):
    original = register("Георги", "Иванов", "12.05.1979", given_names_original="", family_name_original="")
    found = selectors.duplicate_candidates(
        personas.clearing,
        records_of(
            Person(
                given_names="Georgi",
                family_name="Ivanov",
                birth_year=1979,
                birth_month=5,
                birth_day=12,
                organisation=personas.city,
            )
        ),
    )
    assert [c.person.pk for c in found] == [original.pk]
    assert found[0].comparison.reasons


def test_duplicate_lookup_ignores_other_registers_and_merged_records(register, personas):
    a = register("Mohammed", "Al-Hassan", "03.07.1992")
    lookup = records_of(
        Person(
            given_names="Muhammad",
            family_name="Hassan",
            birth_year=1992,
            birth_month=7,
            birth_day=3,
            organisation=personas.city,
        )
    )
    assert selectors.duplicate_candidates(personas.outreach, lookup) == []
    b = register("Muhammad", "El Hassan", "03.07.1992")
    services.person_merge(actor=personas.clearing, kept=a, merged=b)
    assert [c.person.pk for c in selectors.duplicate_candidates(personas.clearing, lookup)] == [a.pk]
