"""Steering through the API, read only: concept versions with the council decision and the
participation, measures, indicators with their values (a computed value on fewer than five
records hidden, as on the pages); access as in the pages; constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lotse.neighbourhood import services as office_services
from lotse.planning import services
from tests.neighbourhood.office import office, topic
from tests.planning.plan import concept, field, indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def steering(personas):
    head = personas.head
    version = concept(head)
    services.participation_add(
        actor=head,
        version=version,
        held_on=dt.date(2025, 7, 3),
        format="Runder Tisch",
        participants="Vereine",
    )
    for title, number in (("Sprachcafé", 1), ("Hoffest", 2)):
        services.measure_create(
            actor=head, field=field(version, number), title=title, responsible=personas.city, status="running"
        )
    counted = indicator(
        head,
        slug="beratungen",
        name="Beratungen",
        code="counselling_contacts",
        source="",
        unit_label="Beratungen",
    )
    this_year = timezone.localdate().replace(month=1, day=1)
    for _ in range(3):  # three this year: fewer than five, hidden outside the unit
        office_services.counselling_create(
            actor=personas.neighbourhood, unit=office(), held_on=this_year, kind="walk_in", topics=[topic()]
        )
    return version, counted


def test_the_head_reads_versions_measures_and_indicators(
    steering, api_for, personas, django_assert_num_queries
):
    version, counted = steering
    client = api_for(personas.head)
    versions = client.get("/api/v1/concept-versions/").json()["results"]
    assert [v["label"] for v in versions] == ["Erste Fassung"]
    assert versions[0]["participation"] == [
        {"held_on": "2025-07-03", "format": "Runder Tisch", "participants": "Vereine", "note": ""}
    ]
    assert [f["title"] for f in versions[0]["fields_of_action"]] == ["Bildung und Sprachförderung", "Wohnen"]
    measures = client.get("/api/v1/measures/").json()["results"]
    assert sorted(m["title"] for m in measures) == ["Hoffest", "Sprachcafé"]
    assert measures[0]["responsible"]["name"] == personas.city.name
    found = client.get(f"/api/v1/indicators/{counted.pk}/").json()
    assert found["computed"] and found["counts_district"] and "Beratungsprotokoll" in found["how_counted"]
    latest = found["values"][-1]
    assert latest["hidden"] and latest["value"] is None and latest["basis"] is None  # 3 < 5
    assert found["values"][0]["value"] == "0.00" and not found["values"][0]["hidden"]
    bad = client.get(f"/api/v1/indicators/{counted.pk}/?stadtteil={'x' * 101}")
    assert bad.status_code == 400 and "stadtteil" in bad.content.decode()
    # the token with its user, memberships, their units' organisations; the page of versions
    # and its three prefetches (participation, fields of action, goals) – with one version as
    # with two.
    with django_assert_num_queries(7):
        client.get("/api/v1/concept-versions/")
    services.version_continue(actor=personas.head, version=version, label="Fortschreibung")
    with django_assert_num_queries(7):
        client.get("/api/v1/concept-versions/")


@pytest.mark.parametrize("name", ["clearing", "partner", "outsider", "dpo"])
def test_nobody_else_reads_steering(steering, api_for, personas, name):
    version, counted = steering
    client = api_for(getattr(personas, name))
    for url in (f"/api/v1/concept-versions/{version.pk}/", f"/api/v1/indicators/{counted.pk}/"):
        assert client.get(url).status_code == 404, url
    listed = client.get("/api/v1/indicators/")
    assert listed.status_code in (403, 404) or listed.json()["results"] == []
