"""Persons and households through the API: read only, only the visible ones, weak ETags."""

from __future__ import annotations

import pytest

from lotse.cases.services import case_files
from lotse.core.models import AuditEvent
from lotse.people import services as people_services
from lotse.people.services import PersonInput
from tests.queries import LISTED

pytestmark = pytest.mark.django_db

PERSONS = "/api/v1/persons/"
HOUSEHOLDS = "/api/v1/households/"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_person_list_shows_the_units_persons_in_constant_queries(
    casework, api_for, django_assert_num_queries
):
    first = casework.open_case(casework.person("Ana", "Popescu")).person
    second = casework.open_case(casework.person("Georgi", "Ivanov")).person
    casework.person("Nicht", "Verwiesen")  # in the register, not the outreach unit's
    client = api_for(casework.p.outreach)
    client.get(PERSONS)  # the token's first use is noted once
    # token with user and organisation, memberships with units, the units' organisations,
    # the page of persons with household and address.
    with django_assert_num_queries(4 + LISTED):
        response = client.get(PERSONS)
    assert ids(response) == [second.pk, first.pk]  # by family name: Ivanov, Popescu
    casework.open_case(casework.person("Jan", "Kowalski"))
    with django_assert_num_queries(4 + LISTED):
        assert len(ids(client.get(PERSONS))) == 3


def test_person_list_filters_by_name_and_household(casework, api_for):
    ana = casework.person("Ana", "Popescu")
    ion = casework.person("Ion", "Popescu")
    other = casework.person("Georgi", "Ivanov")
    household = casework.household("Familie Popescu", ana, ion)
    client = api_for(casework.p.clearing)  # the Clearingstelle sees the city's register
    assert ids(client.get(PERSONS, {"q": "ivanov"})) == [other.pk]
    # Folded and in any order, as the register search (lotse.people.search).
    stefan = casework.person("Ștefan", "Căldăraru")
    assert ids(client.get(PERSONS, {"q": "Caldararu, Stefan"})) == [stefan.pk]
    assert ids(client.get(PERSONS, {"q": "Иванов"})) == [other.pk]
    assert sorted(ids(client.get(PERSONS, {"household": household.pk}))) == sorted([ana.pk, ion.pk])


def test_bad_filter_is_a_400_naming_the_field(casework, api_for):
    response = api_for(casework.p.clearing).get(PERSONS, {"household": "zwei"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["detail"]
    assert body["fields"]["household"] == ["Eine gültige Ganzzahl ist erforderlich."]


def test_outsider_sees_no_person_and_gets_404_on_detail(casework, api_for):
    case = casework.open_case()
    client = api_for(casework.p.outsider)
    assert ids(client.get(PERSONS)) == []
    response = client.get(f"{PERSONS}{case.person_id}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Nicht gefunden.", "code": "not_found"}


def test_partner_sees_only_the_person_referred_to_it(casework, api_for):
    referred = casework.open_case(casework.person("Ana", "Popescu"))
    not_referred = casework.open_case(casework.person("Georgi", "Ivanov"))
    casework.refer_case(referred)
    client = api_for(casework.p.partner)
    assert ids(client.get(PERSONS)) == [referred.person_id]
    assert client.get(f"{PERSONS}{referred.person_id}/").status_code == 200
    assert client.get(f"{PERSONS}{not_referred.person_id}/").status_code == 404


def test_person_detail_has_a_weak_etag_answers_304_and_audits_only_real_reads(casework, api_for):
    person = casework.open_case().person
    client = api_for(casework.p.outreach)
    url = f"{PERSONS}{person.pk}/"
    response = client.get(url)
    assert response.status_code == 200 and response.json()["family_name"] == "Popescu"
    etag = response.headers["ETag"]
    assert etag.startswith('W/"')
    reads = AuditEvent.objects.filter(action="view", object_type="people.person", object_id=str(person.pk))
    assert reads.count() == 1
    cached = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert cached.status_code == 304 and cached.content == b"" and cached.headers["ETag"] == etag
    assert reads.count() == 1  # nothing new was read
    assert client.get(url, HTTP_IF_NONE_MATCH='W/"anders"').status_code == 200
    assert reads.count() == 2


def test_person_etag_changes_with_the_content(casework, api_for):
    person = casework.open_case().person
    client = api_for(casework.p.outreach)
    url = f"{PERSONS}{person.pk}/"
    before = client.get(url).headers["ETag"]
    people_services.person_update(
        actor=casework.p.clearing,
        person=person,
        data=PersonInput(person.given_names, person.family_name, values={"phone": "0176 123456"}),
    )
    response = client.get(url, HTTP_IF_NONE_MATCH=before)
    assert response.status_code == 200 and response.json()["phone"] == "0176 123456"
    assert response.headers["ETag"] != before


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_persons_and_households_are_read_only(casework, api_for, method):
    person = casework.open_case().person
    client = api_for(casework.p.clearing)
    url = PERSONS if method == "post" else f"{PERSONS}{person.pk}/"
    response = getattr(client, method)(url, {}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_household_list_and_detail_show_only_the_visible_members(
    casework, api_for, django_assert_num_queries
):
    ana = casework.person("Ana", "Popescu")
    ion = casework.person("Ion", "Popescu")
    popescu = casework.household("Familie Popescu", ana, ion)
    casework.open_case(ana)  # a case of Ana alone: outreach sees her, not Ion
    georgi = casework.person("Georgi", "Ivanov")
    maria = casework.person("Maria", "Ivanova")
    ivanov = casework.household("Familie Ivanov", georgi, maria)
    casework.refer(georgi)
    case_files.case_file_open(
        actor=casework.p.outreach, owner_unit=casework.unit("aufsuchende-sozialarbeit"), household=ivanov
    )
    client = api_for(casework.p.outreach)
    client.get(HOUSEHOLDS)
    # token, memberships, their units' organisations, the page of households with address,
    # their visible members; the record of which households it showed.
    with django_assert_num_queries(5 + LISTED):
        response = client.get(HOUSEHOLDS)
    rows = {row["id"]: row for row in response.json()["results"]}
    assert set(rows) == {popescu.pk, ivanov.pk}
    assert rows[popescu.pk]["members"] == [ana.pk]
    assert rows[ivanov.pk]["members"] == sorted([georgi.pk, maria.pk])
    detail = client.get(f"{HOUSEHOLDS}{popescu.pk}/")
    assert detail.status_code == 200 and detail.json()["members"] == [ana.pk]
    assert detail.headers["ETag"].startswith('W/"')
    assert (
        client.get(f"{HOUSEHOLDS}{popescu.pk}/", HTTP_IF_NONE_MATCH=detail.headers["ETag"]).status_code == 304
    )
    assert api_for(casework.p.outsider).get(f"{HOUSEHOLDS}{popescu.pk}/").status_code == 404
    assert ids(api_for(casework.p.outsider).get(HOUSEHOLDS)) == []


def test_the_next_page_cursor_is_opaque_stable_and_signed(casework, api_for):
    import base64
    from urllib.parse import parse_qs, urlparse

    names = ["Zeller", "Popescu", "Ivanov", "Ivanov", "Kowalski", "Abramov", "Novak"]
    for number, family in enumerate(names):
        casework.person(f"Vorname{number}", family)
    client = api_for(casework.p.clearing)

    def cursor(link: str) -> str:
        return parse_qs(urlparse(link).query)["cursor"][0]

    def readable(token: str) -> str:
        padded = token.split(":")[0] + "=" * (-len(token.split(":")[0]) % 4)
        return base64.urlsafe_b64decode(padded).decode("latin-1")

    seen: list[int] = []
    families: list[str] = []
    url = f"{PERSONS}?page_size=2"
    pages = []
    while url:
        body = client.get(url).json()
        pages.append(body)
        seen += [row["id"] for row in body["results"]]
        families += [row["family_name"] for row in body["results"]]
        if body["next"]:
            token = cursor(body["next"])
            for family in names:  # no name in the link, not even base64-encoded
                assert family not in body["next"] and family not in readable(token)
            if len(pages) == 1:
                # Stable: a person sorting before the boundary, added now, does not move the rest.
                casework.person("Neu", "Aaron")
        url = body["next"]
    assert families == sorted(names) and len(seen) == len(set(seen)) == len(names)
    # Back from the last page: the previous one again.
    previous = client.get(pages[-1]["previous"]).json()
    assert [row["id"] for row in previous["results"]] == [row["id"] for row in pages[-2]["results"]]

    token = cursor(pages[0]["next"])
    assert client.get(PERSONS, {"cursor": token[:-1] + ("A" if token[-1] != "A" else "B")}).status_code == 404
    assert client.get("/api/v1/households/", {"cursor": token}).status_code == 404  # another list
    assert client.get(PERSONS, {"cursor": "cD1Qb3Blc2N1"}).status_code == 404  # DRF's old kind
