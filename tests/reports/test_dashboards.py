"""Dashboards: who sees which, in full or suppressed, never a name; bad periods; queries."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.reports.conftest import NAMES

pytestmark = pytest.mark.django_db

UNIT = "/kennzahlen/einheit/clearingstelle/?zeitraum=2025"
OFFICE = "/kennzahlen/amt/?zeitraum=2025"


def no_names(body: str) -> None:
    assert not [name for name in NAMES if name in body]


def test_the_unit_sees_its_own_dashboard_in_full(personas, client_for, arrivals):
    response = client_for(personas.clearing).get(UNIT)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ankunftsgespräche" in body and "&lt; 5" not in body
    assert '<td class="kern-table__cell kern-table__cell--numeric">2</td>' in body  # two children
    assert 'role="img"' in body and "<svg" in body  # the chart beside the table
    no_names(body)


@pytest.mark.parametrize("name", ["head", "statistics"])
def test_whoever_sees_the_organisations_aggregates_sees_every_unit_suppressed(
    personas, client_for, arrivals, name
):
    client = client_for(getattr(personas, name))
    for url in (UNIT, OFFICE, "/kennzahlen/einheit/wohnraumkontrolle/", "/kennzahlen/einheit/schulteam/"):
        response = client.get(url)
        assert response.status_code == 200, url
        no_names(response.content.decode())
    body = client.get(UNIT).content.decode()
    assert "&lt; 5" in body and ">x<" in body
    assert '<td class="kern-table__cell kern-table__cell--numeric">2</td>' not in body
    index = client.get("/kennzahlen/").content.decode()
    assert "Clearingstelle" in index and "/kennzahlen/amt/" in index and "/kennzahlen/ratsbericht/" in index


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("housing", UNIT),  # another unit's dashboard
        ("housing", OFFICE),
        ("clearing", OFFICE),  # the office's dashboard is for the organisation's aggregate viewers
        ("clearing", "/kennzahlen/ratsbericht/"),
        ("partner", "/kennzahlen/"),
        ("dpo", "/kennzahlen/"),
        ("admin", UNIT),
        ("outsider", UNIT),
        ("outsider", OFFICE),
        ("outsider", "/kennzahlen/einheit/integration-wietze/"),
        ("head", "/kennzahlen/einheit/integration-wietze/"),  # another organisation's unit
        ("head", "/kennzahlen/einheit/caritas-mbe/"),
    ],
)
def test_everyone_else_gets_404(personas, client_for, name, url):
    assert client_for(getattr(personas, name)).get(url).status_code == 404


def test_navigation_shows_the_dashboards_to_whom_they_concern(personas, client_for):
    link = 'href="/kennzahlen/"'
    assert link in client_for(personas.head).get("/").content.decode()
    assert link in client_for(personas.housing).get("/").content.decode()
    assert link not in client_for(personas.dpo).get("/").content.decode()
    assert link not in client_for(personas.admin).get("/").content.decode()


def test_a_period_that_ends_before_it_starts_is_refused_in_words(personas, client_for):
    response = client_for(personas.head).get("/kennzahlen/amt/?von=2025-05-01&bis=2025-01-01")
    assert response.status_code == 400
    assert "Der Zeitraum endet (01.01.2025), bevor er beginnt (01.05.2025)" in response.content.decode()
    response = client_for(personas.head).get("/kennzahlen/amt/?zeitraum=letztes+Jahr")
    assert response.status_code == 400 and "ist kein Zeitraum" in response.content.decode()


def test_the_district_filter_narrows_the_figures(personas, client_for, arrivals):
    client = client_for(personas.clearing)
    body = client.get("/kennzahlen/einheit/clearingstelle/?zeitraum=2025&stadtteil=Neustadt").content.decode()
    assert "Stadtteil: Neustadt" in body
    assert client.get("/kennzahlen/einheit/clearingstelle/?stadtteil=Nirgendwo").status_code == 400


def test_query_count_is_constant(personas, client_for, arrivals, django_assert_num_queries):
    from tests.clearing.interviews import make_interview, make_person

    client = client_for(personas.head)
    client.get(OFFICE)
    # session, user, memberships, their units' organisations; the organisation (the view's
    # and the dashboard's selector: 2); districts of the buildings; the kept figures of both
    # periods (none: computed now). Then per period, this year and the one before (2 × 28):
    # clearing 3 (has a Clearingstelle, interviews, further adults), cases 3 (referrals by
    # unit, follow-up checks, case files), housing 9 (the organisation, causes, findings,
    # decided orders in time, closures, inspections for overcrowding, done, decided, open),
    # schooling 4 (has a school team, arrivals, waiting, first days), neighbourhood 6 (has an
    # office, topics, months, attendance, titles, hours), planning 2 (indicators; the concept
    # version in force – none here, so no fields), outreach 1 (the city runs no outreach
    # unit). Session renewal (savepoint, update, release).
    with django_assert_num_queries(7 + 1 + 2 * 28 + 3):
        client.get(OFFICE)
    for i in range(6):
        make_interview(personas, make_person(personas, f"Neu{i}", "Neu"), held_on=dt.date(2025, 9, 1))
    with django_assert_num_queries(7 + 1 + 2 * 28 + 3):
        client.get(OFFICE)
