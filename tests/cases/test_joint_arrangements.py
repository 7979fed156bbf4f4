"""A unit staffed by two organisations (the school team of county and city) shares case files
across the controllers only under a joint-controller arrangement (Art. 26 DSGVO) recorded as
data and confirmed by both; every read across names it, and the holder's DPO sees it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from lotse.accounts import services
from lotse.accounts.models import JointArrangement, User
from lotse.cases.models import CaseFile, Contact
from lotse.cases.services import contacts
from lotse.core import access
from lotse.core.audit import audit_verify
from lotse.core.models import AuditEvent
from tests.second_factor import issue_token

pytestmark = pytest.mark.django_db

PURPOSES = "Schulpflicht zugewanderter Kinder: gemeinsame Fallakten des Schulteams"
DOCUMENT = "Vereinbarung nach Art. 26 DSGVO vom 20.06.2022, Az. 10.2-SchT-01"


@pytest.fixture
def county_case(casework) -> CaseFile:
    """A school-team case file opened by the county's member: the county holds it."""
    case = casework.open_case(
        casework.person("Ana", "Vaduva"), actor=casework.p.school_county, unit="schulteam"
    )
    contacts.contact_create(
        actor=casework.p.school_county,
        case=case,
        kind=Contact.Kind.PHONE,
        occurred_on=casework.today,
        summary="Telefonat mit der Grundschule Nord",
    )
    assert case.organisation_id == casework.p.county.pk
    return case


def arrangement(casework, *, valid_from=None, valid_until=None) -> JointArrangement:
    """Recorded by the operator's blueprint: confirmed by both organisations."""
    return services.joint_arrangement_record(
        actor=None,
        unit=casework.unit("schulteam"),
        organisations=[casework.p.county, casework.p.city],
        purposes=PURPOSES,
        valid_from=valid_from or casework.days(-30),
        valid_until=valid_until,
        document=DOCUMENT,
    )


def administrator(casework, username: str, unit: str) -> object:
    return casework.colleague(username, unit=unit, role="administrator")


def sees(user, case: CaseFile) -> bool:
    """As on the user's next request (rights are loaded once per request)."""
    fresh = User.objects.get(pk=user.pk)
    return access.visible(fresh, CaseFile).filter(pk=case.pk).exists()


def test_without_an_arrangement_members_see_their_own_organisations_files_only(
    casework, county_case, client_for
):
    city_member = casework.p.school_city
    assert not access.visible(city_member, CaseFile).filter(pk=county_case.pk).exists()
    assert not access.visible(city_member, Contact).filter(case=county_case).exists()
    client = client_for(city_member)
    assert client.get(f"/fallakten/{county_case.pk}/").status_code == 404
    assert f"/fallakten/{county_case.pk}/" not in client.get("/fallakten/").content.decode()
    # The county's own member works on as before.
    assert access.visible(casework.p.school_county, CaseFile).filter(pk=county_case.pk).exists()


def test_under_an_arrangement_in_force_each_read_across_names_it(casework, county_case, client_for):
    joint = arrangement(casework)
    client = client_for(casework.p.school_city)
    assert client.get(f"/fallakten/{county_case.pk}/").status_code == 200
    read = AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, object_type="cases.casefile", object_id=str(county_case.pk)
    ).latest("id")
    assert read.actor_id == casework.p.school_city.pk
    assert read.changes["basis"] == {"joint_arrangement": joint.pk, "document": DOCUMENT}
    # The county's DPO (the holder's) sees the city member's read.
    assert read.holder_id == casework.p.county.pk and read.organisation_id == casework.p.city.pk
    # A read of one's own organisation's record needs no such basis.
    own = casework.open_case(
        casework.person("Ion", "Chiriac"), actor=casework.p.school_city, unit="schulteam"
    )
    client.get(f"/fallakten/{own.pk}/")
    own_read = AuditEvent.objects.filter(object_type="cases.casefile", object_id=str(own.pk)).latest("id")
    assert own_read.action == AuditEvent.Action.VIEW and not own_read.changes
    assert audit_verify().intact


@pytest.mark.parametrize("when", ["ended", "not_yet"])
def test_an_arrangement_not_in_force_gives_nothing(casework, county_case, when):
    if when == "ended":
        arrangement(casework, valid_from=casework.days(-100), valid_until=casework.days(-1))
    else:
        arrangement(casework, valid_from=casework.days(1))
    assert not sees(casework.p.school_city, county_case)


def test_one_organisation_cannot_put_it_in_force_alone(casework, county_case):
    city_admin = casework.p.admin
    county_admin = administrator(casework, "admin-county", "it-kreis")
    joint = services.joint_arrangement_record(
        actor=city_admin,
        unit=casework.unit("schulteam"),
        organisations=[casework.p.county, casework.p.city],
        purposes=PURPOSES,
        valid_from=casework.days(-1),
        document=DOCUMENT,
    )
    # Recorded and confirmed for the city only: no access across yet.
    assert not sees(casework.p.school_city, county_case)
    with pytest.raises(ValidationError):  # the city has confirmed already
        services.joint_arrangement_confirm(actor=city_admin, arrangement=joint)
    # Nobody outside the parties confirms, nor a member without the administration role.
    with pytest.raises(PermissionDenied):
        services.joint_arrangement_confirm(actor=casework.p.school_county, arrangement=joint)
    services.joint_arrangement_confirm(actor=county_admin, arrangement=joint)
    assert sees(casework.p.school_city, county_case)
    # Either party ends it alone; from the day after, members see their own files only.
    services.joint_arrangement_end(actor=county_admin, arrangement=joint, valid_until=casework.days(-1))
    assert not sees(casework.p.school_city, county_case)


def test_an_arrangement_needs_parties_of_the_unit_a_purpose_and_the_document(casework):
    with pytest.raises(ValidationError) as raised:
        services.joint_arrangement_record(
            actor=casework.p.admin,
            unit=casework.unit("schulteam"),
            organisations=[casework.p.city, casework.p.charity],
            purposes=" ",
            valid_from=dt.date(2026, 1, 1),
            document="",
        )
    assert set(raised.value.message_dict) == {"organisations", "purposes", "document"}
    assert "mitarbeiten" in raised.value.message_dict["organisations"][0]
    with pytest.raises(PermissionDenied):  # a unit of one organisation has no joint controllers
        services.joint_arrangement_record(
            actor=casework.p.admin,
            unit=casework.unit("clearingstelle"),
            organisations=[casework.p.city, casework.p.county],
            purposes=PURPOSES,
            valid_from=dt.date(2026, 1, 1),
            document=DOCUMENT,
        )
    assert not JointArrangement.objects.exists()


def test_the_holders_dpo_sees_another_authoritys_api_read(casework):
    """A county worker reads a city person over the API: the city's DPO sees it."""
    person = casework.open_case(casework.person("Ionut", "Caldararu")).person
    raw = issue_token(casework.p.outreach)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.get(f"/api/v1/persons/{person.pk}/")
    assert response.status_code == 200
    city_dpo = casework.p.dpo
    seen = access.visible(city_dpo, AuditEvent).filter(
        action=AuditEvent.Action.VIEW, object_type="people.person", object_id=str(person.pk)
    )
    assert seen.filter(actor_id=casework.p.outreach.pk).exists()


def test_a_list_records_which_records_it_showed(casework, client_for):
    ana = casework.person("Ana", "Popescu")
    ion = casework.person("Ion", "Popescu")
    client_for(casework.p.clearing).get("/personen/?q=Popescu")
    listed = AuditEvent.objects.filter(action=AuditEvent.Action.LIST, object_type="people.person").latest(
        "id"
    )
    assert listed.actor_id == casework.p.clearing.pk and listed.holder_id == casework.p.city.pk
    assert set(listed.changes["ids"]) >= {str(ana.pk), str(ion.pk)}
    assert access.visible(casework.p.dpo, AuditEvent).filter(pk=listed.pk).exists()
    assert audit_verify().intact
