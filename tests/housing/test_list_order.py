"""The housing lists at scale: indexes hold an organisation's inspections newest planned first
and its buildings by address, so a page is read in order instead of sorting all of them (97 and
118 ms at 100,000 persons); the buildings' dwellings are counted per building shown."""

from __future__ import annotations

import pytest
from django.db import connection

from lotse.housing import selectors
from tests.queries import read_in_order

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans of PostgreSQL")
def test_the_inspections_list_is_read_in_order_from_an_index(personas):
    assert read_in_order(selectors.inspections_for(personas.housing).order_by("-planned_at", "-pk")[:26])


def test_the_buildings_list_counts_dwellings_per_building_shown_without_grouping(personas):
    rows = selectors.buildings_for(personas.housing)
    assert rows.query.group_by is None  # the page is cut before anything is counted


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans of PostgreSQL")
def test_the_buildings_list_is_read_in_order_from_an_index(personas):
    assert read_in_order(selectors.buildings_for(personas.housing)[:26])


def test_the_buildings_list_counts_each_buildings_dwellings(housing):
    full = housing.building("Zeitzer Straße", "3")
    for label in ("EG", "1. OG", "2. OG"):
        housing.dwelling(full, label=label)
    empty = housing.building("Zeitzer Straße", "5")
    counts = {b.pk: b.dwelling_count for b in selectors.buildings_for(housing.inspector, "Zeitzer")}
    assert counts == {full.pk: 3, empty.pk: 0}
