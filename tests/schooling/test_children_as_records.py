"""Children named in an arrival interview become persons of the register and are on the
school team's list when the referral to the team is sent; the team sees exactly them and
their parents' contact data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from lotse.cases.models import Referral
from lotse.core import access
from lotse.people import services as people_services
from lotse.people.matching import PartialDate
from lotse.people.models import Person
from lotse.schooling.models import ListedChild
from tests.clearing.interviews import make_interview, make_person

from .conftest import arrangement, child_person, route_to_school_team

pytestmark = pytest.mark.django_db


def test_the_referral_puts_the_school_age_children_on_the_list(family, personas):
    listed = {(c.person.given_names, c.need) for c in ListedChild.objects.select_related("person")}
    # Elena (register), Andrei (told of, now in the register), Maria needs day-care;
    # Ion goes to school already.
    assert listed == {("Elena", "school"), ("Andrei", "school"), ("Maria", "day_care")}
    andrei = Person.objects.get(given_names="Andrei", family_name="Marinescu")
    assert andrei.household_id == family.parent.household_id
    assert andrei.relationship == Person.Relationship.CHILD
    assert family.interview.children.get(name="Andrei").person == andrei
    assert not Person.objects.filter(given_names="Ion").exists()
    for child in ListedChild.objects.all():
        assert child.arrived_on == family.held_on
        assert child.referral == family.referral
        assert child.organisation == personas.city


def test_a_likely_duplicate_stops_the_referral_until_the_clerk_decides(personas):
    arrangement(personas)
    parent = make_person(personas, "Ioana", "Marinescu")
    # Andrei is in the register already (entered before, born 2013, without a household).
    people_services.person_create(
        actor=None,
        organisation=personas.city,
        data=people_services.PersonInput(
            given_names="Andrei", family_name="Marinescu", birth_date=PartialDate(2013, 4, 2)
        ),
    )
    interview = make_interview(
        personas,
        parent,
        held_on=dt.date(2022, 11, 3),
        children=[
            {"name": "Andrei", "age": 9, "school_status": "no_place", "day_care_status": "not_applicable"}
        ],
    )
    before = Person.objects.count()
    with pytest.raises(ValidationError, match="steht vielleicht schon im Register"):
        route_to_school_team(personas, interview)
    assert Person.objects.count() == before
    assert not ListedChild.objects.exists()
    assert not Referral.objects.filter(interview=interview).exists()


def test_the_team_sees_the_children_and_their_parents_nothing_else(family, personas):
    neighbour = make_person(personas, "Gheorghe", "Vecin")
    for member in (personas.school_county, personas.school_city):
        seen = set(access.visible(member, Person).values_list("given_names", flat=True))
        assert {"Elena", "Andrei", "Maria", "Ioana"} <= seen
        assert neighbour.given_names not in seen
        assert set(access.visible(member, ListedChild).values_list("person__given_names", flat=True)) == {
            "Elena",
            "Andrei",
            "Maria",
        }
    # Nobody outside the team.
    for outsider in (personas.outreach, personas.housing, personas.partner, personas.outsider):
        assert not access.visible(outsider, ListedChild).exists()


def test_without_the_arrangement_the_county_member_sees_none_of_the_citys_children(personas):
    parent = make_person(personas, "Ioana", "Marinescu")
    parent.refresh_from_db()
    people_services.household_create(actor=None, person=parent)
    parent.refresh_from_db()
    elena = child_person(personas, parent, "Elena", dt.date(2015, 5, 10))
    interview = make_interview(
        personas,
        parent,
        children=[
            {"person": elena, "age": 11, "school_status": "no_place", "day_care_status": "not_applicable"}
        ],
    )
    route_to_school_team(personas, interview)
    assert access.visible(personas.school_city, ListedChild).count() == 1
    assert access.visible(personas.school_county, ListedChild).count() == 0
    assert not access.visible(personas.school_county, Person).filter(pk=elena.pk).exists()


def test_the_child_page_opens_for_the_team_and_is_404_for_others(family, personas, client_for):
    child = ListedChild.objects.get(person__given_names="Elena")
    page = client_for(personas.school_county).get(f"/schulteam/kinder/{child.pk}/")
    assert page.status_code == 200
    assert "Elena" in page.content.decode() and "Ioana" in page.content.decode()
    # The register's own pages (search, history, duplicates) stay the register's.
    assert client_for(personas.school_county).get(f"/personen/{child.person_id}/").status_code == 404
    for other in (personas.outreach, personas.housing, personas.outsider):
        assert client_for(other).get(f"/schulteam/kinder/{child.pk}/").status_code == 404
