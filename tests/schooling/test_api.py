"""The school team's API: children, school paths with ``days_to_first_school_day``, reports
with ``due`` dates in school days, schools — as the pages, and nothing for outsiders."""

from __future__ import annotations

import datetime as dt

import pytest

from lotse.people import protection
from lotse.schooling import services
from tests.queries import LISTED

from .conftest import listed, school

pytestmark = pytest.mark.django_db
D = dt.date
API = "/api/v1/"


@pytest.fixture
def api_for(personas):
    from rest_framework.test import APIClient

    from tests.second_factor import issue_token

    def make(user) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_token(user)}")
        return client

    return make


def test_children_paths_reports_and_schools(family, personas, api_for):
    actor = personas.school_county
    primary = school()
    path = services.enrolment_register(
        actor=actor, child=listed(family, "Elena"), school=primary, on=D(2026, 9, 7)
    )
    path = services.enrolment_step(
        actor=actor, enrolment=path, step="assessed", on=D(2026, 9, 8), assessment="A1"
    )
    path = services.enrolment_step(
        actor=actor, enrolment=path, step="placed", on=D(2026, 9, 9), class_name="5b"
    )
    services.enrolment_step(actor=actor, enrolment=path, step="first_day", on=D(2026, 9, 14))
    services.enrolment_register(actor=actor, child=listed(family, "Andrei"), school=primary, on=D(2026, 9, 7))
    services.report_create(
        actor=actor,
        child=listed(family, "Elena"),
        school=primary,
        received_on=D(2026, 5, 12),
        missed_from=D(2026, 5, 4),
        missed_to=D(2026, 5, 8),
        days_missed=3,
    )
    client = api_for(actor)
    children = client.get(f"{API}children/").json()["results"]
    assert {c["name"] for c in children} == {"Elena Marinescu", "Andrei Marinescu", "Maria Marinescu"}
    waiting = client.get(f"{API}children/", {"waiting": "true"}).json()["results"]
    assert [c["name"] for c in waiting] == ["Andrei Marinescu"]
    paths = {p["child"]: p for p in client.get(f"{API}school-paths/").json()["results"]}
    assert paths[listed(family, "Elena").pk]["days_to_first_school_day"] == 13
    assert paths[listed(family, "Andrei").pk]["days_to_first_school_day"] is None
    [report] = client.get(f"{API}schooling-reports/").json()["results"]
    assert report["steps"][0] == {
        "step": "parents_contacted",
        "name": "Kontakt mit den Eltern",
        "done_on": None,
        "due": "2026-05-18",
        "overdue": True,
    }
    [row] = client.get(f"{API}schools/").json()["results"]
    assert row["name"] == "Grundschule Neustadt" and row["places_taken"] == 0
    assert client.get(f"{API}school-paths/{path.pk}/").json()["days_to_first_school_day"] == 13
    bad = client.get(f"{API}children/", {"need": "ferien"})
    assert bad.status_code == 400


def test_restricted_marks_the_records_of_a_child_whose_processing_is_restricted(
    work, family, personas, api_for
):
    actor = work
    elena = listed(family, "Elena")
    protection.restriction_set(
        actor=personas.dpo, person=elena.person, ground="accuracy", requested_on=D(2026, 9, 10)
    )
    client = api_for(actor)
    expected = {elena.pk: True, listed(family, "Andrei").pk: False}
    children = client.get(f"{API}children/").json()["results"]
    assert {c["id"]: c["restricted"] for c in children if c["id"] in expected} == expected
    assert client.get(f"{API}children/{elena.pk}/").json()["restricted"] is True
    for resource in ("school-paths", "schooling-reports"):
        rows = client.get(f"{API}{resource}/").json()["results"]
        assert {row["child"]: row["restricted"] for row in rows} == expected
        [elenas] = [row for row in rows if row["child"] == elena.pk]
        assert client.get(f"{API}{resource}/{elenas['id']}/").json()["restricted"] is True


def test_outsiders_see_nothing(family, personas, api_for):
    child = listed(family, "Elena")
    for user in (personas.outreach, personas.housing, personas.outsider):
        client = api_for(user)
        assert client.get(f"{API}children/").json()["results"] == []
        assert client.get(f"{API}children/{child.pk}/").status_code == 404
        assert client.get(f"{API}schools/").json()["results"] == []


@pytest.mark.parametrize("resource", ["children", "school-paths", "schooling-reports", "schools"])
def test_api_lists_in_constant_queries(work, api_for, django_assert_num_queries, resource):
    client = api_for(work)
    client.get(f"{API}{resource}/")
    with django_assert_num_queries(QUERIES[resource]):
        assert len(client.get(f"{API}{resource}/").json()["results"]) >= 2


# token, memberships, their units' organisations, the joint arrangements and confirmations;
# then per resource: the page of rows (with what each row names), and for rows naming a
# person the record of which were listed.
QUERIES = {
    "children": 5 + 2 + LISTED,  # the page with person, organisation, unit; the active paths
    "school-paths": 5 + 1 + LISTED,  # the page with child, person, school and who did the steps
    "schooling-reports": 5 + 1 + LISTED,  # the page with child, person, organisation, school
    "schools": 3 + 1,  # the page of schools with the places taken; no person named
}
