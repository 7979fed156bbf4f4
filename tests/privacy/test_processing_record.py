"""The record of processing activities (Art. 30 GDPR) follows the configuration: activities per
unit from the blueprint, recipients from the referral routes, joint controllers from the
arrangements in force, the data protection officers from the roles; as a page and a PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from lotse.accounts import services as account_services
from lotse.accounts.models import Unit
from lotse.cases.services.routes import referral_route_upsert
from lotse.privacy.processing import processing_record

pytestmark = pytest.mark.django_db

URL = "/datenschutz/verzeichnis/"


def _activity(record, unit: str):
    return next(activity for activity in record.activities if activity.unit == unit)


def test_each_organisation_lists_its_units_with_recipients_from_the_routes(personas):
    school_team = Unit.objects.get(slug="schulteam")
    assert not _activity(processing_record(personas.city), "Schulteam").joint
    account_services.joint_arrangement_record(
        actor=None,
        unit=school_team,
        organisations=[personas.county, personas.city],
        purposes="Beschulung aller Kinder",
        valid_from=dt.date(2024, 1, 1),
        document="Az. 40-2024-7",
    )
    city = processing_record(personas.city)
    assert {a.unit for a in city.activities} >= {"Clearingstelle", "Wohnraumkontrolle", "Schulteam"}
    assert "Aufsuchende Sozialarbeit" not in {a.unit for a in city.activities}  # the county's
    clearing = _activity(city, "Clearingstelle")
    assert "Schulteam (an Landkreis Burgenlandkreis) – § 34 Abs. 1 BMG" in clearing.recipients
    assert any("BMG" in basis for basis in clearing.legal_bases)
    school = _activity(city, "Schulteam")
    assert school.joint == [
        "gemeinsam verantwortlich mit Landkreis Burgenlandkreis (Art. 26 DSGVO), Vereinbarung: Az. 40-2024-7"
    ]
    assert not _activity(city, "Clearingstelle").joint
    assert city.officers == ["Dpo City Test"]
    county = processing_record(personas.county)
    assert {a.unit for a in county.activities} == {"Aufsuchende Sozialarbeit", "Schulteam"}


def test_a_new_route_is_a_new_recipient_and_a_new_unit_asks_for_its_description(personas):
    referral_route_upsert(
        actor=None,
        from_unit=Unit.objects.get(slug="wohnraumkontrolle"),
        to_unit=Unit.objects.get(slug="aufsuchende-sozialarbeit"),
        label="Unbewohnbar: Familien begleiten",
        suggested_legal_basis="Art. 6 Abs. 1 lit. e DSGVO",
    )
    account_services.unit_upsert(
        actor=None, slug="sprachcafe", name="Sprachcafé", kind="neighbourhood", organisations=[personas.city]
    )
    record = processing_record(personas.city)
    housing = _activity(record, "Wohnraumkontrolle")
    assert (
        "Aufsuchende Sozialarbeit (an Landkreis Burgenlandkreis) – Art. 6 Abs. 1 lit. e DSGVO"
        in housing.recipients
    )
    assert record.undescribed == ["Sprachcafé"]


def test_page_and_pdf_for_data_protection_and_configuration_only(personas, client_for):
    page = client_for(personas.dpo).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Verzeichnis von Verarbeitungstätigkeiten" in html and "Wohnungsaufsichtsgesetz" in html
    pdf = client_for(personas.dpo).get(URL, {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Verzeichnis von Verarbeitungstätigkeiten" in text and "Clearingstelle" in text
    assert client_for(personas.admin).get(URL).status_code == 200
    for user in (personas.clearing, personas.partner, personas.outsider, personas.head):
        assert client_for(user).get(URL).status_code == 404, user
