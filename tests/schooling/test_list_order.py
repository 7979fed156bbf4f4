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
