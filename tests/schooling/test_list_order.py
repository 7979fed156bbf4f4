"""The school team's lists at scale: indexes hold a team's open listings by need, longest
waiting first, and all its children last arrived first, so a page is read in order instead of
sorting every child (88 ms at 100,000 persons; „Alle Kinder“ 1 s at 1,000,000). The lists page
by position and count their children only up to ``COUNTED`` („mehr als 999 Kinder“)."""

from __future__ import annotations

import datetime as dt
import re
from functools import partial

import pytest
from django.db import connection

from lotse.core import access
from lotse.core.pages import _after, keyset_page
from lotse.schooling import selectors, views
from lotse.schooling.models import ListedChild
from tests.clearing.interviews import make_interview, make_person
from tests.queries import read_in_order

from .conftest import route_to_school_team

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans of PostgreSQL")
def test_the_waiting_list_is_read_in_order_from_an_index(personas):
    assert read_in_order(selectors.waiting_for(personas.school_city)[:26])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans of PostgreSQL")
def test_the_waiting_list_asks_each_child_for_its_path_not_every_path_at_once(personas):
    """Whether a child has started school is asked only in the WHERE, per child read (an
    anti-join); in the SELECT as well, PostgreSQL computed every started path first (a hashed
    subplan over the whole table, growing with the register; the start page reads 50)."""
    plan = selectors.waiting_for(personas.school_city)[:50].explain()
    assert "SubPlan" not in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans of PostgreSQL")
def test_all_children_are_read_in_order_from_an_index_also_further_down(personas):
    rows = selectors.children_for(personas.school_city).order_by(*selectors.ALL_ORDER)
    assert read_in_order(rows[:26])
    # Further down the list the index is entered at the position, not read from its start.
    later = rows.filter(_after(selectors.ALL_ORDER, [dt.date(2026, 1, 1), 10**6]))[:26]
    assert read_in_order(later)
    assert re.search(r"Index Cond: .*arrived_on <= ", later.explain()), later.explain()


@pytest.fixture
def children(family, personas):
    """Four more families, two of them arriving on the same day: school-age children and
    children who need day-care, several with the same day of arrival (the order goes on by
    the listing)."""
    families = [
        ("Ionescu", dt.date(2026, 8, 3), ("Mihai", 8), ("Radu", 12), "Sofia"),
        ("Dimitrov", dt.date(2026, 9, 1), ("Georgi", 7), ("Petar", 13), "Mila"),
        ("Kowalski", dt.date(2026, 9, 1), ("Jakub", 9), ("Zofia", 14), "Lena"),
        ("Horvath", dt.date(2026, 10, 5), ("Bence", 6), ("Anna", 10), "Lili"),
    ]
    for family_name, held_on, (first, first_age), (second, second_age), small in families:
        parent = make_person(personas, "Elisabeta", family_name)
        school_age = {"school_status": "no_place", "day_care_status": "not_applicable"}
        interview = make_interview(
            personas,
            parent,
            held_on=held_on,
            children=[
                {"name": f"{first} {family_name}", "age": first_age, **school_age},
                {"name": f"{second} {family_name}", "age": second_age, **school_age},
                {
                    "name": f"{small} {family_name}",
                    "age": 2,
                    "school_status": "not_school_age",
                    "day_care_status": "no_place",
                },
            ],
        )
        route_to_school_team(personas, interview)
    return ListedChild.objects.all()


def _walk(client, which: str) -> tuple[list[str], str]:
    """Every child of a list page by page, as its pager links them; and the first page."""
    seen: list[str] = []
    query = f"liste={which}"
    first = ""
    while True:
        page = client.get(f"/schulteam/?{query}").content.decode()
        first = first or page
        seen += re.findall(r'href="/schulteam/kinder/(\d+)/"', page)
        found = re.search(r'href="\?([^"]*)">Nächste Seite', page)
        if found is None:
            return seen, first
        query = found.group(1).replace("&amp;", "&")


@pytest.mark.parametrize("size", [1, 2, 3, 25])
def test_each_list_pages_as_one_sorted_list(children, personas, client_for, monkeypatch, size):
    monkeypatch.setattr(views, "keyset_page", partial(keyset_page, size=size))
    user = personas.school_county
    client = client_for(user)
    listed = access.visible(user, ListedChild)
    plain = {
        "schule": selectors.waiting_for(user, need=ListedChild.Need.SCHOOL),
        "kita": selectors.waiting_for(user, need=ListedChild.Need.DAY_CARE),
        "alle": listed.order_by("-arrived_on", "-pk"),
    }
    for which, rows in plain.items():
        expected = [str(pk) for pk in rows.values_list("pk", flat=True)]
        assert len(expected) >= 4, which
        seen, first = _walk(client, which)
        assert seen == expected, (which, size)
        assert f"{len(expected)} Kinder" in first


def test_the_count_under_the_list_stops_at_counted(children, personas, client_for, monkeypatch):
    client = client_for(personas.school_county)
    waiting = selectors.waiting_for(personas.school_county).count()
    assert f"{waiting} Kinder" in client.get("/schulteam/").content.decode()
    monkeypatch.setattr(views, "COUNTED", waiting)
    assert f"{waiting} Kinder" in client.get("/schulteam/").content.decode()  # exactly: no "more"
    monkeypatch.setattr(views, "COUNTED", waiting - 1)
    assert f"Mehr als {waiting - 1} Kinder" in client.get("/schulteam/").content.decode()


@pytest.mark.parametrize("name", ["outsider", "clearing", "outreach", "housing", "partner", "head"])
def test_others_see_no_child_of_the_list(children, personas, client_for, name):
    client = client_for(getattr(personas, name))
    for which in ("schule", "kita", "alle"):
        response = client.get(f"/schulteam/?liste={which}")
        assert response.status_code == 404, (name, which)
