"""The few persons case work looks up, at scale (issue 18, decision 0045): a case's household
members, the persons follow-ups name, one person opened for case work, a household's members in
the API. Each is asked for every reason on its own (``access.among``) instead of as one OR, for
which PostgreSQL computed every reason's persons in full (the school team's: every household of
its list). The rule is the same: the same persons as before, nobody sees whom they may not, and
the queries do not grow with the data."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from lotse.accounts.models import Unit
from lotse.cases.models import CaseFile
from lotse.cases.selectors import case_files, followups, persons
from lotse.cases.services import case_files as case_services
from lotse.cases.services import followups as followup_services
from lotse.core import access
from lotse.people.models import Household, Person
from tests.queries import AUDIT_LOCK

pytestmark = pytest.mark.django_db


def families(casework: Any) -> list[CaseFile]:
    """A household's case, a person's case (their household has more members), a person
    without a household: all in the city register, held by the outreach team."""
    ana, ion, elena = (
        casework.person("Ana", "Popescu"),
        casework.person("Ion", "Popescu"),
        casework.person("Elena", "Popescu"),
    )
    popescu = casework.household("Familie Popescu", ana, ion, elena)
    for member in (ana, ion, elena):
        casework.refer(member)
    household_case = case_services.case_file_open(
        actor=casework.p.outreach, owner_unit=casework.unit("aufsuchende-sozialarbeit"), household=popescu
    )
    georgi, maria = casework.person("Georgi", "Ivanov"), casework.person("Maria", "Ivanov")
    casework.household("Familie Ivanov", georgi, maria)
    person_case = casework.open_case(georgi)
    return [household_case, person_case, casework.open_case(casework.person("Radu", "Lungu"))]


def members_before(user: Any, case: CaseFile) -> list[Person]:
    """``members_of`` as it read before: the OR of every reason, in one query."""
    household_id = case.household_id or (case.person.household_id if case.person else None)
    if household_id is None:
        return [case.person] if case.person else []
    members = access.visible(user, Person).filter(household_id=household_id)
    return list(members.order_by("birth_year", "family_name", "pk"))


def test_the_same_members_as_before_for_every_persona(casework, personas):
    cases = families(casework)
    for name, user in personas.all().items():
        for case in cases:
            assert case_files.members_of(user, case) == members_before(user, case), (name, case)
            household = case.household or (case.person.household if case.person else None)
            if household is not None:
                before = list(persons.persons_for_casework(user).filter(household=household).order_by("pk"))
                assert persons.members_for_casework(user, household) == before, (name, case)
    # Not vacuous: the outreach team sees the whole household of its household's case, and of a
    # person's case only the person; the register sees the Ivanovs; the outsider none of them.
    household_case, person_case, _alone = cases
    assert [p.given_names for p in case_files.members_of(personas.outreach, household_case)] == [
        "Ana",
        "Ion",
        "Elena",
    ]
    assert case_files.members_of(personas.outreach, person_case) == [person_case.person]
    assert len(case_files.members_of(personas.clearing, person_case)) == 2
    for who in (personas.outsider, personas.partner):  # another municipality; a charity
        assert case_files.members_of(who, household_case) == []
        assert persons.members_for_casework(who, household_case.household) == []


def test_a_person_opened_for_case_work_as_before_for_every_persona(casework, personas):
    cases = families(casework)
    everyone = [case.person for case in cases if case.person] + list(cases[0].household.members.all())
    for name, user in personas.all().items():
        for person in everyone:
            try:
                expected: Person | None = access.get(
                    user, Person.objects.filter(merged_into__isnull=True), person.pk
                )
            except Http404:
                expected = None
            try:
                found: Person | None = persons.get_person_for_casework(user, person.pk)
            except Http404:
                found = None
            assert found == expected, (name, person)
    with pytest.raises(Http404):  # another municipality's worker: not even that the person exists
        persons.get_person_for_casework(personas.outsider, everyone[0].pk)
    assert persons.get_person_for_casework(personas.outreach, everyone[0].pk) == everyone[0]


def test_follow_ups_name_the_persons_as_before_for_every_persona(casework, personas):
    cases = families(casework)
    stranger = casework.person("Mihai", "Verborgen")  # in the register, no case, no referral
    named = [case.person for case in cases if case.person] + [stranger]
    unit = Unit.objects.get(slug="aufsuchende-sozialarbeit")
    for person in named:
        followup_services.followup_create(
            actor=None, unit=unit, title="Rückruf", due_on=casework.days(1), target=person
        )
    rows = list(followups.followups_visible_to(personas.outreach).filter(target_type=followups.PERSON))
    assert len(rows) == len(named)
    ids = {int(row.target_id) for row in rows}
    for name, user in personas.all().items():
        seen = access.visible(user, Person).in_bulk(ids)  # as ``name_subjects`` read them before
        texts = [subject.text for row in followups.name_subjects(user, rows) for subject in row.subjects]
        for person in named:
            assert (str(person) in texts) == (person.pk in seen), (name, person)
    outreach = [s.text for row in followups.name_subjects(personas.outreach, rows) for s in row.subjects]
    assert str(named[0]) in outreach and str(stranger) not in outreach
    outsider = [s.text for row in followups.name_subjects(personas.outsider, rows) for s in row.subjects]
    assert not any(str(person) in outsider for person in named)


def test_the_case_page_costs_the_same_with_more_families(
    casework, personas, client_for, django_assert_num_queries
):
    household_case = families(casework)[0]
    client = client_for(personas.outreach)
    # as in tests/cases/test_case_views.py: 12 for every tab; which household members the user
    # may see, then those; status history, assignments, open follow-ups.
    expected = 17 + AUDIT_LOCK
    for tab in ("ueberblick", "verweisungen"):
        url = f"/fallakten/{household_case.pk}/?tab={tab}"
        client.get(url)
        with django_assert_num_queries(expected if tab == "ueberblick" else 15 + AUDIT_LOCK):
            assert "Elena" in client.get(url).content.decode()
    for given, family in [("Vasile", "Stan"), ("Ioana", "Dumitru"), ("Sorin", "Georgescu")]:
        person = casework.person(given, family)
        casework.household(f"Familie {family}", person, casework.person("Dana", family))
        casework.open_case(person)
    assert CaseFile.objects.count() == 6
    with django_assert_num_queries(expected):
        assert "Elena" in client.get(f"/fallakten/{household_case.pk}/?tab=ueberblick").content.decode()


# --- plans of PostgreSQL ---------------------------------------------------------------------


def _subplans_on_persons(run: Any) -> list[str]:
    """The plans (full scans made dear, as on a large register) of the queries on persons that
    ``run`` makes, which compute a reason's rows in full (a SubPlan) first."""
    with CaptureQueriesContext(connection) as captured:
        run()
    found = []
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            for query in captured.captured_queries:
                sql = query["sql"]
                if sql.lstrip("( ").startswith("SELECT") and '"people_person"' in sql.split(" WHERE ")[0]:
                    cursor.execute("EXPLAIN " + sql)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                    if "SubPlan" in plan:
                        found.append(plan)
        finally:
            cursor.execute("RESET enable_seqscan")
    return found


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans of PostgreSQL")
def test_the_persons_are_looked_up_not_every_reason_computed(casework, personas):
    """Each query on persons that these reads make is driven by the few persons asked for: no
    subplan that computes every case file's, referral's or listed child's persons first."""
    household_case, person_case, _alone = families(casework)
    unit = Unit.objects.get(slug="aufsuchende-sozialarbeit")
    followup_services.followup_create(
        actor=None, unit=unit, title="Rückruf", due_on=casework.days(1), target=person_case.person
    )
    rows = list(followups.followups_visible_to(personas.outreach))
    for user in (personas.outreach, personas.school_city):
        assert _subplans_on_persons(lambda u=user: case_files.members_of(u, household_case)) == []
        assert (
            _subplans_on_persons(lambda u=user: persons.members_for_casework(u, household_case.household))
            == []
        )
        assert _subplans_on_persons(lambda u=user: followups.name_subjects(u, rows)) == []
    assert (
        _subplans_on_persons(
            lambda: persons.get_person_for_casework(personas.outreach, person_case.person_id)
        )
        == []
    )
    # The check itself sees the old way: the one OR has them.
    assert _subplans_on_persons(lambda: members_before(personas.outreach, household_case))
    assert Household.objects.filter(pk=household_case.household_id).exists()
