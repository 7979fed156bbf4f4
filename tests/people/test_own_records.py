"""A unit that keeps its own records (``register_access: own``): a small municipality without
the register (Wietze), the county's outreach for a first contact. It enters persons itself,
for its own organisation, opens case files for them without a referral, and sees nothing of
another register or another unit's records (docs/decisions/0017)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from lotse.accounts.models import Unit
from lotse.accounts.services import unit_upsert
from lotse.cases.models import CaseFile
from lotse.cases.selectors import persons as casework_persons
from lotse.cases.services import case_files
from lotse.core import access
from lotse.people import selectors, services
from lotse.people.duplicates import records_of
from lotse.people.models import Household, Person

from .conftest import person_input

pytestmark = pytest.mark.django_db

WIETZE_INTAKE = {
    "given_names": "Oksana",
    "family_name": "Melnyk",
    "birth_date": "02.11.1984",
    "sex": "f",
    "nationalities": ["UA"],
    "languages": ["uk", "ru"],
    "street": "Steinförder Straße",
    "house_number": "3",
    "postcode": "29323",
    "city": "Wietze",
    "dwelling_label": "",
    "phone": "05146 123456",
}


def unit(slug: str) -> Unit:
    return Unit.objects.get(slug=slug)


def own_record(personas, user, given: str, family: str, birth: str = "", **values) -> Person:
    """A person in the own records of the user's unit, held by the user's employer."""
    kept_by = access.visible(user, Unit, "keep_own_records").get()
    return services.person_create(
        actor=user,
        organisation=user.organisation,
        kept_by=kept_by,
        data=person_input(given, family, birth, **values),
    )


# --- a small municipality starts -------------------------------------------------------------


def test_wietze_records_a_person_finds_them_and_opens_a_case_file(personas, client_for, casework):
    client = client_for(personas.outsider)
    assert client.get("/personen/").status_code == 200
    form = client.get("/personen/neu/").content.decode()
    assert 'name="register_id"' not in form  # no registration office's id in own records

    response = client.post("/personen/neu/", WIETZE_INTAKE)
    person = Person.objects.get(family_name="Melnyk")
    assert response.status_code == 302 and response["Location"] == f"/personen/{person.pk}/"
    assert person.organisation == personas.other_town  # Wietze is the controller
    assert person.kept_by == unit("wietze-integration")
    assert person.register_id is None

    found = client.get("/personen/?q=Melnyk").content.decode()
    assert f"/personen/{person.pk}/" in found
    assert "eigenen Akten" in found
    detail = client.get(f"/personen/{person.pk}/").content.decode()
    assert f"/fallakten/neu/?person={person.pk}" in detail
    assert "Ankunftsgespräch" not in detail  # the Clearingstelle's interview is not theirs

    response = client.post(
        "/fallakten/neu/",
        {
            "person": person.pk,
            "owner_unit": unit("wietze-integration").pk,
            "opened_on": casework.today,
            "title": "",
        },
    )
    case = CaseFile.objects.get(person=person)
    assert response.status_code == 302 and response["Location"] == f"/fallakten/{case.pk}/"
    assert case.organisation == personas.other_town and case.owner_unit == unit("wietze-integration")
    assert client.get(f"/fallakten/{case.pk}/").status_code == 200


def test_wietze_sees_nobody_of_weissenfels(personas, client_for, register, casework):
    city_person = register("Ana", "Pop", "1990")
    county_case = casework.open_case(casework.person("Elena", "Dumitru"))
    client = client_for(personas.outsider)
    listed = client.get("/personen/?q=Pop").content.decode()
    assert f"/personen/{city_person.pk}/" not in listed
    assert not selectors.persons_visible_to(personas.outsider).exists()
    assert not access.visible(personas.outsider, Person).exists()
    for url in [
        f"/personen/{city_person.pk}/",
        f"/personen/{city_person.pk}/bearbeiten/",
        f"/fallakten/neu/?person={city_person.pk}",
        f"/fallakten/{county_case.pk}/",
    ]:
        assert client.get(url).status_code == 404, url
    # Nor does the duplicate check tell that someone of that name lives in Weißenfels.
    duplicates = client.post("/personen/dubletten/suche/", {"given_names": "Ana", "family_name": "Pop"})
    assert duplicates.status_code == 200 and "Pop" not in duplicates.content.decode()
    with pytest.raises(Http404):
        case_files.case_file_open(
            actor=personas.outsider, owner_unit=unit("wietze-integration"), person=city_person
        )


def test_own_records_are_entered_only_for_the_own_unit_and_organisation(personas):
    wietze = unit("wietze-integration")
    # Not into the city's register, not into another unit's records, not for another controller.
    with pytest.raises(PermissionDenied):
        services.person_create(
            actor=personas.outsider, organisation=personas.city, data=person_input("A", "B")
        )
    with pytest.raises(PermissionDenied):
        services.person_create(
            actor=personas.outsider,
            organisation=personas.county,
            kept_by=unit("aufsuchende-sozialarbeit"),
            data=person_input("A", "B"),
        )
    with pytest.raises(ValidationError):
        services.person_create(
            actor=personas.outsider, organisation=personas.city, kept_by=wietze, data=person_input("A", "B")
        )
    # Who only reads or refers keeps no records of the unit.
    for user in (personas.partner, personas.head, personas.clearing, personas.school_county):
        with pytest.raises(PermissionDenied):
            services.person_create(
                actor=user, organisation=personas.other_town, kept_by=wietze, data=person_input("A", "B")
            )
    with pytest.raises(ValidationError):
        services.person_create(
            actor=personas.outsider,
            organisation=personas.other_town,
            kept_by=wietze,
            data=person_input("A", "B", register_id="4711"),
        )
    assert not Person.objects.exists()


def test_own_records_are_changed_merged_and_form_households_within_the_unit(personas):
    first = own_record(personas, personas.outsider, "Oksana", "Melnyk", "02.11.1984")
    second = own_record(personas, personas.outsider, "Oksana", "Melnik", "02.11.1984")
    candidates = selectors.duplicate_candidates(personas.outsider, records_of(first))
    assert [c.person.pk for c in candidates if c.person.pk != first.pk] == [second.pk]

    services.person_update(
        actor=personas.outsider, person=first, data=person_input("Oksana", "Melnyk", "02.11.1984", phone="1")
    )
    kept = services.person_merge(actor=personas.outsider, kept=first, merged=second)
    household = services.household_create(actor=personas.outsider, person=kept)
    assert household.kept_by == unit("wietze-integration") and household.organisation == personas.other_town
    assert access.visible(personas.outsider, Household).filter(pk=household.pk).exists()
    # The register's keepers never change another organisation's or another unit's records.
    with pytest.raises(PermissionDenied):
        services.person_update(actor=personas.clearing, person=kept, data=person_input("X", "Y"))


# --- outreach: a first contact without a referral --------------------------------------------


def test_outreach_records_a_first_contact_and_opens_a_case_without_referral(personas, client_for, register):
    city_persons = [register("Ana", "Pop", "1990"), register("Ion", "Ionescu", "1985")]
    client = client_for(personas.outreach)
    choose = client.get("/fallakten/neu/").content.decode()
    assert 'href="/personen/neu/"' in choose  # the first contact starts by recording the person

    intake = {**WIETZE_INTAKE, "given_names": "Florin", "family_name": "Lungu", "city": "Weißenfels"}
    response = client.post("/personen/neu/", intake)
    person = Person.objects.get(family_name="Lungu")
    assert response.status_code == 302
    assert person.organisation == personas.county and person.kept_by == unit("aufsuchende-sozialarbeit")

    case = case_files.case_file_open(
        actor=personas.outreach, owner_unit=unit("aufsuchende-sozialarbeit"), person=person
    )
    assert case.organisation == personas.county and not case.referrals.exists()

    # Still nobody else of the city's register: not in the search, not for case work.
    listed = client.get("/personen/").content.decode()
    assert f"/personen/{person.pk}/" in listed
    for other in city_persons:
        assert f"/personen/{other.pk}/" not in listed
        assert client.get(f"/personen/{other.pk}/").status_code == 404
        assert client.get(f"/fallakten/neu/?person={other.pk}").status_code == 404
    assert set(casework_persons.persons_for_casework(personas.outreach)) == {person}


def test_the_city_register_never_shows_the_countys_own_records(personas, client_for):
    first_contact = own_record(personas, personas.outreach, "Florin", "Lungu", "1979")
    for user in (personas.clearing, personas.housing, personas.school_county, personas.school_city):
        assert not access.visible(user, Person).filter(pk=first_contact.pk).exists(), user
    clearing = client_for(personas.clearing)
    assert f"/personen/{first_contact.pk}/" not in clearing.get("/personen/?q=Lungu").content.decode()
    assert clearing.get(f"/personen/{first_contact.pk}/").status_code == 404
    duplicates = clearing.post(
        "/personen/dubletten/suche/", {"given_names": "Florin", "family_name": "Lungu"}
    )
    assert "Lungu" not in duplicates.content.decode()


def test_own_records_of_a_city_unit_stay_out_of_the_city_register(personas):
    """The register's readers see their organisation's register, not a unit's own records."""
    neustadt = unit("neustadtbuero")
    unit_upsert(
        actor=None,
        slug=neustadt.slug,
        name=neustadt.name,
        kind=neustadt.kind,
        organisations=list(neustadt.organisations.all()),
        register_access="own",
    )
    person = own_record(personas, personas.neighbourhood, "Mira", "Kovač", "1991")
    assert person.organisation == personas.city
    assert access.visible(personas.neighbourhood, Person, "register").filter(pk=person.pk).exists()
    for user in (personas.clearing, personas.housing):
        assert not access.visible(user, Person).filter(pk=person.pk).exists()
        assert not access.visible(user, Person, "interview").filter(pk=person.pk).exists()
        assert not access.can(user, "edit", person)
    # And the Neustadtbüro sees its own records, never the register.
    assert set(access.visible(personas.neighbourhood, Person, "register")) == {person}
