"""The person's page shows the block and the restriction to those who see the person, hides a
blocked address outside the register's keepers, and lets the keepers (block) and the DPO or the
keepers (restriction) set and lift them."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lotse.people import protection, services
from lotse.people.models import Person, RegisterBlock, Restriction
from tests.people.conftest import NEUSTADT, person_input

pytestmark = pytest.mark.django_db


def blocked(personas):
    person = services.person_create(
        actor=personas.clearing,
        organisation=personas.city,
        data=person_input("Maria", "Schutz", address=NEUSTADT),
    )
    protection.register_block_set(
        actor=personas.clearing, person=person, kind=RegisterBlock.INFORMATION_BLOCK
    )
    return person


def test_the_page_shows_the_block_and_the_address_only_to_the_keepers(personas, client_for):
    person = blocked(personas)
    keeper = client_for(personas.clearing).get(f"/personen/{person.pk}/").content.decode()
    assert "Naumburger Straße" in keeper and "Auskunftssperre (§ 51 BMG)" in keeper
    # Housing inspection reads the register (comparing occupants), but not a blocked address.
    reader = client_for(personas.housing).get(f"/personen/{person.pk}/").content.decode()
    assert "Naumburger Straße" not in reader
    assert "gesperrt – nur die Meldestelle sieht die Anschrift" in reader and "Auskunftssperre" in reader
    assert "Sperre eintragen" not in reader and "Sperre ändern" not in reader


def test_the_keepers_set_and_lift_the_block_on_the_page(personas, client_for):
    person = services.person_create(
        actor=personas.clearing, organisation=personas.city, data=person_input("Ana", "Popescu")
    )
    url = f"/personen/{person.pk}/sperre/"
    assert client_for(personas.housing).get(url).status_code == 404
    assert client_for(personas.outsider).get(url).status_code == 404
    client = client_for(personas.clearing)
    bad = client.post(url, {"register_block": "information_block", "register_block_since": "2099-01-01"})
    assert bad.status_code == 400 and "in der Zukunft" in bad.content.decode()
    assert Person.objects.get(pk=person.pk).register_block == ""
    assert client.post(url, {"register_block": "conditional", "register_block_since": ""}).status_code == 302
    person.refresh_from_db()
    assert (person.register_block, person.register_block_source) == ("conditional", "hand")
    assert client.post(url, {"register_block": ""}).status_code == 302
    assert Person.objects.get(pk=person.pk).register_block == ""


def test_the_dpo_restricts_from_the_log_and_the_pages_show_it(personas, client_for, casework):
    case = casework.open_case(casework.person("Ana", "Popescu"))
    person = case.person
    url = f"/personen/{person.pk}/einschraenkung/"
    for user in (personas.outreach, personas.housing, personas.outsider):
        assert client_for(user).get(url).status_code == 404
    dpo = client_for(personas.dpo)
    assert (
        "Verarbeitung einschränken" in dpo.get(f"/datenschutz/protokoll/person/{person.pk}/").content.decode()
    )
    response = dpo.post(
        url, {"ground": "accuracy", "requested_on": timezone.localdate().isoformat(), "note": "Name falsch"}
    )
    assert (
        response.status_code == 302 and response["Location"] == f"/datenschutz/protokoll/person/{person.pk}/"
    )
    restriction = Restriction.objects.get(person=person)
    assert restriction.set_by == personas.dpo and restriction.note == "Name falsch"
    # Every page of her records says so; the register's page offers no edit.
    for user, page in (
        (personas.outreach, f"/fallakten/{case.pk}/"),
        (personas.clearing, f"/personen/{person.pk}/"),
    ):
        html = client_for(user).get(page).content.decode()
        assert "Verarbeitung eingeschränkt (Art. 18 DSGVO)" in html, page
    assert (
        f"/personen/{person.pk}/bearbeiten/"
        not in client_for(personas.clearing).get(f"/personen/{person.pk}/").content.decode()
    )
    # The edit page refuses with the German message, nothing saved.
    refused = client_for(personas.clearing).post(
        f"/personen/{person.pk}/bearbeiten/", {"given_names": "Ana", "family_name": "Pop", "sex": "u"}
    )
    assert refused.status_code == 400 and "eingeschränkt (Art. 18 DSGVO)" in refused.content.decode()
    assert Person.objects.get(pk=person.pk).family_name == "Popescu"
    # Lifted by the DPO.
    assert dpo.post(f"/personen/{person.pk}/einschraenkung/aufheben/").status_code == 302
    assert not Person.objects.get(pk=person.pk).processing_restricted


def test_the_household_page_hides_where_a_blocked_member_lives(personas, client_for):
    from lotse.people.services import household_create

    person = blocked(personas)
    household = household_create(actor=personas.clearing, person=person, name="Familie Schutz")
    reader = client_for(personas.housing).get(f"/personen/haushalte/{household.pk}/").content.decode()
    assert "Naumburger Straße" not in reader and "gesperrt" in reader
    keeper = client_for(personas.clearing).get(f"/personen/haushalte/{household.pk}/").content.decode()
    assert "Naumburger Straße" in keeper


def test_the_register_list_hides_a_blocked_address_from_readers(personas, client_for):
    person = blocked(personas)
    reader = client_for(personas.housing).get("/personen/", {"q": "Schutz"}).content.decode()
    assert person.family_name in reader and "Naumburger Straße" not in reader
    keeper = client_for(personas.clearing).get("/personen/", {"q": "Schutz"}).content.decode()
    assert "Naumburger Straße" in keeper
