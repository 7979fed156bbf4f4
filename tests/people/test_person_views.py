"""The register pages: list, intake with live duplicates, detail, edit, merge."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from lotse.core import access
from lotse.core.models import AuditEvent
from lotse.people import duplicates
from lotse.people.models import Person
from tests.queries import LISTED

from .conftest import NEUSTADT

pytestmark = pytest.mark.django_db

INTAKE = {
    "given_names": "Stefan",
    "family_name": "Popescu",
    "birth_date": "14.03.1988",
    "sex": "m",
    "nationalities": ["RO"],
    "languages": ["ro", "de"],
    "street": "Naumburger Straße",
    "house_number": "12",
    "postcode": "06667",
    "city": "Weißenfels",
    "dwelling_label": "EG rechts",
}


@pytest.mark.parametrize(
    "persona", ["outreach", "school_county", "partner", "head", "dpo", "admin", "outsider"]
)
def test_register_pages_are_404_without_register_access(personas, client_for, register, persona):
    person = register("Ana", "Pop", "1990")
    client = client_for(getattr(personas, persona))
    # Outreach and Wietze keep their own records (tests/people/test_own_records.py): they have
    # the list and the intake, but never the register's persons.
    own = ["/personen/", "/personen/neu/"] if persona not in {"outreach", "outsider"} else []
    for url in [
        *own,
        f"/personen/{person.pk}/",
        f"/personen/{person.pk}/bearbeiten/",
    ]:
        assert client.get(url).status_code == 404, url
    lookup = client.post("/personen/dubletten/suche/", {"given_names": "Ana", "family_name": "Pop"})
    if own:
        assert lookup.status_code == 404
    else:  # their own records' lookup never tells of the register's persons
        assert lookup.status_code == 200 and "Pop" not in lookup.content.decode()


def test_intake_creates_the_person_with_address(personas, client_for):
    response = client_for(personas.clearing).post("/personen/neu/", INTAKE)
    person = Person.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/personen/{person.pk}/"
    assert person.nationalities == ["RO"] and person.languages == ["ro", "de"]
    assert str(person.dwelling.building) == "Naumburger Straße 12, 06667 Weißenfels"


def test_intake_bad_input_names_each_problem_in_german_and_saves_nothing(personas, client_for):
    bad = {
        **INTAKE,
        "birth_date": "31.02.1988",
        "nationalities": ["RO", "XX"],
        "languages": ["klingonisch"],
        "house_number": "",
    }
    response = client_for(personas.clearing).post("/personen/neu/", bad)
    html = response.content.decode()
    assert response.status_code == 400
    assert "31.02.1988" in html
    assert "Unbekannter Ländercode: XX" in html
    assert "Unbekannter Sprachcode: klingonisch" in html
    assert "Bitte die Anschrift vollständig angeben" in html
    assert not Person.objects.exists()


def test_live_duplicate_panel_finds_other_spellings(personas, client_for, register):
    existing = register("Ștefan", "Popescu", "14.03.1988", address=NEUSTADT)
    response = client_for(personas.clearing).post(
        "/personen/dubletten/suche/",
        {"given_names": "Stefan", "family_name": "Popescu", "birth_date": "14.03.1988"},
    )
    html = response.content.decode()
    assert f"/personen/{existing.pk}/" in html
    assert "sehr wahrscheinlich dieselbe Person" in html


def test_intake_stops_at_a_likely_duplicate_until_the_clerk_confirms(personas, client_for, register):
    register("Ștefan", "Popescu", "14.03.1988", address=NEUSTADT)
    client = client_for(personas.clearing)
    first = client.post("/personen/neu/", INTAKE)
    assert first.status_code == 400
    assert "sehr wahrscheinlich schon dieselbe Person" in first.content.decode()
    assert Person.objects.count() == 1
    confirmed = client.post("/personen/neu/", {**INTAKE, "duplicates_checked": "on"})
    assert confirmed.status_code == 302
    assert Person.objects.count() == 2


def test_twin_is_not_flagged_as_duplicate(personas, client_for, register):
    register("Ana", "Popescu", "14.03.2015", address=NEUSTADT)
    response = client_for(personas.clearing).post(
        "/personen/neu/",
        {**INTAKE, "given_names": "Ioana", "birth_date": "14.03.2015", "sex": "f"},
    )
    assert response.status_code == 302


def test_detail_is_audited_and_lists_possible_duplicates(personas, client_for, register):
    a = register("Георги", "Иванов", "12.05.1979")
    b = register("Georgi", "Ivanov", "12.05.1979")
    html = client_for(personas.clearing).get(f"/personen/{a.pk}/").content.decode()
    assert f"/personen/{a.pk}/zusammenfuehren/{b.pk}/" in html
    assert AuditEvent.objects.filter(action="view", object_id=str(a.pk), actor=personas.clearing).exists()


def test_merge_page_merges_the_chosen_way(personas, client_for, register):
    a = register("Mohammed", "Al-Hassan", "03.07.1992")
    b = register("Muhammad", "El Hassan", "03.07.1992", register_id="MR-1")
    client = client_for(personas.clearing)
    page = client.get(f"/personen/{a.pk}/zusammenfuehren/{b.pk}/")
    assert "Welcher Eintrag bleibt?" in page.content.decode()
    missing_choice = client.post(f"/personen/{a.pk}/zusammenfuehren/{b.pk}/", {})
    assert missing_choice.status_code == 400
    done = client.post(f"/personen/{a.pk}/zusammenfuehren/{b.pk}/", {"kept": b.pk})
    assert done["Location"] == f"/personen/{b.pk}/"
    a.refresh_from_db()
    assert a.merged_into_id == b.pk
    # The old address of the merged record leads to the one that stayed.
    assert client.get(f"/personen/{a.pk}/")["Location"] == f"/personen/{b.pk}/"


def test_housing_inspector_reads_but_cannot_edit(personas, client_for, register):
    person = register("Ana", "Pop", "1990")
    client = client_for(personas.housing)
    assert client.get(f"/personen/{person.pk}/").status_code == 200
    assert "Bearbeiten" not in client.get(f"/personen/{person.pk}/").content.decode()
    assert client.get(f"/personen/{person.pk}/bearbeiten/").status_code == 404
    assert client.get("/personen/neu/").status_code == 404
    assert client.post("/personen/neu/", INTAKE).status_code == 404


def test_edit_changes_are_saved_and_audited(personas, client_for, register):
    person = register("Ana", "Pop", "1990")
    response = client_for(personas.clearing).post(
        f"/personen/{person.pk}/bearbeiten/", {**INTAKE, "given_names": "Ana", "family_name": "Popa"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.family_name == "Popa"
    event = AuditEvent.objects.filter(object_id=str(person.pk), action="update").latest("id")
    assert event.changes["family_name"] == ["Pop", "Popa"]


def test_list_search_and_constant_queries(personas, client_for, register, django_assert_num_queries):
    for i in range(3):
        register(f"Ana{i}", "Pop", "1990", address=NEUSTADT)
    client = client_for(personas.clearing)
    client.get("/personen/")
    # session, user+organisation, memberships, their organisations, whether the words as typed
    # find anybody (else a typo is forgiven), the page's rows (and one more, to know of a next
    # page) with dwelling and building, session renewal (savepoint, update, release), the
    # record of which persons the list showed
    with django_assert_num_queries(9 + LISTED):
        html = client.get("/personen/?q=pop").content.decode()
    assert html.count("/personen/") >= 3
    for i in range(3, 8):
        register(f"Ana{i}", "Pop", "1990", address=NEUSTADT)
    with django_assert_num_queries(9 + LISTED):
        client.get("/personen/?q=pop")
    assert "Niemand im Register" in client.get("/personen/?q=zzz").content.decode()


def test_duplicate_work_list_shows_recent_pairs_once(
    personas, client_for, register, django_assert_max_num_queries
):
    a = register("Ștefan", "Popescu", "14.03.1988", address=NEUSTADT)
    b = register("Stefan", "Popescu", "1988", address=NEUSTADT)
    register("Ioana", "Popescu", "14.03.2015", address=NEUSTADT)  # a daughter, not a duplicate
    client = client_for(personas.clearing)
    client.get("/")
    # session, user, memberships, their organisations; kept pairs (none: a small register is
    # live); the recent persons counted, listed; the pairs; their persons; the shown persons read
    # for the viewer (decision 0049); the session saved (savepoint, update, release)
    with django_assert_max_num_queries(13):
        html = client.get("/personen/dubletten/").content.decode()
    assert html.count(f"/personen/{min(a.pk, b.pk)}/zusammenfuehren/{max(a.pk, b.pk)}/") == 1
    assert "Ioana" not in html
    assert client_for(personas.partner).get("/personen/dubletten/").status_code == 404
    # Outreach keeps its own records: its list holds them, never the register's pairs.
    own = client_for(personas.outreach).get("/personen/dubletten/").content.decode()
    assert "Popescu" not in own


def test_duplicate_work_list_goes_through_the_recent_persons_part_by_part(
    personas, register, client_for, monkeypatch, django_assert_num_queries
):
    """After an import of a whole register every person is "recent": the work list pairs them a
    thousand at a time, changed last first, in three queries however many there are (all at once
    took minutes at 10,000 generated persons, benchmarks/pages.py); the older parts are a link
    away, so no pair is lost."""
    old = [
        register("Ștefan", "Popescu", "14.03.1988", address=NEUSTADT),
        register("Stefan", "Popescu", "1988", address=NEUSTADT),
    ]
    Person.objects.filter(pk__in=[p.pk for p in old]).update(updated_at=timezone.now() - dt.timedelta(days=1))
    new = [register("Mihai", "Ionescu", "02.05.1979"), register("Mihai", "Ionescu", "1979")]
    register_ = access.visible(personas.clearing, Person, "register")
    since = timezone.now() - dt.timedelta(days=90)
    with django_assert_num_queries(3):
        last_two = duplicates.open_pairs(among=register_, since=since, recent=2)
    assert [{a.pk, b.pk} for a, b, _c in last_two] == [{p.pk for p in new}]
    earlier = duplicates.open_pairs(among=register_, since=since, recent=2, skip=2)
    assert [{a.pk, b.pk} for a, b, _c in earlier] == [{p.pk for p in old}]

    monkeypatch.setattr(duplicates, "RECENT", 2)
    client = client_for(personas.clearing)
    first = client.get("/personen/dubletten/").content.decode()
    assert "Ionescu" in first and "Popescu" not in first
    assert "Geprüft wurden die Einträge 1 bis 2 von 4" in first and "?teil=2" in first
    second = client.get("/personen/dubletten/?teil=2").content.decode()
    assert "Popescu" in second and "Ionescu" not in second
    assert "Geprüft wurden die Einträge 3 bis 4 von 4" in second and "?teil=1" in second
    # A part beyond the end shows the last; nonsense shows the first.
    assert "Einträge 3 bis 4 von 4" in client.get("/personen/dubletten/?teil=99").content.decode()
    assert "Einträge 1 bis 2 von 4" in client.get("/personen/dubletten/?teil=x").content.decode()


def test_list_pages_keep_the_search(personas, client_for, register):
    """The register pages by position (it grows without bound): page 2 starts after the last
    row of page 1, newest first, and keeps the search."""
    for i in range(27):
        register(f"Ana{i}", "Pop", "1990")

    def row(number: int) -> str:
        return f"<bdi>Pop</bdi>, <bdi>Ana{number}</bdi></a>"

    client = client_for(personas.clearing)
    html = client.get("/personen/?q=pop").content.decode()
    assert "Einträge 1–25" in html and row(26) in html and row(1) not in html
    after = re.search(r'href="\?q=pop&amp;nach=([\w-]+)"', html)
    assert after is not None
    second = client.get(f"/personen/?q=pop&nach={after[1]}").content.decode()
    assert row(1) in second and row(0) in second and row(26) not in second
    assert 'href="?q=pop"' in second  # back to the first page
    # A damaged position starts at the beginning instead of failing.
    assert row(26) in client.get("/personen/?q=pop&nach=kaputt").content.decode()


def test_intake_refuses_a_right_to_left_override_in_a_name_naming_field_and_character(personas, client_for):
    client = client_for(personas.clearing)
    response = client.post("/personen/neu/", {**INTAKE, "family_name": "gnp\u202eexe"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "„Familienname“ enthält U+202E" in html and "Schreibrichtung" in html
    assert not Person.objects.exists()


def test_the_service_refuses_zero_width_characters_in_every_name_field(personas, register):
    from django.core.exceptions import ValidationError

    for field in ("birth_name", "family_name_original", "given_names_original"):
        with pytest.raises(ValidationError) as error:
            register("Ana", "Pop", "1990", **{field: "Po\u200bp"})
        assert "U+200B" in " ".join(error.value.message_dict[field])
    assert not Person.objects.exists()


def test_names_are_isolated_in_the_list_and_on_the_detail_page(personas, client_for, register):
    person = register("محمد", "Pop", "1990")
    client = client_for(personas.clearing)
    assert '<bdi>Pop</bdi>, <bdi dir="rtl">محمد</bdi>' in client.get("/personen/").content.decode()
    detail = client.get(f"/personen/{person.pk}/").content.decode()
    assert '<h1 class="kern-heading-large"><bdi dir="rtl">محمد</bdi> <bdi>Pop</bdi>' in detail
