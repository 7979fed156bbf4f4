"""Consents through the API: own organisation's only, record one, withdraw with If-Match."""

from __future__ import annotations

import pytest

from lotse.cases.models import Consent
from lotse.cases.services import consents
from lotse.core.models import AuditEvent
from tests.queries import LISTED

pytestmark = pytest.mark.django_db

CONSENTS = "/api/v1/consents/"


def consent_of(casework, person, purpose="Beratung"):
    return consents.consent_create(
        actor=casework.p.outreach,
        person=person,
        purpose=purpose,
        recipients=[casework.p.charity],
        form=Consent.Form.VERBAL_WITNESS,
        information_language="ro",
        given_on=casework.days(-1),
        witness="Frau Ionescu",
    )


def test_consent_list_in_constant_queries(casework, api_for, django_assert_num_queries):
    first = consent_of(casework, casework.open_case(casework.person("Ana", "Popescu")).person)
    second = consent_of(casework, casework.open_case(casework.person("Georgi", "Ivanov")).person)
    client = api_for(casework.p.outreach)
    client.get(CONSENTS)
    # token, memberships, their units' organisations, the page of consents with the
    # organisation that obtained them, their recipients.
    with django_assert_num_queries(5 + LISTED):
        response = client.get(CONSENTS)
    assert [row["id"] for row in response.json()["results"]] == [second.pk, first.pk]
    row = response.json()["results"][0]
    assert row["recipients"] == [{"id": casework.p.charity.pk, "name": "Caritas Migrationsberatung"}]
    assert row["valid_today"] is True and row["organisation"]["id"] == casework.p.county.pk
    consent_of(casework, casework.open_case(casework.person("Jan", "Kowalski")).person)
    with django_assert_num_queries(5 + LISTED):
        assert len(client.get(CONSENTS).json()["results"]) == 3
    assert [r["id"] for r in client.get(CONSENTS, {"person": first.person_id}).json()["results"]] == [
        first.pk
    ]


def test_other_organisations_do_not_see_the_consent(casework, api_for):
    consent = consent_of(casework, casework.open_case().person)
    for name in ("outsider", "clearing", "partner"):
        client = api_for(getattr(casework.p, name))
        assert client.get(CONSENTS).json()["results"] == [], name
        assert client.get(f"{CONSENTS}{consent.pk}/").status_code == 404, name
        assert client.post(f"{CONSENTS}{consent.pk}/withdraw/", {}, HTTP_IF_MATCH='"1"').status_code == 404, (
            name
        )


def test_consent_detail_has_etag_and_is_audited(casework, api_for):
    consent = consent_of(casework, casework.open_case().person)
    client = api_for(casework.p.outreach)
    response = client.get(f"{CONSENTS}{consent.pk}/")
    assert response.status_code == 200 and response.headers["ETag"] == '"1"'
    assert client.get(f"{CONSENTS}{consent.pk}/", HTTP_IF_NONE_MATCH='"1"').status_code == 304
    assert (
        AuditEvent.objects.filter(
            action="view", object_type="cases.consent", object_id=str(consent.pk)
        ).count()
        == 1
    )


def test_recording_a_verbal_consent(casework, api_for):
    person = casework.open_case().person
    client = api_for(casework.p.outreach)
    response = client.post(
        CONSENTS,
        {
            "person": person.pk,
            "purpose": "Vermittlung in die Migrationsberatung",
            "recipients": [casework.p.city.pk],  # the Neustadtbüro's, reached by a referral way
            "form": "verbal_witness",
            "information_language": "RO",
            "given_on": str(casework.today),
            "witness": "Herr Popa",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    consent = Consent.objects.get()
    assert response.headers["Location"] == f"/api/v1/consents/{consent.pk}/"
    assert response.json()["recipients"] == [{"id": casework.p.city.pk, "name": casework.p.city.name}]
    assert consent.organisation == casework.p.county and consent.information_language == "ro"


def test_recording_a_consent_refuses_bad_input(casework, api_for):
    person = casework.open_case().person
    client = api_for(casework.p.outreach)
    base = {
        "person": person.pk,
        "purpose": "Beratung",
        "recipients": [casework.p.city.pk],
        "form": "verbal_witness",
        "information_language": "ro",
        "given_on": str(casework.today),
        "witness": "Herr Popa",
    }
    own = client.post(CONSENTS, {**base, "recipients": [casework.p.county.pk]}, format="json")
    assert own.status_code == 400 and "recipients" in own.json()["fields"]
    unknown = client.post(CONSENTS, {**base, "recipients": [casework.p.city.pk, 999999]}, format="json")
    assert unknown.status_code == 400 and "recipients" in unknown.json()["fields"]
    none = client.post(CONSENTS, {**base, "recipients": []}, format="json")
    assert none.status_code == 400 and "recipients" in none.json()["fields"]
    no_witness = client.post(CONSENTS, {**base, "witness": ""}, format="json")
    assert no_witness.status_code == 400 and "witness" in no_witness.json()["fields"]
    signed = client.post(CONSENTS, {**base, "form": "signed", "witness": ""}, format="json")
    assert signed.status_code == 400 and "document" in signed.json()["fields"]
    assert not Consent.objects.exists()


def test_withdrawing_needs_if_match_and_ends_the_receivers_access(casework, api_for):
    case = casework.open_case()
    consent = consent_of(casework, case.person)
    from lotse.cases.services import referrals

    referral = referrals.referral_create(
        actor=casework.p.outreach,
        person=case.person,
        from_unit=case.owner_unit,
        to_unit=casework.unit("caritas-mbe"),
        reason="Beratung",
        consent=consent,
        case=case,
    )
    partner = api_for(casework.p.partner)
    assert partner.get(f"/api/v1/referrals/{referral.pk}/").status_code == 200
    client = api_for(casework.p.outreach)
    url = f"{CONSENTS}{consent.pk}/withdraw/"
    assert client.post(url, {"note": "telefonisch"}, format="json").status_code == 428
    assert client.post(url, {"note": "telefonisch"}, format="json", HTTP_IF_MATCH='"9"').status_code == 412
    response = client.post(url, {"note": "telefonisch"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200, response.content
    assert response.json()["withdrawn_on"] == str(casework.today) and response.json()["valid_today"] is False
    assert partner.get(f"/api/v1/referrals/{referral.pk}/").status_code == 404
    again = client.post(url, {}, format="json", HTTP_IF_MATCH=response.headers["ETag"])
    assert again.status_code == 400 and "bereits widerrufen" in again.json()["detail"]
