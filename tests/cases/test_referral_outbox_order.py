"""The outbox at scale: overdue referrals first, then the others, each newest first — read in
two parts that an index serves in order (``keyset_page(first=...)``), not by sorting every
referral ever sent by the "overdue" flag (165-185 ms at 100,000 persons before)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory

from lotse.cases.selectors import referrals as selectors
from lotse.core.pages import AFTER_PARAM, keyset_page
from tests.queries import read_in_order

pytestmark = pytest.mark.django_db


def walk(user, rows, size, first=None) -> list[int]:
    """Every row, page by page as the pager links them."""
    seen: list[int] = []
    query = ""
    while True:
        request = RequestFactory().get(f"/verweisungen/ausgang/?{query}")
        request.user = user
        page = keyset_page(request, rows, ordering=selectors.OUTBOX_ORDER, size=size, first=first)
        seen += [row.pk for row in page]
        if not page.next_query:
            return seen
        assert AFTER_PARAM in page.next_query
        query = page.next_query


def test_the_outbox_pages_in_two_parts_as_in_one_order(sharing):
    made = [
        sharing.refer(due_date=sharing.days(-3)),  # overdue
        sharing.refer(due_date=sharing.days(4)),
        sharing.refer(),  # no due date (or the way's)
        sharing.refer(due_date=sharing.days(-1)),  # overdue
        sharing.complete(sharing.refer(due_date=sharing.days(-6))),  # done: not overdue
        sharing.refer(due_date=sharing.days(-2)),  # overdue
        sharing.refer(due_date=sharing.days(1)),
    ]
    user = sharing.p.clearing
    rows = selectors.referral_outbox(user)
    expected = [r.pk for r in rows]  # one query ordered by the flag
    assert sorted(expected) == sorted(r.pk for r in made)
    overdue = {r.pk for r in rows if r.overdue}
    assert overdue and expected[: len(overdue)] == [pk for pk in expected if pk in overdue]
    for size in (1, 2, 3, 10):
        assert walk(user, rows, size, first=selectors.overdue_q()) == expected, size


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans of PostgreSQL")
def test_each_part_of_the_outbox_is_read_in_order_from_an_index(sharing):
    rows = selectors.referral_outbox(sharing.p.clearing)
    rest = selectors.OUTBOX_ORDER[1:]
    assert read_in_order(rows.filter(selectors.overdue_q()).order_by(*rest)[:26])
    assert read_in_order(rows.exclude(selectors.overdue_q()).order_by(*rest)[:26])
