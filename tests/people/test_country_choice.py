"""Nationality and language are chosen from lists of German names (sorted as in a German
dictionary, searchable), not typed as ISO codes; the stored value stays the code, and pages
show the name."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from lotse.people.countries import collation_key, country_choices, language_choices
from lotse.people.models import Person

from .test_person_views import INTAKE

pytestmark = pytest.mark.django_db


def options(html: str, name: str) -> list[tuple[str, str]]:
    """(value, text) of the options of the select called ``name``."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"keine Auswahlliste {name}"
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))


def test_german_collation_puts_umlauts_beside_their_letter():
    names = ["Österreich", "Oman", "Ägypten", "Afghanistan", "Albanien", "Pakistan"]
    assert sorted(names, key=collation_key) == [
        "Afghanistan", "Ägypten", "Albanien", "Oman", "Österreich", "Pakistan",
    ]  # fmt: skip


def test_choices_hold_every_country_and_the_languages_people_here_speak():
    with translation.override("de"):
        countries = dict(country_choices())
        languages = dict(language_choices())
    assert len(countries) == 249 and countries["RO"] == "Rumänien" and countries["DE"] == "Deutschland"
    assert languages["ro"] == "Rumänisch" and languages["rom"] == "Romani"  # no slur after a ";"
    assert languages["ckb"] == "Zentralkurdisch" and languages["prs"] == "Dari"


def test_intake_form_offers_lists_of_german_names(personas, client_for):
    html = client_for(personas.clearing).get("/personen/neu/").content.decode()
    assert re.search(r'<select name="nationalities"[^>]*multiple', html)
    nationalities = options(html, "nationalities")
    names = [text for _value, text in nationalities]
    assert ("RO", "Rumänien") in nationalities and ("BG", "Bulgarien") in nationalities
    assert names.index("Afghanistan") < names.index("Ägypten") < names.index("Albanien")
    assert names.index("Oman") < names.index("Österreich") < names.index("Pakistan")
    assert ("ro", "Rumänisch") in options(html, "languages")
    previous = options(html, "previous_country")
    assert previous[0][0] == "" and ("UA", "Ukraine") in previous
    # The search box is added in the browser; the list says what to call it.
    assert 'data-filter="Staaten durchsuchen"' in html and 'data-filter="Sprachen durchsuchen"' in html


def test_chosen_codes_are_stored_and_shown_as_names(personas, client_for):
    client = client_for(personas.clearing)
    data = {**INTAKE, "nationalities": ["UA", "BG"], "languages": ["uk", "rom"], "previous_country": "PL"}
    assert client.post("/personen/neu/", data).status_code == 302
    person = Person.objects.get()
    assert person.nationalities == ["UA", "BG"] and person.primary_nationality == "UA"
    assert person.languages == ["uk", "rom"] and person.previous_country == "PL"
    detail = client.get(f"/personen/{person.pk}/").content.decode()
    assert "Ukraine, Bulgarien" in detail and "Ukrainisch, Romani" in detail and "Polen" in detail
    listing = client.get("/personen/").content.decode()
    assert "Ukraine, Bulgarien" in listing and "UA, BG" not in listing


def test_editing_keeps_the_primary_nationality_and_rare_languages(personas, client_for, register):
    # Bulgaria comes before Ukraine in the list; the primary nationality stays first all the same.
    # "rmc" (Carpathian Romani) is not in the usual list; the register import may store it.
    person = register("Ana", "Pop", "1990", nationalities=["UA", "BG"], languages=["rmc", "uk"])
    client = client_for(personas.clearing)
    url = f"/personen/{person.pk}/bearbeiten/"
    page = client.get(url).content.decode()
    chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', page)
    assert {"UA", "BG", "rmc", "uk"} <= set(chosen)
    data = {**INTAKE, "nationalities": ["BG", "UA"], "languages": ["uk", "rmc", "de"]}
    assert client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.nationalities == ["UA", "BG"] and person.primary_nationality == "UA"
    assert person.languages == ["rmc", "uk", "de"]


def test_unknown_codes_are_named(personas, client_for):
    data = {**INTAKE, "nationalities": ["XX"], "languages": ["klingonisch"]}
    html = client_for(personas.clearing).post("/personen/neu/", data).content.decode()
    assert "Unbekannter Ländercode: XX" in html and "Unbekannter Sprachcode: klingonisch" in html
    assert not Person.objects.exists()


def test_interview_form_chooses_languages_from_the_list(personas, client_for, register):
    person = register("Ana", "Pop", "1990", languages=["ro"])
    client = client_for(personas.clearing)
    html = client.get(f"/clearingstelle/gespraeche/neu/{person.pk}/").content.decode()
    assert ("ro", "Rumänisch") in options(html, "interpreter_language")
    spoken = re.search(r'<select name="languages"[^>]*>.*?</select>', html, re.S)
    assert spoken and re.search(r'<option value="ro"[^>]*selected[^>]*>Rumänisch</option>', spoken.group(0))


def test_contact_form_chooses_its_language_from_the_list_and_keeps_a_rare_one():
    from lotse.cases.forms import ContactForm

    with translation.override("de"):
        html = str(ContactForm()["language"])
        assert '<option value="pl">Polnisch</option>' in html
        kept = str(ContactForm(initial={"language": "rmc"})["language"])
        assert re.search(r'<option value="rmc" selected>', kept)


def test_import_preview_shows_countries_by_name(personas, client_for):
    """The register file may say „BG“ or „rumänisch“; the preview says how Lotse understood it."""
    from lotse.clearing.models import RegisterImport
    from tests.clearing.conftest import ROWS, csv_bytes, upload

    client = client_for(personas.clearing)
    client.post("/clearingstelle/melderegister/neu/", {"file": upload("register.csv", csv_bytes(ROWS))})
    register_import = RegisterImport.objects.get()
    url = f"/clearingstelle/melderegister/{register_import.pk}/"
    mapping = {f"spalte_{index}": "" for index in range(len(register_import.columns))}
    mapping |= {f"spalte_{index}": key for key, index in register_import.mapping.items()}
    client.post(f"{url}zuordnung/", mapping)
    cells = re.findall(r'<td class="kern-table__cell">([^<]*)</td>', client.get(url).content.decode())
    assert cells.count("Rumänien") == 4 and cells.count("Bulgarien") == 2  # nationality, moved from
    assert "BG" not in cells and "RO" not in cells
