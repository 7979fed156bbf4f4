"""Households: created around a person, members added, placed and removed; each write audited,
only by the register's writers, never half-done."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lotse.core.audit import audit_verify
from lotse.core.models import AuditEvent
from lotse.people import services
from lotse.people.models import Household, Person

from .conftest import NEUSTADT, person_input

pytestmark = pytest.mark.django_db

HEAD = Person.Relationship.HEAD
PARTNER = Person.Relationship.PARTNER
CHILD = Person.Relationship.CHILD


@pytest.fixture
def family(register):
    """Father, mother and son Popescu at the same address, not yet a household."""
    return (
        register("Ion", "Popescu", "12.04.1985", address=NEUSTADT),
        register("Maria", "Popescu", "03.09.1987", address=NEUSTADT),
        register("Andrei", "Popescu", "20.06.2014", address=NEUSTADT),
    )


def test_household_takes_the_family_name_and_dwelling_of_its_first_member(personas, family):
    father, _mother, _son = family
    household = services.household_create(actor=personas.clearing, person=father)
    assert household.name == "Familie Popescu"
    assert household.dwelling_id == father.dwelling_id
    assert household.organisation == personas.city
    father.refresh_from_db()
    assert (father.household_id, father.relationship) == (household.pk, HEAD)
    created = AuditEvent.objects.get(object_type="people.household", action="create")
    assert created.changes["name"] == [None, "Familie Popescu"]
    joined = AuditEvent.objects.filter(object_type="people.person", object_id=str(father.pk)).latest("id")
    assert joined.changes == {"household_id": [None, household.pk], "relationship": ["", "head"]}
    assert audit_verify().intact


def test_household_can_have_its_own_name_and_no_dwelling(personas, family):
    household = services.household_create(
        actor=personas.clearing,
        person=family[1],
        name="  Popescu / Ionescu ",
        address=services.Address("", "", "", ""),
        relationship=PARTNER,
    )
    assert household.name == "Popescu / Ionescu"
    assert household.dwelling is None
    family[1].refresh_from_db()
    assert family[1].relationship == PARTNER


def test_members_join_with_their_place_and_the_household_records_it(personas, family):
    father, mother, son = family
    household = services.household_create(actor=personas.clearing, person=father)
    services.household_member_add(
        actor=personas.clearing, household=household, person=mother, relationship=PARTNER
    )
    services.household_member_add(
        actor=personas.clearing, household=household, person=son, relationship=CHILD
    )
    assert {(p.given_names, p.relationship) for p in household.members.all()} == {
        ("Ion", HEAD), ("Maria", PARTNER), ("Andrei", CHILD),
    }  # fmt: skip
    events = AuditEvent.objects.filter(object_type="people.household", object_id=str(household.pk))
    members = [e.changes["member"] for e in events.filter(action="update")]
    assert members == [[None, father.pk], [None, mother.pk], [None, son.pk]]


def test_a_household_has_one_head_at_most(personas, family):
    father, mother, son = family
    household = services.household_create(actor=personas.clearing, person=father)
    with pytest.raises(ValidationError, match="schon einen Haushaltsvorstand: Ion Popescu"):
        services.household_member_add(
            actor=personas.clearing, household=household, person=mother, relationship=HEAD
        )
    mother.refresh_from_db()
    assert mother.household_id is None  # nothing half-saved
    services.household_member_add(
        actor=personas.clearing, household=household, person=son, relationship=CHILD
    )
    with pytest.raises(ValidationError, match="schon einen Haushaltsvorstand"):
        services.household_member_set_relationship(
            actor=personas.clearing, household=household, person=son, relationship=HEAD
        )
    # Hand over: the father steps down first, then the son may become head.
    services.household_member_set_relationship(
        actor=personas.clearing, household=household, person=father, relationship=PARTNER
    )
    services.household_member_set_relationship(
        actor=personas.clearing, household=household, person=son, relationship=HEAD
    )
    assert household.members.filter(relationship=HEAD).get() == son


def test_the_database_refuses_a_second_head_too(personas, family):
    father, mother, _son = family
    household = services.household_create(actor=personas.clearing, person=father)
    mother.household, mother.relationship = household, HEAD
    with pytest.raises(ValidationError, match="höchstens einen Haushaltsvorstand"):
        mother.full_clean()


def test_a_person_of_another_register_cannot_join(personas, family):
    household = services.household_create(actor=personas.clearing, person=family[0])
    stranger = services.person_create(
        actor=None, organisation=personas.other_town, data=person_input("Jan", "Nowak", "1990")
    )
    with pytest.raises(ValidationError, match="nur Personen desselben Registers"):
        services.household_member_add(
            actor=personas.clearing, household=household, person=stranger, relationship=CHILD
        )
    stranger.refresh_from_db()
    assert stranger.household_id is None


def test_a_merged_away_record_cannot_join(personas, register, family):
    household = services.household_create(actor=personas.clearing, person=family[0])
    kept = register("Elena", "Popescu", "1990")
    merged = register("Elena", "Popescu", "05.05.1990")
    services.person_merge(actor=personas.clearing, kept=kept, merged=merged)
    with pytest.raises(ValidationError, match="zusammengeführt und kann keinem Haushalt angehören"):
        services.household_member_add(
            actor=personas.clearing, household=household, person=merged, relationship=CHILD
        )
    merged.refresh_from_db()
    assert merged.household_id is None


def test_a_member_of_another_household_must_leave_it_first(personas, family, register):
    father, mother, _son = family
    first = services.household_create(actor=personas.clearing, person=father)
    other = services.household_create(actor=personas.clearing, person=register("Ana", "Pop", "1970"))
    with pytest.raises(ValidationError, match="schon zu einem anderen Haushalt"):
        services.household_member_add(
            actor=personas.clearing, household=other, person=father, relationship=CHILD
        )
    with pytest.raises(ValidationError, match="schon zu diesem Haushalt"):
        services.household_member_add(
            actor=personas.clearing, household=first, person=father, relationship=CHILD
        )
    with pytest.raises(ValidationError, match="schon zu einem anderen Haushalt"):
        services.household_create(actor=personas.clearing, person=father)
    assert Household.objects.count() == 2
    assert mother.household_id is None


def test_a_place_in_the_household_must_be_chosen(personas, family):
    household = services.household_create(actor=personas.clearing, person=family[0])
    for relationship in ("", "boss"):
        with pytest.raises(ValidationError, match="Bitte die Stellung im Haushalt wählen"):
            services.household_member_add(
                actor=personas.clearing, household=household, person=family[1], relationship=relationship
            )


def test_removing_a_member_clears_their_place_and_keeps_the_household(personas, family):
    father, mother, _son = family
    household = services.household_create(actor=personas.clearing, person=father)
    services.household_member_add(
        actor=personas.clearing, household=household, person=mother, relationship=PARTNER
    )
    services.household_member_remove(actor=personas.clearing, household=household, person=father)
    father.refresh_from_db()
    assert (father.household_id, father.relationship) == (None, "")
    assert list(household.members.all()) == [mother]
    event = AuditEvent.objects.filter(object_type="people.household", action="update").latest("id")
    assert event.changes == {"member": [father.pk, None]}
    with pytest.raises(ValidationError, match="gehört nicht zu diesem Haushalt"):
        services.household_member_remove(actor=personas.clearing, household=household, person=father)


def test_update_renames_and_moves_the_household(personas, family):
    household = services.household_create(actor=personas.clearing, person=family[0])
    changes = services.household_update(
        actor=personas.clearing,
        household=household,
        name="Familie Popescu-Ionescu",
        address=services.Address("Leipziger Straße", "7a", "06667", "Weißenfels", "EG rechts"),
    )
    household.refresh_from_db()
    assert household.name == "Familie Popescu-Ionescu"
    assert str(household.dwelling) == "Leipziger Straße 7a, 06667 Weißenfels, EG rechts"
    assert set(changes) == {"name", "dwelling_id"}
    with pytest.raises(ValidationError) as error:
        services.household_update(actor=personas.clearing, household=household, name=" ", address=None)
    assert "name" in error.value.message_dict
    household.refresh_from_db()
    assert household.name == "Familie Popescu-Ionescu"


@pytest.mark.parametrize("persona", ["housing", "outreach", "school_city", "partner", "head", "outsider"])
def test_only_the_register_writers_change_households(personas, family, persona):
    father, mother, _son = family
    household = services.household_create(actor=personas.clearing, person=father)
    user = getattr(personas, persona)
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.household_create(actor=user, person=mother)
    with pytest.raises(PermissionDenied):
        services.household_member_add(actor=user, household=household, person=mother, relationship=PARTNER)
    with pytest.raises(PermissionDenied):
        services.household_member_set_relationship(
            actor=user, household=household, person=father, relationship=PARTNER
        )
    with pytest.raises(PermissionDenied):
        services.household_member_remove(actor=user, household=household, person=father)
    with pytest.raises(PermissionDenied):
        services.household_update(actor=user, household=household, name="X", address=None)
    assert AuditEvent.objects.count() == events
    assert Household.objects.count() == 1


def test_merging_hands_the_household_place_to_the_record_that_stays(personas, register, family):
    father, _mother, _son = family
    household = services.household_create(actor=personas.clearing, person=father)
    twin_record = register("Ion", "Popescu", "1985", register_id="MR-7")
    kept = services.person_merge(actor=personas.clearing, kept=twin_record, merged=father)
    father.refresh_from_db()
    assert (kept.household_id, kept.relationship) == (household.pk, HEAD)
    assert (father.household_id, father.relationship) == (None, "")


def test_merging_keeps_the_household_of_the_record_that_stays(personas, register, family):
    father, mother, son = family
    household = services.household_create(actor=personas.clearing, person=father)
    services.household_member_add(
        actor=personas.clearing, household=household, person=son, relationship=CHILD
    )
    other = services.household_create(actor=personas.clearing, person=register("Andrei", "Popescu", "2014"))
    # The son's second record heads a household of its own; the son stays a child of his parents'.
    kept = services.person_merge(actor=personas.clearing, kept=son, merged=other.members.get())
    assert (kept.household_id, kept.relationship) == (household.pk, CHILD)
    assert not other.members.exists()
    assert mother.household_id is None


def test_age_counts_full_years_and_guesses_from_the_year_alone(register):
    import datetime as dt

    person = register("Andrei", "Popescu", "20.06.2014")
    assert person.age_on(dt.date(2026, 6, 19)) == 11
    assert person.age_on(dt.date(2026, 6, 20)) == 12
    assert register("Ana", "Pop", "2010").age_on(dt.date(2026, 1, 5)) == 16
    assert register("Ana", "Pop", "00.03.2010").age_on(dt.date(2026, 1, 5)) == 15
    assert register("Ana", "Pop").age_on(dt.date(2026, 1, 5)) is None
