"""Subject access (Art. 15 GDPR): everything one controller holds about a person – every app's
records about them under German field names, merged duplicates, disclosures, every access – as
PDF (read back here) and JSON, from a page and from the command line."""

from __future__ import annotations

import io
import json
import unicodedata

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from lotse.core.models import AuditEvent
from lotse.people import services as people_services
from lotse.privacy.subject_access import subject_access
from tests.cases.casework import Casework

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(personas):
    return Casework(personas)


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))


def test_each_controller_answers_for_what_it_holds(personas, work):
    person = work.person("Ștefan", "Chiriac", phone="0170 1234567")
    case = work.open_case(person)  # the county's outreach, after the city's referral
    city = subject_access(person, personas.city)
    titles = {section.title for section in city.sections}
    assert {"Personen", "Verweisungen"} <= titles
    assert "Fallakten" not in titles  # the county holds it and answers for it
    fields = dict(city.sections[0].records[0].fields)
    assert fields["Familienname"] == "Chiriac" and fields["Telefon"] == "0170 1234567"
    county = subject_access(person, personas.county)
    county_titles = [s.title for s in county.sections]
    assert "Fallakten" in county_titles and "Personen" not in county_titles  # the register is the city's
    case_files = next(s for s in county.sections if s.title == "Fallakten")
    assert case_files.records[0].label == f"Fallakte #{case.pk}"
    assert any(access.record == f"Fallakte #{case.pk}" for access in county.accesses)


def test_records_of_a_merged_duplicate_are_in_the_answer(personas, work):
    kept = work.person("Georgi", "Ivanov")
    duplicate = work.person("Gheorghi", "Ivanov")
    work.refer(duplicate)
    people_services.person_merge(actor=personas.clearing, kept=kept, merged=duplicate)
    answer = subject_access(kept, personas.city)
    persons = next(s for s in answer.sections if s.title == "Personen")
    assert {r.label for r in persons.records} == {f"Person #{kept.pk}", f"Person #{duplicate.pk}"}
    assert any(s.title == "Verweisungen" for s in answer.sections)


def test_the_pdf_prints_every_script_and_the_json_holds_the_same(personas, client_for, work):
    person = work.person("Georgi", "Petrov", given_names_original="Георги", family_name_original="Петров")
    arabic = work.person("Mohammed", "Haddad", given_names_original="محمد", family_name_original="حداد")
    client = client_for(personas.dpo)
    page = client.get(f"/datenschutz/auskunft/{person.pk}/")
    assert page.status_code == 200 and "Auskunft als PDF" in page.content.decode()
    pdf = client.get(f"/datenschutz/auskunft/{person.pk}/", {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    assert "Auskunft nach Art. 15 DSGVO" in text and "Георги" in text and "Петров" in text
    assert "Vornamen in Originalschrift" in text
    arabic_text = _pdf_text(client.get(f"/datenschutz/auskunft/{arabic.pk}/", {"format": "pdf"}).content)
    assert set("محمد") <= set(arabic_text) and set("حداد") <= set(arabic_text)
    data = json.loads(client.get(f"/datenschutz/auskunft/{person.pk}/", {"format": "json"}).content)
    assert data["person"] == "Georgi Petrov" and data["controller"] == "Stadt Weißenfels"
    assert ["Vornamen in Originalschrift", "Георги"] in data["sections"][0]["records"][0]["fields"]
    exports = AuditEvent.objects.filter(action="export", object_id__in=[str(person.pk), str(arabic.pk)])
    assert sorted(e.changes["subject_access"] for e in exports) == ["json", "pdf", "pdf"]


def test_who_may_compile_an_answer(personas, client_for, work, county_dpo):
    person = work.person("Elena", "Rusu")
    url = f"/datenschutz/auskunft/{person.pk}/"
    assert client_for(personas.clearing).get(url).status_code == 200  # keeps the register
    assert client_for(personas.dpo).get(url).status_code == 200
    for user in (personas.outreach, personas.partner, personas.head, personas.admin, personas.outsider):
        assert client_for(user).get(url).status_code == 404, user
    county = client_for(county_dpo)
    assert county.get(url).status_code == 404  # holds nothing of hers
    work.open_case(person)
    assert county.get(url).status_code == 200  # now its case file


def test_the_command_writes_pdf_or_json_and_refuses_anything_else(personas, work, tmp_path):
    person = work.person("Ioana", "Munteanu")
    call_command("subject_access", person.pk, out=tmp_path / "auskunft.json")
    data = json.loads((tmp_path / "auskunft.json").read_text(encoding="utf-8"))
    assert data["person"] == "Ioana Munteanu"
    call_command("subject_access", person.pk, out=tmp_path / "auskunft.pdf", organisation="burgenlandkreis")
    assert "keine Daten über diese Person" in _pdf_text((tmp_path / "auskunft.pdf").read_bytes())
    with pytest.raises(CommandError, match=r"auf \.pdf oder \.json enden"):
        call_command("subject_access", person.pk, out=tmp_path / "auskunft.txt")
    with pytest.raises(CommandError, match="keine Person mit der Nummer 999999"):
        call_command("subject_access", 999999, out=tmp_path / "x.pdf")
    assert AuditEvent.objects.filter(action="export", object_id=str(person.pk)).count() == 2
