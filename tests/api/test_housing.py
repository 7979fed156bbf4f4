"""Housing inspection through the API: buildings, dwellings with the verdict on overcrowding,
inspections (plan, record findings, complete), orders (issue, outcome); access as in the pages,
German errors on the field, If-Match for changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lotse.housing.models import Inspection, Order
from tests.housing.conftest import Housing

pytestmark = pytest.mark.django_db


@pytest.fixture
def housing(personas):
    return Housing(personas)


def test_dwelling_carries_overcrowding_from_the_register_then_the_inspection(housing, api_for, personas):
    dwelling = housing.dwelling(area="18")
    housing.resident(dwelling, "Ana", "Popescu")
    housing.resident(dwelling, "Ion", "Popescu")
    client = api_for(personas.housing)
    response = client.get(f"/api/v1/dwellings/{dwelling.pk}/")
    assert response.status_code == 200 and response["ETag"]
    assert response.json()["overcrowding"] == {
        "persons": 2,
        "children_under_limit": 0,
        "area_m2": 18.0,
        "required_m2": 18.0,
        "overcrowded": False,  # exactly the minimum
        "rule": "§ 7 WoAufG LSA",
        "source": "register",
    }
    planned = client.post(
        "/api/v1/inspections/",
        {
            "dwelling": dwelling.pk,
            "cause": "complaint",
            "planned_at": (timezone.now() + dt.timedelta(days=1)).isoformat(),
        },
        format="json",
    )
    assert planned.status_code == 201, planned.content
    inspection = planned.json()
    recorded = client.post(
        f"/api/v1/inspections/{inspection['id']}/findings/",
        {
            "checklist": {"mould": "deficient"},
            "adults_found": 2,
            "children_ages_found": [1],
            "findings": [{"category": "mould", "description": "Schimmel im Bad", "severity": "major"}],
        },
        format="json",
        HTTP_IF_MATCH=planned["ETag"],
    )
    assert recorded.status_code == 200, recorded.content
    assert recorded.json()["findings"][0]["legal_basis"] == "§ 3 WoAufG LSA"
    done = client.post(f"/api/v1/inspections/{inspection['id']}/complete/", HTTP_IF_MATCH=recorded["ETag"])
    assert done.status_code == 200 and done.json()["status"] == "done"
    crowding = client.get(f"/api/v1/dwellings/{dwelling.pk}/").json()["overcrowding"]
    assert crowding["source"] == "inspection"
    assert (crowding["persons"], crowding["children_under_limit"], crowding["required_m2"]) == (2, 1, 24.0)
    assert crowding["overcrowded"] is True


def test_bad_input_is_refused_in_german_on_the_field(housing, api_for, personas):
    dwelling = housing.dwelling()
    client = api_for(personas.housing)
    etag = client.get(f"/api/v1/dwellings/{dwelling.pk}/")["ETag"]
    absurd = client.patch(
        f"/api/v1/dwellings/{dwelling.pk}/", {"area_m2": "2000"}, format="json", HTTP_IF_MATCH=etag
    )
    assert absurd.status_code == 400 and "nicht glaubhaft" in absurd.json()["fields"]["area_m2"][0]
    without_order = client.post(
        "/api/v1/inspections/",
        {
            "dwelling": dwelling.pk,
            "cause": "follow_up",
            "planned_at": (timezone.now() + dt.timedelta(days=3)).isoformat(),
        },
        format="json",
    )
    assert without_order.status_code == 400 and "Nachkontrolle" in without_order.json()["fields"]["cause"][0]
    inspection = housing.inspection(dwelling)
    from lotse.housing import services

    finding = services.finding_add(
        actor=personas.housing,
        inspection=inspection,
        category="fire",
        description="Keine Melder",
        severity="minor",
    )
    past = client.post(
        "/api/v1/orders/",
        {
            "finding": finding.pk,
            "text": "Melder anbringen",
            "deadline": str(timezone.localdate() - dt.timedelta(days=2)),
        },
        format="json",
    )
    assert past.status_code == 400 and "Vergangenheit" in past.json()["fields"]["deadline"][0]
    assert not Order.objects.exists()
    twice = client.post(
        "/api/v1/inspections/",
        {"dwelling": dwelling.pk, "cause": "complaint", "planned_at": inspection.planned_at.isoformat()},
        format="json",
    )
    assert twice.status_code == 400 and "planned_at" in twice.json()["fields"]
    assert Inspection.objects.filter(dwelling=dwelling).count() == 1


def test_orders_with_outcome_need_if_match(housing, api_for, personas):
    from lotse.housing import services

    inspection = housing.inspection()
    finding = services.finding_add(
        actor=personas.housing,
        inspection=inspection,
        category="heating",
        description="kalt",
        severity="major",
    )
    client = api_for(personas.housing)
    created = client.post(
        "/api/v1/orders/",
        {
            "finding": finding.pk,
            "text": "Heizung reparieren",
            "deadline": str(timezone.localdate() + dt.timedelta(days=14)),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    order = created.json()
    assert order["legal_basis"] == "§ 5 WoAufG LSA" and order["outcome"] == "open"
    missing = client.post(f"/api/v1/orders/{order['id']}/outcome/", {"outcome": "complied"}, format="json")
    assert missing.status_code == 428
    done = client.post(
        f"/api/v1/orders/{order['id']}/outcome/",
        {"outcome": "complied"},
        format="json",
        HTTP_IF_MATCH=created["ETag"],
    )
    assert done.status_code == 200 and done.json()["complied_in_time"] is True


def test_others_see_nothing(housing, api_for, personas):
    dwelling = housing.dwelling()
    inspection = housing.inspection(dwelling)
    for name in ("clearing", "outsider", "partner", "head"):
        client = api_for(getattr(personas, name))
        for resource in ("buildings", "dwellings", "inspections", "orders"):
            response = client.get(f"/api/v1/{resource}/")
            assert response.status_code == 200 and response.json()["results"] == [], (name, resource)
        assert client.get(f"/api/v1/dwellings/{dwelling.pk}/").status_code == 404, name
        assert client.get(f"/api/v1/inspections/{inspection.pk}/").status_code == 404, name
        assert client.get(f"/api/v1/buildings/{dwelling.building_id}/").status_code == 404, name


def test_lists_in_constant_queries(housing, api_for, personas, django_assert_num_queries):
    for number in ("1", "2", "3"):
        building = housing.building("Zeitzer Straße", number, owner=housing.owner(f"Eigentümer {number}"))
        housing.inspection(housing.dwelling(building))
    client = api_for(personas.housing)
    # token, memberships, their units' organisations, the page of buildings with owner and
    # manager and their numbers of dwellings
    client.get("/api/v1/buildings/")
    with django_assert_num_queries(4):
        assert len(client.get("/api/v1/buildings/").json()["results"]) == 3
    # token, memberships, organisations, the page of inspections, their findings; the record
    # of which inspections the list showed
    from tests.queries import LISTED

    client.get("/api/v1/inspections/")
    with django_assert_num_queries(5 + LISTED):
        assert len(client.get("/api/v1/inspections/").json()["results"]) == 3
