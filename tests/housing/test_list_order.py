"""The housing lists at scale: indexes hold an organisation's inspections newest planned first
and its buildings by address, so a page is read in order instead of sorting all of them (97 and
118 ms at 100,000 persons); the buildings' dwellings are counted per building shown. The
inspections are paged by position (no count of every inspection ever planned)."""

from __future__ import annotations

import re
from functools import partial

import pytest
from django.db import connection

from lotse.core import access
from lotse.core.pages import keyset_page
from lotse.housing import selectors, services, views
from lotse.housing.models import Inspection
from tests.queries import read_in_order

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans of PostgreSQL")
@pytest.mark.parametrize("status", ["", *Inspection.Status.values])
def test_the_inspections_list_is_read_in_order_from_an_index(personas, status):
    assert read_in_order(selectors.inspections_for(personas.housing, status)[:26])


def _walk(client, status: str) -> list[str]:
    """Every inspection of the list page by page, as its pager links them."""
    seen: list[str] = []
    query = f"stand={status}"
    while True:
        page = client.get(f"/wohnraum/kontrollen/?{query}").content.decode()
        seen += re.findall(r'href="/wohnraum/kontrollen/(\d+)/"', page)
        found = re.search(r'href="\?([^"]*)">Nächste Seite', page)
        if found is None:
            return seen
        query = found.group(1).replace("&amp;", "&")


@pytest.mark.parametrize("size", [1, 2, 3, 25])
def test_the_inspections_list_pages_as_one_sorted_list(housing, client_for, monkeypatch, size):
    """Planned, done and cancelled inspections, several at the same hour: every state filter
    shows page by page the rows of the one sorted query, each once."""
    building = housing.building()
    made = [housing.inspection(housing.dwelling(building, label=f"{n}. OG"), days=n % 3) for n in range(7)]
    services.inspection_cancel(actor=housing.inspector, inspection=made[1])
    services.inspection_cancel(actor=housing.inspector, inspection=made[4])
    for done in (made[2], made[6]):
        services.inspection_record(
            actor=housing.inspector,
            inspection=done,
            checklist={"heating": "ok"},
            adults_found=2,
            children_ages_found=[],
        )
        done.refresh_from_db()
        services.inspection_complete(actor=housing.inspector, inspection=done)
    monkeypatch.setattr(views, "keyset_page", partial(keyset_page, size=size))
    client = client_for(housing.inspector)
    for status in ["", *Inspection.Status.values]:
        rows = access.visible(housing.inspector, Inspection).order_by("-planned_at", "-pk")
        if status:
            rows = rows.filter(status=status)
        expected = [str(pk) for pk in rows.values_list("pk", flat=True)]
        assert expected, status
        assert _walk(client, status) == expected, status


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
