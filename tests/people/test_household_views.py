"""The household pages: created from a person, members searched, added, placed and removed;
the housing inspection reads, everyone else outside the register gets 404."""

from __future__ import annotations

import pytest

from lotse.core.models import AuditEvent
from lotse.people import services
from lotse.people.models import Household, Person
from tests.queries import AUDIT_LOCK

from .conftest import NEUSTADT, person_input

pytestmark = pytest.mark.django_db

BASE = "/personen/haushalte/"


@pytest.fixture
def household(personas, register):
    """The Popescus: father (head), mother (partner), son (child); a neighbour outside it."""
    father = register("Ion", "Popescu", "12.04.1985", address=NEUSTADT)
    household = services.household_create(actor=personas.clearing, person=father)
    for given, birth, relationship in (("Maria", "03.09.1987", "partner"), ("Andrei", "20.06.2014", "child")):
        services.household_member_add(
            actor=personas.clearing,
            household=household,
            person=register(given, "Popescu", birth, address=NEUSTADT),
            relationship=relationship,
        )
    return household


def member(household: Household, given: str) -> Person:
    return household.members.get(given_names=given)


def test_the_clerk_creates_a_household_from_the_persons_page(personas, client_for, register):
    person = register("Georgi", "Ivanov", "1979", address=NEUSTADT)
    client = client_for(personas.clearing)
    page = client.get(f"/personen/{person.pk}/").content.decode()
    assert f'href="{BASE}neu/{person.pk}/"' in page
    form = client.get(f"{BASE}neu/{person.pk}/").content.decode()
    # Name and dwelling are filled in from the person.
    assert 'value="Familie Ivanov"' in form
    assert 'value="Naumburger Straße"' in form and 'value="2. OG links"' in form
    data = {
        "name": "Familie Ivanov",
        "relationship": "head",
        "street": "Naumburger Straße",
        "house_number": "12",
        "postcode": "06667",
        "city": "Weißenfels",
        "dwelling_label": "2. OG links",
    }
    response = client.post(f"{BASE}neu/{person.pk}/", data)
    household = Household.objects.get()
    assert response["Location"] == f"{BASE}{household.pk}/"
    assert household.dwelling_id == person.dwelling_id
    person.refresh_from_db()
    assert person.relationship == "head"
    detail = client.get(f"/personen/{person.pk}/").content.decode()
    assert f'href="{BASE}{household.pk}/"' in detail and "(Haushaltsvorstand)" in detail


def test_household_form_names_problems_in_german_and_creates_nothing(personas, client_for, register):
    person = register("Georgi", "Ivanov", "1979")
    response = client_for(personas.clearing).post(
        f"{BASE}neu/{person.pk}/", {"name": "", "relationship": "head", "street": "Naumburger Straße"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in html
    assert "Bitte die Anschrift vollständig angeben" in html
    assert not Household.objects.exists()
    person.refresh_from_db()
    assert person.household_id is None


def test_household_page_lists_members_in_order_with_their_place(personas, client_for, household):
    html = client_for(personas.clearing).get(f"{BASE}{household.pk}/").content.decode()
    positions = [
        html.index(name)
        for name in (
            "<bdi>Popescu</bdi>, <bdi>Ion</bdi>",
            "<bdi>Popescu</bdi>, <bdi>Maria</bdi>",
            "<bdi>Popescu</bdi>, <bdi>Andrei</bdi>",
        )
    ]
    assert positions == sorted(positions)
    for label in ("Haushaltsvorstand", "Ehe- oder Lebenspartner/in", "Kind", "in dieser Wohnung"):
        assert label in html
    assert "Naumburger Straße 12, 06667 Weißenfels" in html
    assert AuditEvent.objects.filter(
        action="view", object_type="people.household", object_id=str(household.pk)
    ).exists()


def test_the_search_finds_persons_to_add_and_marks_those_of_other_households(
    personas, client_for, household, register
):
    grandmother = register("Elena", "Popescu", "1950")
    cousin = register("Ana", "Popescu", "1990")
    other = services.household_create(actor=personas.clearing, person=cousin, name="WG Popescu")
    client = client_for(personas.clearing)
    html = client.get(f"{BASE}{household.pk}/", {"q": "popescu"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<h1" not in html  # the partial only
    assert f'name="person" value="{grandmother.pk}"' in html
    assert f'name="person" value="{cousin.pk}"' not in html
    assert "Gehört schon zum Haushalt „WG Popescu“" in html and f"{BASE}{other.pk}/" in html
    assert "<bdi>Popescu</bdi>, <bdi>Ion</bdi>" not in html  # already a member
    # Without JavaScript the same search renders within the page.
    assert (
        f'name="person" value="{grandmother.pk}"'
        in client.get(f"{BASE}{household.pk}/?q=elena").content.decode()
    )


def test_the_clerk_adds_a_member_with_a_place(personas, client_for, household, register):
    grandmother = register("Elena", "Popescu", "1950")
    client = client_for(personas.clearing)
    response = client.post(
        f"{BASE}{household.pk}/mitglieder/", {"person": grandmother.pk, "relationship": "parent"}
    )
    assert response["Location"] == f"{BASE}{household.pk}/"
    grandmother.refresh_from_db()
    assert (grandmother.household_id, grandmother.relationship) == (household.pk, "parent")
    assert "Elena Popescu gehört jetzt zum Haushalt." in client.get(response["Location"]).content.decode()


def test_adding_without_a_place_or_a_second_head_is_refused_in_german(
    personas, client_for, household, register
):
    grandmother = register("Elena", "Popescu", "1950")
    client = client_for(personas.clearing)
    url = f"{BASE}{household.pk}/mitglieder/"
    no_place = client.post(url, {"person": grandmother.pk, "relationship": "", "q": "elena"})
    assert no_place.status_code == 400
    html = no_place.content.decode()
    assert "Bitte die Stellung im Haushalt wählen." in html
    assert f'name="person" value="{grandmother.pk}"' in html  # the search is kept
    second_head = client.post(url, {"person": grandmother.pk, "relationship": "head"})
    assert second_head.status_code == 400
    assert "Der Haushalt hat schon einen Haushaltsvorstand: Ion Popescu." in second_head.content.decode()
    grandmother.refresh_from_db()
    assert grandmother.household_id is None


def test_a_merged_away_record_cannot_be_added(personas, client_for, household, register):
    kept = register("Elena", "Popescu", "1950")
    merged = register("Elena", "Popescu", "05.05.1950")
    services.person_merge(actor=personas.clearing, kept=kept, merged=merged)
    response = client_for(personas.clearing).post(
        f"{BASE}{household.pk}/mitglieder/", {"person": merged.pk, "relationship": "parent"}
    )
    assert response.status_code == 400
    assert "zusammengeführt und kann keinem Haushalt angehören" in response.content.decode()
    merged.refresh_from_db()
    assert merged.household_id is None


def test_a_person_of_another_register_is_not_found(personas, client_for, household):
    stranger = services.person_create(
        actor=None, organisation=personas.other_town, data=person_input("Jan", "Nowak", "1990")
    )
    response = client_for(personas.clearing).post(
        f"{BASE}{household.pk}/mitglieder/", {"person": stranger.pk, "relationship": "child"}
    )
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.household_id is None


def test_the_clerk_changes_a_place_and_removes_a_member(personas, client_for, household):
    client = client_for(personas.clearing)
    son = member(household, "Andrei")
    response = client.post(
        f"{BASE}{household.pk}/mitglieder/{son.pk}/stellung/", {"relationship": "relative"}
    )
    assert response.status_code == 302
    son.refresh_from_db()
    assert son.relationship == "relative"
    refused = client.post(f"{BASE}{household.pk}/mitglieder/{son.pk}/stellung/", {"relationship": "head"})
    assert refused.status_code == 400 and "schon einen Haushaltsvorstand" in refused.content.decode()
    removed = client.post(f"{BASE}{household.pk}/mitglieder/{son.pk}/entfernen/")
    assert removed.status_code == 302
    son.refresh_from_db()
    assert (son.household_id, son.relationship) == (None, "")
    again = client.post(f"{BASE}{household.pk}/mitglieder/{son.pk}/entfernen/")
    assert again.status_code == 400 and "gehört nicht zu diesem Haushalt" in again.content.decode()


def test_the_clerk_renames_and_moves_the_household(personas, client_for, household):
    client = client_for(personas.clearing)
    form = client.get(f"{BASE}{household.pk}/bearbeiten/").content.decode()
    assert 'value="Familie Popescu"' in form and 'name="relationship"' not in form
    response = client.post(
        f"{BASE}{household.pk}/bearbeiten/",
        {"name": "Familie Popescu-Ionescu", "street": "", "house_number": "", "postcode": "", "city": ""},
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.name == "Familie Popescu-Ionescu" and household.dwelling is None


def test_housing_inspection_reads_households_but_cannot_change_them(
    personas, client_for, household, register
):
    client = client_for(personas.housing)
    son = member(household, "Andrei")
    page = client.get(f"{BASE}{household.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "<bdi>Popescu</bdi>, <bdi>Andrei</bdi>" in html
    assert "Bearbeiten" not in html and "Person aufnehmen" not in html and '<form method="post"' not in html
    person = register("Elena", "Popescu", "1950")
    assert "Haushalt anlegen" not in client.get(f"/personen/{person.pk}/").content.decode()
    for url in (f"{BASE}neu/{person.pk}/", f"{BASE}{household.pk}/bearbeiten/"):
        assert client.get(url).status_code == 404, url
    writes = {
        f"{BASE}neu/{person.pk}/": {"name": "X", "relationship": "head"},
        f"{BASE}{household.pk}/bearbeiten/": {"name": "X"},
        f"{BASE}{household.pk}/mitglieder/": {"person": person.pk, "relationship": "child"},
        f"{BASE}{household.pk}/mitglieder/{son.pk}/stellung/": {"relationship": "relative"},
        f"{BASE}{household.pk}/mitglieder/{son.pk}/entfernen/": {},
    }
    for url, data in writes.items():
        assert client.post(url, data).status_code == 404, url
    son.refresh_from_db()
    household.refresh_from_db()
    assert (son.household_id, son.relationship, household.name) == (household.pk, "child", "Familie Popescu")
    assert Household.objects.count() == 1


@pytest.mark.parametrize(
    "persona", ["outreach", "school_county", "partner", "head", "dpo", "admin", "outsider"]
)
def test_household_pages_are_404_without_register_access(personas, client_for, household, register, persona):
    client = client_for(getattr(personas, persona))
    son = member(household, "Andrei")
    person = register("Elena", "Popescu", "1950")
    for url in (f"{BASE}{household.pk}/", f"{BASE}{household.pk}/bearbeiten/", f"{BASE}neu/{person.pk}/"):
        assert client.get(url).status_code == 404, url
    for url in (
        f"{BASE}{household.pk}/mitglieder/",
        f"{BASE}{household.pk}/mitglieder/{son.pk}/stellung/",
        f"{BASE}{household.pk}/mitglieder/{son.pk}/entfernen/",
    ):
        assert client.post(url, {"person": person.pk, "relationship": "child"}).status_code == 404, url
    assert household.members.count() == 3


def test_household_page_query_count_is_constant(
    personas, client_for, household, register, django_assert_num_queries
):
    client = client_for(personas.clearing)
    client.get(f"{BASE}{household.pk}/")
    # session; user; memberships; their organisations; the household with dwelling, building and
    # organisation; the read in the audit trail (savepoint, advisory lock on PostgreSQL only,
    # last hash, insert, release); the members with their dwellings and buildings; session
    # renewal (savepoint, update, release). The edit right reuses the memberships.
    expected = 13 + AUDIT_LOCK
    with django_assert_num_queries(expected):
        client.get(f"{BASE}{household.pk}/")
    for given in ("Elena", "Ioana", "Mihai"):
        services.household_member_add(
            actor=personas.clearing,
            household=household,
            person=register(given, "Popescu", "2016", address=NEUSTADT),
            relationship="child",
        )
    with django_assert_num_queries(expected):
        html = client.get(f"{BASE}{household.pk}/").content.decode()
    assert html.count("/stellung/") == 6
    # With a search: whether the words as typed find anybody, then the candidates with their
    # dwellings and households: two queries more.
    with django_assert_num_queries(expected + 2):
        client.get(f"{BASE}{household.pk}/", {"q": "popescu"})
