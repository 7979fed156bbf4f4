"""The inbox at scale: overdue referrals first, then by due date (none last) — read in parts
that indexes serve in order (the overdue ones; then merged the open ones due later and the
closed ones), not by sorting every referral the unit ever received; its counters stop counting
at ``COUNTED`` (11 ms of the list and the counts over all referrals at 100,000 persons)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory

from lotse.cases.models import Referral
from lotse.cases.selectors import referrals as selectors
from lotse.cases.views import referrals as views
from lotse.core import access
from lotse.core.pages import AFTER_PARAM, keyset_page
from tests.queries import read_in_order

pytestmark = pytest.mark.django_db

INBOX = "/verweisungen/eingang/"


def walk(user, status, size) -> list[int]:
    """Every row of the inbox with ``status``, page by page as the pager links them."""
    seen: list[int] = []
    query = ""
    first, others = selectors.inbox_parts(status)
    rows = selectors.referral_inbox(user, status=status)
    while True:
        request = RequestFactory().get(f"{INBOX}?{query}")
        request.user = user
        page = keyset_page(
            request, rows, ordering=selectors.INBOX_ORDER, size=size, first=first, others=others
        )
        seen += [row.pk for row in page]
        if not page.next_query:
            return seen
        assert AFTER_PARAM in page.next_query
        query = page.next_query


@pytest.fixture
def inbox(sharing):
    """Referrals to the partner's unit in every state, overdue or not, with and without a due
    date (several due the same day: the order goes on by arrival)."""
    return [
        sharing.refer(due_date=sharing.days(-3)),  # overdue
        sharing.refer(due_date=sharing.days(4)),
        sharing.refer(),  # no due date (or the way's)
        sharing.accept(sharing.refer(due_date=sharing.days(-1))),  # overdue
        sharing.complete(sharing.refer(due_date=sharing.days(-6))),  # done: not overdue
        sharing.refer(due_date=sharing.days(4)),
        sharing.decline(sharing.refer(due_date=sharing.days(2))),
        sharing.complete(sharing.refer(due_date=sharing.days(4))),
        sharing.refer(due_date=sharing.days(-3)),  # overdue
        sharing.refer(due_date=sharing.days(0)),  # due today: not overdue yet
    ]


@pytest.mark.parametrize("status", ["", "open", "proposed", "accepted", "done", "declined"])
def test_the_inbox_pages_in_parts_as_in_one_order(sharing, inbox, status):
    user = sharing.p.partner
    rows = selectors.referral_inbox(user, status=status)
    expected = [r.pk for r in rows]  # one query, sorted by the flag and the due date
    if not status:
        assert sorted(expected) == sorted(r.pk for r in inbox)
        overdue = [r.pk for r in rows if r.overdue]
        assert len(overdue) == 3 and expected[:3] == overdue
    for size in (1, 2, 3, 25):
        assert walk(user, status, size) == expected, size


def test_the_inbox_lists_only_what_the_units_received(sharing, inbox, personas):
    sent = sharing.refer(to="wohnraumkontrolle")  # the Clearingstelle sends, housing receives
    assert sent.pk not in {r.pk for r in selectors.referral_inbox(personas.partner)}
    # Whoever sent them sees them in the outbox, never in an inbox of their own.
    assert list(selectors.referral_inbox(personas.clearing)) == []
    for user in (personas.outsider, personas.head, personas.outreach):
        assert list(selectors.referral_inbox(user)) == []
    # What the inbox may list is a part of what the user may see.
    for user in (personas.partner, personas.housing, personas.clearing, personas.outsider):
        received = set(access.visible(user, Referral, "received").values_list("pk", flat=True))
        assert received <= set(access.visible(user, Referral).values_list("pk", flat=True))
    assert set(access.visible(personas.housing, Referral, "received").values_list("pk", flat=True)) == {
        sent.pk
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans of PostgreSQL")
@pytest.mark.parametrize("status", ["", "open", "proposed", "done"])
def test_each_part_of_the_inbox_is_read_in_order_from_an_index(sharing, status):
    rows = selectors.referral_inbox(sharing.p.partner, status=status)
    rest = selectors.INBOX_ORDER[1:]
    first, others = selectors.inbox_parts(status)
    for part in ([] if first == selectors.NOTHING else [first]) + others:
        assert read_in_order(rows.filter(part).order_by(*rest)[:26]), part


def test_the_counters_say_more_than_when_they_stop_counting(sharing, client_for, monkeypatch):
    for n in range(4):
        sharing.refer(due_date=sharing.days(-1 - n))
    sharing.refer(due_date=sharing.days(5))
    client = client_for(sharing.p.partner)
    page = client.get(INBOX).content.decode()
    assert "5 offene Verweisungen" in page and "davon 4 überfällig" in page
    assert "5 warten auf Ihre Antwort" in page
    monkeypatch.setattr(views, "COUNTED", 4)
    page = client.get(INBOX).content.decode()
    assert "Mehr als 4 offene Verweisungen" in page
    assert "davon 4 überfällig" in page  # exactly as many as counted: no "more than"
    assert "mehr als 4 warten auf Ihre Antwort" in page
