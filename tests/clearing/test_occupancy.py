"""Occupancy plan: register versus interview per dwelling, overcrowding from the state rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lotse.people import services as people_services
from lotse.people.matching import PartialDate
from lotse.people.services import Address, PersonInput

from .interviews import make_interview

pytestmark = pytest.mark.django_db


def resident(personas, given: str, family: str, flat: str):
    return people_services.person_create(
        actor=None,
        organisation=personas.city,
        data=PersonInput(
            given_names=given,
            family_name=family,
            birth_date=PartialDate(1985, 5, 1),
            address=Address(
                street="Am Kugelberg",
                house_number="48",
                postcode="06667",
                city="Weißenfels",
                dwelling_label=flat,
            ),
        ),
    )


@pytest.fixture
def house(personas):
    a = resident(personas, "Marius", "Fănică", "1. OG links")
    resident(personas, "Ionela", "Fănică", "1. OG links")
    b = resident(personas, "Andrzej", "Szymański", "EG rechts")
    # Eight people in 28 m² according to the interview; two are registered.
    make_interview(personas, a, dwelling_persons=8, dwelling_area_m2=Decimal("28"))
    make_interview(personas, b, dwelling_persons=1, dwelling_area_m2=Decimal("55"))
    return a.dwelling.building


def test_plan_shows_register_interview_difference_and_overcrowding(personas, client_for, house):
    html = client_for(personas.clearing).get(f"/clearingstelle/gebaeude/{house.pk}/").content.decode()
    assert "<bdi>Fănică</bdi>, <bdi>Marius</bdi>" in html and "<bdi>Fănică</bdi>, <bdi>Ionela</bdi>" in html
    assert "8 laut Gespräch, 2 gemeldet" in html
    assert "überbelegt: mindestens 72 m² nötig" in html  # 8 adults × 9 m² (WoAufG LSA)
    assert "stimmt überein" in html  # the ground floor: one person, one registered


def test_building_list_orders_by_residents(personas, client_for, house):
    html = client_for(personas.clearing).get("/clearingstelle/gebaeude/").content.decode()
    assert f"/clearingstelle/gebaeude/{house.pk}/" in html


@pytest.mark.parametrize("persona", ["housing", "outreach", "school_county", "partner", "head", "outsider"])
def test_occupancy_plans_are_404_for_everyone_but_the_clearingstelle(personas, client_for, house, persona):
    client = client_for(getattr(personas, persona))
    assert client.get("/clearingstelle/gebaeude/").status_code == 404
    assert client.get(f"/clearingstelle/gebaeude/{house.pk}/").status_code == 404


def test_plan_query_count_does_not_grow_with_residents(
    personas, client_for, house, django_assert_num_queries
):
    client = client_for(personas.clearing)
    client.get("/")
    # session, user, memberships, their organisations, building, dwellings, registered persons,
    # interviews, their children, routing rules, session renewal (savepoint, update, release)
    with django_assert_num_queries(13):
        client.get(f"/clearingstelle/gebaeude/{house.pk}/")
    resident(personas, "Petru", "Fănică", "1. OG links")
    resident(personas, "Ana", "Lupu", "2. OG")
    with django_assert_num_queries(13):
        client.get(f"/clearingstelle/gebaeude/{house.pk}/")
