"""Letters as PDF: read back with pypdf, the letterhead, checklist, findings, legal basis and
deadline are in them, and names in Romanian, Bulgarian Cyrillic and Arabic print as written."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from lotse.housing import letters, services

pytestmark = pytest.mark.django_db

NAMES = ["Ștefan Țurcanu", "Георги Иванов", "محمد العلي"]


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    # Table cells wrap: compare with single spaces.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def order(housing):
    owner = housing.owner(NAMES[0], address="Strada Florilor 3, București")
    manager = housing.owner(NAMES[1])
    building = housing.building(owner=owner, manager=manager)
    inspection = housing.inspection(housing.dwelling(building, area="30"))
    services.inspection_record(
        actor=housing.inspector,
        inspection=inspection,
        checklist={"mould": "deficient", "electricity": "ok"},
        adults_found=4,
        children_ages_found=[3],
    )
    finding = services.finding_add(
        actor=housing.inspector,
        inspection=inspection,
        category="mould",
        description="Schimmelbefall an der Außenwand im Kinderzimmer",
        severity="major",
    )
    return services.order_issue(
        actor=housing.inspector,
        finding=finding,
        text="Ursache der Durchfeuchtung beseitigen und Schimmel fachgerecht entfernen",
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )


def test_inspection_report_reads_back(order):
    inspection = order.finding.inspection
    inspection.refresh_from_db()
    text = text_of(letters.inspection_report(inspection))
    assert "Stadt Weißenfels" in text and "Wohnraumkontrolle" in text  # the blueprint's letterhead
    assert "Bericht über die Wohnungskontrolle" in text
    assert "Naumburger Straße 12" in text
    assert "Schimmel und Ungeziefer" in text and "§ 3 WoAufG LSA" in text
    assert "Schimmelbefall an der Außenwand" in text
    assert order.deadline.strftime("%d.%m.%Y") in text
    assert (
        "überbelegt" in text and "§ 7 WoAufG LSA" in text
    )  # 4 adults and a small child on 30 m²: 42 m² needed
    assert NAMES[0] in text and NAMES[1] in text


def test_order_letter_reads_back_with_every_script(order, housing):
    arabic = housing.owner(NAMES[2])
    order.addressee = arabic
    text = text_of(letters.order_letter(order))
    assert "Anordnung zur Beseitigung eines Mangels" in text
    assert "§ 5 WoAufG LSA" in text
    assert f"bis zum {order.deadline:%d.%m.%Y}" in text
    assert "Stromversorgung" in text
    # pypdf returns right-to-left text in visual order; the letters are there, shaped.
    found = text.replace(" ", "")
    assert NAMES[2].replace(" ", "") in found or NAMES[2][::-1].replace(" ", "") in found


def test_letters_are_served_to_the_inspector_only(order, personas, client_for):
    url = f"/wohnraum/anordnungen/{order.pk}/brief.pdf"
    response = client_for(personas.housing).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert NAMES[0] in text_of(response.content)
    assert client_for(personas.clearing).get(url).status_code == 404
    report = client_for(personas.housing).get(
        f"/wohnraum/kontrollen/{order.finding.inspection_id}/bericht.pdf"
    )
    assert report.status_code == 200 and report.content.startswith(b"%PDF")
