"""The start page's referral items at scale: the user's units go into the query as values and
an index holds the open referrals by due date, so that the first ten are read in order
instead of sorting every open referral of the unit (183 ms at 100,000 persons before)."""

from __future__ import annotations

import pytest
from django.db import connection

from lotse.accounts.models import Unit
from lotse.cases.models import Referral
from lotse.cases.selectors import referrals as selectors
from lotse.core import access
from tests.queries import read_in_order

pytestmark = pytest.mark.django_db

POSTGRES_ONLY = pytest.mark.skipif(connection.vendor != "postgresql", reason="plans of PostgreSQL")


def test_the_units_of_the_boxes_are_known_without_a_query(sharing, django_assert_num_queries):
    partner, clearing = sharing.p.partner, sharing.p.clearing
    access.can(partner, "inbox", Referral)  # the memberships, loaded once per user object
    access.can(clearing, "outbox", Referral)
    with django_assert_num_queries(0):
        inbox = access.pks(partner, Unit, "inbox")
        outbox = access.pks(clearing, Unit, "outbox")
    assert inbox == [sharing.unit("caritas-mbe").pk]
    assert outbox == [sharing.unit("clearingstelle").pk]
    for user in (partner, clearing, sharing.p.housing, sharing.p.outsider, sharing.p.head):
        for action in ("inbox", "outbox"):
            rows = access.visible(user, Unit, action).values_list("pk", flat=True)
            assert access.pks(user, Unit, action) == sorted(rows), (user, action)


def test_the_queries_name_the_units_as_values_not_by_a_subquery(sharing):
    today = sharing.today
    for rows in (
        selectors.referrals_to_answer(sharing.p.partner),
        selectors.referrals_to_report(sharing.p.partner, until=today),
        selectors.referrals_unanswered(sharing.p.clearing, today=today),
    ):
        assert "accounts_unit" not in str(rows.query).split(" WHERE ", 1)[1]


def test_new_referrals_are_listed_overdue_first_then_by_due_date_none_last(sharing):
    late = sharing.refer(due_date=sharing.days(-2))
    undated = sharing.refer()
    soon = sharing.refer(due_date=sharing.days(3))
    later = sharing.refer(due_date=sharing.days(9))
    sharing.accept(sharing.refer(due_date=sharing.days(-5)))  # accepted: not to answer
    found = list(selectors.referrals_to_answer(sharing.p.partner))
    assert found == [late, soon, later, undated]
    inbox = list(selectors.referral_inbox(sharing.p.partner, status="proposed"))
    assert inbox == found  # the same order as the inbox's


@POSTGRES_ONLY
def test_the_start_page_reads_the_first_referrals_in_order_from_an_index(sharing):
    today = sharing.today
    assert read_in_order(selectors.referrals_to_answer(sharing.p.partner)[:11])
    assert read_in_order(selectors.referrals_to_report(sharing.p.partner, until=today)[:11])
    assert read_in_order(selectors.referrals_unanswered(sharing.p.clearing, today=today)[:11])
