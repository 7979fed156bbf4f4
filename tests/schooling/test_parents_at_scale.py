"""The parents on a child's page at scale (issue 18): ``parents_of`` asks the access layer for
the few members of the child's household (``access.among``) instead of letting PostgreSQL
compute every household of the team's list (371 ms at 1,000,000 persons). The rule is the same:
the same parents, nobody who may not see them sees them, and the page's queries do not grow
with the list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.models import Q

from lotse.core import access
from lotse.people import services as people_services
from lotse.people.models import Household, Person
from lotse.schooling import selectors
from lotse.schooling.models import ListedChild
from tests.clearing.interviews import make_interview, make_person
from tests.queries import LISTED

from .conftest import child_person, listed, route_to_school_team
from .test_query_counts import REQUEST, SESSION

pytestmark = pytest.mark.django_db

FAMILIES = ["Popa", "Ionescu", "Dumitru", "Stan", "Georgescu", "Constantin"]


def another_family(personas: Any, family_name: str) -> ListedChild:
    """Mother, father (partner) and a school-age child on the team's list, by the real path:
    the register, an arrival interview, its referral to the school team."""
    mother = make_person(personas, "Ana", family_name)
    people_services.household_create(actor=None, person=mother)
    mother.refresh_from_db()
    father = make_person(personas, "Vasile", family_name, sex="m")
    people_services.household_member_add(
        actor=None, household=mother.household, person=father, relationship=Person.Relationship.PARTNER
    )
    child = child_person(personas, mother, "Sorin", dt.date(2016, 2, 3))
    interview = make_interview(
        personas,
        mother,
        held_on=dt.date(2026, 9, 1),
        children=[
            {"person": child, "age": 10, "school_status": "no_place", "day_care_status": "not_applicable"}
        ],
    )
    route_to_school_team(personas, interview)
    return ListedChild.objects.get(person=child)


def as_before(user: Any, child: ListedChild) -> list[int]:
    """The parents as ``parents_of`` read them before: the OR of every reason, in one query."""
    if child.person.household_id is None:
        return []
    return list(
        access.visible(user, Person)
        .filter(household_id=child.person.household_id, relationship__in=("head", "partner"))
        .exclude(pk=child.person_id)
        .order_by("relationship", "pk")
        .values_list("pk", flat=True)
    )


def test_the_same_parents_as_before_for_every_persona(family, personas):
    children = [listed(family, "Elena"), listed(family, "Andrei"), listed(family, "Maria", "day_care")]
    children.append(another_family(personas, "Popa"))
    for name, user in personas.all().items():
        for child in children:
            found = [p.pk for p in selectors.parents_of(user, child)]
            assert found == as_before(user, child), (name, child)
    # Not vacuous: the team sees both parents, and only them (not the child, not a sibling).
    popa = children[-1]
    both = [p.pk for p in selectors.parents_of(personas.school_city, popa)]
    assert both == list(
        Person.objects.filter(family_name="Popa", given_names__in=["Ana", "Vasile"])
        .order_by("relationship")
        .values_list("pk", flat=True)
    )
    assert [p.pk for p in selectors.parents_of(personas.school_county, children[0])] == [family.parent.pk]


@pytest.mark.parametrize("persona", ["outsider", "housing", "partner", "neighbourhood"])
def test_who_is_not_on_the_team_sees_neither_the_child_nor_the_parents(family, personas, client_for, persona):
    user = getattr(personas, persona)
    child = listed(family, "Elena")
    client = client_for(user)
    assert client.get(f"/schulteam/kinder/{child.pk}/").status_code == 404
    assert client.get(f"/schulteam/kinder/{child.pk}/brief/einladung/ro/").status_code == 404
    if persona == "outsider":  # another municipality: not even through the register
        assert selectors.parents_of(user, child) == []
        assert access.among(user, Person.objects.filter(pk=family.parent.pk)) == []


def test_among_finds_what_visible_finds(work, family, personas):
    """``among`` is ``visible`` asked differently: for every persona and every action on
    persons, households and children of the list, the same rows in the same order."""
    another_family(personas, "Ionescu")
    for model in (Person, Household, ListedChild):
        rows = model._default_manager.order_by("pk")
        for action in access.actions_for(model):
            for name, user in personas.all().items():
                expected = list(access.visible(user, rows, action))
                assert access.among(user, rows, action) == expected, (model, action, name)


def test_the_alternatives_of_a_rule_are_its_ors_only():
    a, b, c = Q(x=1), Q(y=2), Q(z=3)
    assert access._alternatives(a | (b | c)) == [a, b, c]
    assert access._alternatives(a & b) == [a & b]  # an AND stays whole
    assert access._alternatives(~(a | b)) == [~(a | b)]  # so does a negation
    assert access._alternatives((a & b) | c) == [a & b, c]
    assert access._alternatives(Q()) == [Q()]  # everything stays everything


def test_the_child_page_costs_the_same_with_three_times_the_families(
    family, personas, client_for, django_assert_num_queries
):
    client = client_for(personas.school_city)
    url = f"/schulteam/kinder/{listed(family, 'Elena').pk}/"
    # the child with person, household, organisation, unit; the paths; the reports; which
    # parents the user may see, then those with their dwelling; the read recorded.
    expected = REQUEST + 5 + SESSION + LISTED
    for name in FAMILIES[:2]:
        another_family(personas, name)
    client.get(url)
    with django_assert_num_queries(expected):
        assert "Ioana" in client.get(url).content.decode()
    for name in FAMILIES[2:]:
        another_family(personas, name)
    assert ListedChild.objects.filter(person__family_name__in=FAMILIES).count() == 6
    with django_assert_num_queries(expected):
        assert "Ioana" in client.get(url).content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans of PostgreSQL")
def test_the_parents_are_looked_up_not_the_whole_list_computed(family, personas):
    """Each alternative of the rules is a join the household's members drive, never a subplan
    that computes all the rows of a reason (every household on the list) first — even with full
    scans made dear, as they are on a large register."""
    another_family(personas, "Stan")
    child = listed(family, "Elena")
    members = Person.objects.filter(
        household_id=child.person.household_id, relationship__in=("head", "partner")
    ).exclude(pk=child.person_id)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = access._seen_keys(personas.school_city, members).explain()
        finally:
            cursor.execute("RESET enable_seqscan")
    assert "SubPlan" not in plan, plan
