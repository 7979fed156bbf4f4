"""Children named as free text in an interview: offered to the register (with the duplicate
check) and to the household, each as the clerk decides; nothing half-saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lotse.clearing import services
from lotse.clearing.models import ArrivalInterview
from lotse.core.models import AuditEvent
from lotse.people import services as people_services
from lotse.people.matching import PartialDate
from lotse.people.models import Household, Person

from .interviews import make_interview, make_person
from .test_interview_views import START, form_post

pytestmark = pytest.mark.django_db


def registered_child(personas, given: str, family: str, year: int) -> Person:
    return people_services.person_create(
        actor=personas.clearing,
        organisation=personas.city,
        data=people_services.PersonInput(
            given_names=given, family_name=family, birth_date=PartialDate(year=year)
        ),
    )


def test_saving_an_interview_offers_its_children_with_likely_register_entries(personas, client_for):
    mother = make_person(personas, "Ana", "Popescu")
    elena = registered_child(personas, "Elena", "Popescu", 2015)
    client = client_for(personas.clearing)
    post = form_post(
        **{
            "kinder-TOTAL_FORMS": "2",
            "kinder-0-name": "Andrei",
            "kinder-0-age": "",
            "kinder-0-birth_year": "2013",
            "kinder-1-name": "Elena Popesku",
            "kinder-1-age": "",
            "kinder-1-birth_year": "2015",
            "kinder-1-school_status": "attends",
            "kinder-1-day_care_status": "not_applicable",
        }
    )
    response = client.post(f"{START}{mother.pk}/", post)
    interview = ArrivalInterview.objects.get()
    assert response["Location"] == f"/clearingstelle/gespraeche/{interview.pk}/haushalt/"
    page = client.get(response["Location"]).content.decode()
    # Names offered as the clerk will check them; the register's Elena Popescu with the reasons.
    assert 'name="kind-' in page and 'value="Popescu"' in page
    assert "Elena Popescu" in page and "Familienname" in page
    assert f'value="person:{elena.pk}"' in page
    assert " checked" not in page  # every child is decided by the clerk
    andrei, elena_row = interview.children.order_by("pk")

    # Undecided: nothing is written.
    response = client.post(response["Location"], {f"kind-{andrei.pk}": "new"})
    assert response.status_code == 400
    assert "Elena Popesku: Bitte entscheiden Sie" in response.content.decode()
    assert not Household.objects.exists() and Person.objects.count() == 2

    response = client.post(
        f"/clearingstelle/gespraeche/{interview.pk}/haushalt/",
        {
            f"kind-{andrei.pk}": "new",
            f"kind-{andrei.pk}-vornamen": "Andrei",
            f"kind-{andrei.pk}-familienname": "Popescu",
            f"kind-{elena_row.pk}": f"person:{elena.pk}",
        },
    )
    assert response["Location"] == f"/clearingstelle/gespraeche/{interview.pk}/"
    mother.refresh_from_db()
    household = mother.household
    assert household is not None and household.name == "Familie Popescu"  # created around the mother
    members = {p.given_names: p for p in Person.objects.filter(household=household)}
    assert set(members) == {"Ana", "Andrei", "Elena"}
    assert members["Andrei"].relationship == members["Elena"].relationship == Person.Relationship.CHILD
    assert members["Andrei"].birth_year == 2013
    andrei.refresh_from_db()
    elena_row.refresh_from_db()
    assert andrei.person == members["Andrei"] and elena_row.person == elena
    interview.refresh_from_db()
    assert interview.household == household
    # Through the audited services: the new child's creation and both joins are recorded.
    assert AuditEvent.objects.filter(action="create", object_type__icontains="person").exists()
    assert (
        not client.get(f"/clearingstelle/gespraeche/{interview.pk}/")
        .content.decode()
        .count("noch nicht im Register")
    )


def test_a_bad_row_leaves_nothing_half_saved(personas):
    interview = make_interview(
        personas,
        children=[
            {"name": "Andrei", "birth_year": 2013, "school_status": "attends"},
            {"name": "Mara", "birth_year": 2016, "school_status": "attends"},
        ],
    )
    andrei, mara = interview.children.order_by("pk")
    before = Person.objects.count()
    with pytest.raises(ValidationError, match="Mara: Bitte Vornamen und Familiennamen angeben"):
        services.interview_members_add(
            actor=personas.clearing,
            interview=interview,
            decisions=[
                services.MemberDecision(
                    andrei, services.MEMBER_NEW, given_names="Andrei", family_name="Popescu"
                ),
                services.MemberDecision(mara, services.MEMBER_NEW, given_names="", family_name="Popescu"),
            ],
        )
    assert Person.objects.count() == before and not Household.objects.exists()
    andrei.refresh_from_db()
    assert andrei.person is None


@pytest.mark.parametrize("persona", ["outreach", "school_county", "partner", "outsider"])
def test_only_the_clearingstelle_gets_the_page(personas, client_for, persona):
    interview = make_interview(personas, children=[{"name": "Andrei", "age": 9, "school_status": "attends"}])
    response = client_for(getattr(personas, persona)).get(
        f"/clearingstelle/gespraeche/{interview.pk}/haushalt/"
    )
    assert response.status_code == 404


def test_further_adults_are_checked_against_the_register_and_join_the_household(personas, client_for):
    interview = make_interview(personas)
    mihai = people_services.person_create(
        actor=personas.clearing,
        organisation=personas.city,
        data=people_services.PersonInput(
            given_names="Mihai", family_name="Popescu", birth_date=PartialDate(1979, 5, 2)
        ),
    )
    client = client_for(personas.clearing)
    url = f"/clearingstelle/gespraeche/{interview.pk}/haushalt/"
    typed = {
        "erw-anzahl": "2",
        "erw-0-vornamen": "Mihail",
        "erw-0-familienname": "Popesku",
        "erw-0-geburtsdatum": "02.05.1979",
        "erw-0-stellung": "partner",
        "erw-1-vornamen": "Ioana",
        "erw-1-familienname": "Dumitru",
        "erw-1-geburtsdatum": "1961",
        "erw-1-stellung": "parent",
    }
    page = client.post(url, {**typed, "pruefen": "1"}).content.decode()
    assert f'value="person:{mihai.pk}"' in page and "Mihai Popescu" in page  # the live check's find
    assert Person.objects.count() == 2  # checking writes nothing
    response = client.post(url, {**typed, "erw-0": f"person:{mihai.pk}", "erw-1": "new"})
    assert response["Location"] == f"/clearingstelle/gespraeche/{interview.pk}/"
    mihai.refresh_from_db()
    ioana = Person.objects.get(family_name="Dumitru")
    assert (
        mihai.household
        == ioana.household
        == interview.person.__class__.objects.get(pk=interview.person_id).household
    )
    assert (mihai.relationship, ioana.relationship, ioana.birth_year) == ("partner", "parent", 1961)
    assert set(interview.further_adults.all()) == {mihai, ioana}
