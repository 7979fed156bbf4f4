"""The school team's waiting list at scale: an index holds a team's open listings by need,
longest waiting first, so a page is read in order instead of sorting every child (88 ms at
100,000 persons)."""

from __future__ import annotations

import pytest
from django.db import connection

from lotse.schooling import selectors
from tests.queries import read_in_order

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
