"""The pages of housing inspection: what the inspector sees, 404 for everyone else, a constant
number of queries with two rows of everything."""

from __future__ import annotations

import pytest

from tests.housing.rich import rich
from tests.queries import LISTED

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(housing, settings, tmp_path):
    settings.LOTSE_DOCUMENT_DIR = str(tmp_path)
    return rich(housing)


def pages(data):
    return {
        "building_list": "/wohnraum/gebaeude/",
        "building_detail": f"/wohnraum/gebaeude/{data['building'].pk}/",
        "dwelling_detail": f"/wohnraum/wohnungen/{data['dwelling'].pk}/",
        "dwelling_edit": f"/wohnraum/wohnungen/{data['dwelling'].pk}/bearbeiten/",
        "inspection_plan": f"/wohnraum/wohnungen/{data['dwelling'].pk}/kontrolle/",
        "party_list": "/wohnraum/eigentuemer/",
        "party_detail": f"/wohnraum/eigentuemer/{data['owner'].pk}/",
        "inspection_list": "/wohnraum/kontrollen/",
        "inspection_detail": f"/wohnraum/kontrollen/{data['inspection'].pk}/",
        "order_list": "/wohnraum/anordnungen/",
        "order_detail": f"/wohnraum/anordnungen/{data['orders'][0].pk}/",
        "figures": "/wohnraum/kennzahlen/",
    }


def test_every_page_shows_for_the_inspector(data, personas, client_for):
    client = client_for(personas.housing)
    for name, url in pages(data).items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)


@pytest.mark.parametrize("who", ["clearing", "outreach", "outsider", "partner", "school_city"])
def test_everyone_else_gets_404(data, personas, client_for, who):
    client = client_for(getattr(personas, who))
    for name, url in pages(data).items():
        assert client.get(url).status_code == 404, name


# Every page: session, user, memberships, their organisations; and at the end the session's
# renewal (savepoint, update, release). The navigation reuses the memberships.
BASE = 4 + 3
QUERIES = {
    # count; the page of buildings with owner, manager and number of dwellings
    "building_list": BASE + 2,
    # the building with owner, manager, organisation; its dwellings with register count and
    # closure; the owners and managers to choose from (once per field)
    "building_detail": BASE + 4,
    # the dwelling with building, owner, manager, organisation; the register (birth years);
    # the latest completed inspection; the latest interview; rooms; inspections; open closure
    "dwelling_detail": BASE + 7,
    # the dwelling
    "dwelling_edit": BASE + 1,
    # the dwelling; its inspections with orders (for a re-inspection); the unit's team
    "inspection_plan": BASE + 3,
    # count; page with numbers of buildings; the record of which owners the list showed
    "party_list": BASE + 2 + LISTED,
    # the party; its buildings; its contacts with building and author; the buildings to choose
    # from; the audited read
    "party_detail": BASE + 4 + LISTED,
    # page with dwelling and building (by position: no count); notices of the Clearingstelle;
    # the record
    "inspection_list": BASE + 2 + LISTED,
    # the inspection with dwelling, building, owner, organisation, unit; its team; findings;
    # their orders; their photos; the photos; an open closure; the audited read
    "inspection_detail": BASE + 7 + LISTED,
    # count; page with finding, inspection, dwelling, building, addressee; the record
    "order_list": BASE + 2 + LISTED,
    # the order with finding, inspection, dwelling, building, owner, addressee; its fines; the read
    "order_detail": BASE + 2 + LISTED,
    # the organisations; their kept figures (none: computed now); then for the one organisation:
    # itself again (by id), inspections by cause; findings by category; decided orders in time;
    # closures; completed inspections with dwellings; and the four counts of the totals
    "figures": BASE + 11,
}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_query_count_is_constant(data, personas, client_for, django_assert_num_queries, name):
    url = pages(data)[name]
    client = client_for(personas.housing)
    client.get(url)
    with django_assert_num_queries(QUERIES[name]):
        assert client.get(url).status_code == 200


def test_head_of_office_sees_figures_with_small_counts_suppressed(data, personas, client_for):
    inspector_page = client_for(personas.housing).get("/wohnraum/kennzahlen/").content.decode()
    head_page = client_for(personas.head).get("/wohnraum/kennzahlen/").content.decode()
    assert "&lt; 5" in head_page and "&lt; 5" not in inspector_page
    assert client_for(personas.head).get("/wohnraum/gebaeude/").status_code == 404


def test_owner_is_changed_with_a_version_check(data, personas, client_for):
    owner = data["owner"]
    client = client_for(personas.housing)
    url = f"/wohnraum/eigentuemer/{owner.pk}/bearbeiten/"
    assert client.get(url).status_code == 200
    form = {
        "kind": "company",
        "name": "Saale Wohnen GmbH & Co. KG",
        "address": "Markt 3",
        "phone": "",
        "email": "",
    }
    stale = client.post(url, {**form, "version": owner.version + 5})
    assert stale.status_code == 409
    assert client.post(url, {**form, "version": owner.version}).status_code == 302
    owner.refresh_from_db()
    assert owner.name == "Saale Wohnen GmbH & Co. KG"
    assert client_for(personas.clearing).get(url).status_code == 404


def test_a_planned_inspection_can_be_cancelled_and_a_closure_lifted(data, housing, personas, client_for):
    import datetime as dt

    from django.utils import timezone

    from lotse.housing import services
    from lotse.housing.models import Closure, Inspection

    client = client_for(personas.housing)
    planned = Inspection.objects.filter(status="planned").first()
    assert client.post(f"/wohnraum/kontrollen/{planned.pk}/absagen/").status_code == 302
    planned.refresh_from_db()
    assert planned.status == Inspection.Status.CANCELLED
    assert client.post(f"/wohnraum/kontrollen/{planned.pk}/absagen/").status_code == 400  # not twice
    dwelling = data["dwelling"]
    services.closure_declare(
        actor=personas.housing,
        inspection=data["inspection"],
        vacate_by=timezone.localdate() + dt.timedelta(days=10),
        reason="Decke einsturzgefährdet",
        referral_legal_basis="§ 6 WoAufG LSA i. V. m. Art. 6 Abs. 1 lit. e DSGVO",
    )
    assert "unbewohnbar erklärt" in client.get(f"/wohnraum/wohnungen/{dwelling.pk}/").content.decode()
    assert (
        client_for(personas.clearing).post(f"/wohnraum/wohnungen/{dwelling.pk}/aufheben/").status_code == 404
    )
    assert client.post(f"/wohnraum/wohnungen/{dwelling.pk}/aufheben/").status_code == 302
    assert Closure.objects.get(dwelling=dwelling).lifted_on == timezone.localdate()
    assert client.post(f"/wohnraum/wohnungen/{dwelling.pk}/aufheben/").status_code == 404


def test_dwelling_shows_the_latest_arrival_interview(housing, personas, client_for):
    from tests.clearing.interviews import make_interview

    dwelling = housing.dwelling(area="40")
    person = housing.resident(dwelling)
    interview = make_interview(personas, person, dwelling_persons=7)
    page = client_for(personas.housing).get(f"/wohnraum/wohnungen/{dwelling.pk}/").content.decode()
    assert f"Laut Ankunftsgespräch vom {interview.held_on:%d.%m.%Y}" in page
    assert '<td class="kern-table__cell kern-table__cell--numeric">7</td>' in page


def test_planning_with_team_and_invited_authorities(housing, personas, client_for):
    import datetime as dt

    from django.utils import timezone

    from lotse.housing.models import Inspection

    dwelling = housing.dwelling()
    client = client_for(personas.housing)
    url = f"/wohnraum/wohnungen/{dwelling.pk}/kontrolle/"
    page = client.get(url).content.decode()
    assert "Team der Wohnraumkontrolle" in page and "Jugendamt" in page
    day = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    form = {
        "cause": "complaint",
        "planned_on": day,
        "planned_time": "09:30",
        "announced": "0",
        "authorities": ["police", "youth_office"],
        "inspectors": [personas.housing.pk],
    }
    assert client.post(url, form).status_code == 302
    inspection = Inspection.objects.get(dwelling=dwelling)
    assert inspection.announced is False and inspection.authorities == ["police", "youth_office"]
    again = client.post(url, form)
    assert again.status_code == 400 and "schon eine Kontrolle" in again.content.decode()
    assert Inspection.objects.filter(dwelling=dwelling).count() == 1
