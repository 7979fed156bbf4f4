"""A consent belongs to the unit that obtained it, not to its whole organisation: others of the
same organisation see it only as the basis of a referral they receive, and only the obtaining
unit withdraws it (or someone records the person's own withdrawal made to them, saying so)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from lotse.accounts import services
from lotse.accounts.models import Unit
from lotse.cases.services import consents
from lotse.core import access
from tests.second_factor import issue_token

pytestmark = pytest.mark.django_db


def test_the_housing_inspection_reads_no_consent_of_the_clearingstelle(sharing, client_for):
    """As found: the housing inspector read all consents and consent forms of the Clearingstelle
    and withdrew one over the API."""
    person = sharing.person()
    consent = sharing.consent(person, signed=True)
    inspector = client_for(sharing.p.housing)
    assert inspector.get(f"/einwilligungen/{consent.pk}/").status_code == 404
    assert inspector.get(f"/dokumente/{consent.document_id}/").status_code == 404
    raw = issue_token(sharing.p.housing)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/consents/").json()["results"] == []
    response = api.post(
        f"/api/v1/consents/{consent.pk}/withdraw/", {}, format="json", HTTP_IF_MATCH=f'"{consent.version}"'
    )
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
    with pytest.raises(PermissionDenied):
        consents.consent_withdraw(actor=sharing.p.housing, consent=consent, withdrawn_on=sharing.today)


def test_the_obtaining_unit_sees_and_withdraws_its_consent(sharing, client_for):
    consent = sharing.consent(sharing.person())
    assert consent.unit.slug == "clearingstelle"
    page = client_for(sharing.p.clearing).get(f"/einwilligungen/{consent.pk}/").content.decode()
    assert "Widerruf speichern" in page
    consents.consent_withdraw(actor=sharing.p.clearing_lead, consent=consent, withdrawn_on=sharing.today)


def test_a_receiving_unit_of_the_organisation_sees_the_basis_and_records_the_persons_withdrawal(
    sharing, client_for
):
    person = sharing.person()
    consent = sharing.consent(person)
    sharing.refer(person, "neustadtbuero", consent=consent)
    office = client_for(sharing.p.neighbourhood)
    page = office.get(f"/einwilligungen/{consent.pk}/").content.decode()
    assert "Diese Einwilligung hat „Clearingstelle“ eingeholt" in page
    assert not access.can(sharing.p.neighbourhood, "manage", consent)
    with pytest.raises(PermissionDenied):  # not as the owner
        consents.consent_withdraw(actor=sharing.p.neighbourhood, consent=consent, withdrawn_on=sharing.today)
    with pytest.raises(ValidationError, match="wann und wie die Person den Widerruf"):
        consents.consent_withdraw(
            actor=sharing.p.neighbourhood, consent=consent, withdrawn_on=sharing.today, on_request=True
        )
    response = office.post(
        f"/einwilligungen/{consent.pk}/widerrufen/",
        {
            "version": consent.version,
            "withdrawn_on": sharing.today.isoformat(),
            "note": "Heute in der Sprechstunde mündlich erklärt",
        },
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == sharing.today and "Sprechstunde" in consent.withdrawal_note


def test_whoever_records_for_several_units_names_the_one_that_obtains(sharing, casework, client_for):
    both = casework.colleague("zwei-einheiten", unit="clearingstelle")
    office = Unit.objects.get(slug="neustadtbuero")
    services.membership_create(actor=None, user=both, unit=office, role="caseworker")
    both.refresh_from_db()
    person = sharing.person()
    with pytest.raises(ValidationError, match="Bitte wählen Sie die Einheit"):
        sharing.consent(person, actor=both)
    page = client_for(both).get(f"/einwilligungen/person/{person.pk}/neu/").content.decode()
    assert "Eingeholt für die Einheit" in page
    consent = consents.consent_create(
        actor=both,
        person=person,
        purpose="Beratung",
        recipients=[sharing.p.charity],
        form="verbal_witness",
        witness="D. Ionescu",
        information_language="ro",
        given_on=sharing.today,
        unit=office,
    )
    assert consent.unit == office
