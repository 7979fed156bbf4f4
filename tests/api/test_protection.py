"""What the API gives of a protected person: no address of a blocked person (§§ 51, 52 BMG) to
anyone but the register's keepers, and ``restricted`` on the person and on records about them
(Art. 18 GDPR)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lotse.cases.services import contacts, followups
from lotse.people import protection, services
from lotse.people.models import RegisterBlock, Restriction
from tests.people.conftest import NEUSTADT, person_input

pytestmark = pytest.mark.django_db


def blocked_person_with_case(casework):
    person = services.person_create(
        actor=casework.p.clearing,
        organisation=casework.p.city,
        data=person_input("Maria", "Schutz", address=NEUSTADT),
    )
    case = casework.open_case(person)
    household = casework.household("Familie Schutz", person)
    protection.register_block_set(
        actor=casework.p.clearing, person=person, kind=RegisterBlock.INFORMATION_BLOCK
    )
    person.refresh_from_db()
    return person, case, household


def test_the_address_of_a_blocked_person_stays_with_the_register(casework, api_for):
    person, _case, household = blocked_person_with_case(casework)
    outside = api_for(casework.p.outreach).get(f"/api/v1/persons/{person.pk}/").json()
    assert outside["address"] is None and outside["address_withheld"] is True
    assert outside["register_block"] == "information_block"
    listed = api_for(casework.p.outreach).get("/api/v1/persons/").json()["results"]
    assert [row["address"] for row in listed if row["id"] == person.pk] == [None]
    assert api_for(casework.p.outreach).get(f"/api/v1/households/{household.pk}/").json()["address"] is None
    households = api_for(casework.p.outreach).get("/api/v1/households/").json()["results"]
    assert [row["address"] for row in households if row["id"] == household.pk] == [None]
    # The register's keepers see it.
    inside = api_for(casework.p.clearing).get(f"/api/v1/persons/{person.pk}/").json()
    assert inside["address"]["street"] == "Naumburger Straße" and inside["address_withheld"] is False
    assert api_for(casework.p.clearing).get(f"/api/v1/households/{household.pk}/").json()["address"]


def test_without_a_block_the_address_goes_as_before(casework, api_for):
    person = services.person_create(
        actor=casework.p.clearing,
        organisation=casework.p.city,
        data=person_input("Ana", "Frei", address=NEUSTADT),
    )
    casework.open_case(person)
    body = api_for(casework.p.outreach).get(f"/api/v1/persons/{person.pk}/").json()
    assert body["address"]["house_number"] == "12" and body["address_withheld"] is False
    assert body["register_block"] == "" and body["restricted"] is False


def test_restricted_is_on_the_person_and_on_the_records_about_them(casework, api_for):
    case = casework.open_case(casework.person("Ana", "Popescu"))
    other = casework.open_case(casework.person("Ion", "Ionescu"))
    outreach = casework.p.outreach
    for each in (case, other):
        contacts.contact_create(actor=outreach, case=each, kind="phone", occurred_on=casework.days(-2))
        followups.followup_create(
            actor=outreach, unit=each.owner_unit, title="Nachfragen", due_on=casework.days(3), case=each
        )
    protection.restriction_set(
        actor=casework.p.dpo,
        person=case.person,
        ground=Restriction.Ground.ACCURACY,
        requested_on=timezone.localdate(),
    )
    client = api_for(casework.p.outreach)
    assert client.get(f"/api/v1/persons/{case.person_id}/").json()["restricted"] is True
    assert client.get(f"/api/v1/cases/{case.pk}/").json()["restricted"] is True
    cases = {row["id"]: row["restricted"] for row in client.get("/api/v1/cases/").json()["results"]}
    assert cases[case.pk] is True and cases[other.pk] is False
    referrals = client.get("/api/v1/referrals/").json()["results"]
    assert {row["person"]: row["restricted"] for row in referrals}[case.person_id] is True
    for each, expected in ((case, True), (other, False)):
        [contact] = client.get(f"/api/v1/cases/{each.pk}/contacts/").json()["results"]
        assert contact["restricted"] is expected
        assert client.get(f"/api/v1/contacts/{contact['id']}/").json()["restricted"] is expected
    tasks = {row["case"]: row for row in client.get("/api/v1/followups/").json()["results"]}
    assert tasks[case.pk]["restricted"] is True and tasks[other.pk]["restricted"] is False
    assert client.get(f"/api/v1/followups/{tasks[case.pk]['id']}/").json()["restricted"] is True


def test_a_write_about_a_restricted_person_is_a_400_in_german(casework, api_for):
    case = casework.open_case(casework.person("Ana", "Popescu"))
    protection.restriction_set(
        actor=casework.p.dpo, person=case.person, ground="objection", requested_on=timezone.localdate()
    )
    response = api_for(casework.p.outreach).post(
        "/api/v1/contacts/",
        {"case": case.pk, "kind": "phone", "occurred_on": str(casework.days(-1))},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "eingeschränkt (Art. 18 DSGVO)" in response.json()["detail"]
    assert case.contacts.count() == 0
