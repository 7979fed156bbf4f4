"""The neighbourhood office's start page: persons moved up from a waiting list whom staff
must tell cost the same queries for any number of them, and are read from an index of the few
still to tell, not from every registration (11 ms at 1,000,000 persons before, a full scan)."""

from __future__ import annotations

import pytest
from django.db import connection

from lotse.neighbourhood import selectors, services
from tests.queries import read_in_order

from .office import activity

pytestmark = pytest.mark.django_db

POSTGRES_ONLY = pytest.mark.skipif(connection.vendor != "postgresql", reason="plans of PostgreSQL")
# The session renewed on every page: savepoint, update, release.
SESSION = 3


def move_up(actor, title: str) -> None:
    """Someone registered without an e-mail address moves up on the activity's waiting list."""
    full = activity(actor, capacity=1, title=title)
    first = services.registration_create(actor=actor, activity=full, name=f"Anna {title}")
    services.registration_create(actor=actor, activity=full, name=f"Dana {title}", phone="0151 1")
    services.registration_cancel(actor=actor, registration=first)


def test_the_start_page_costs_the_same_for_any_number_of_persons_to_tell(
    personas, client_for, django_assert_num_queries
):
    actor = personas.neighbourhood
    move_up(actor, "Nähcafé")
    client = client_for(actor)
    client.get("/")
    # session, user, memberships, their units' organisations; the units the user may see
    # (their organisations came with the memberships); follow-ups overdue and due this week;
    # referrals to answer, outcomes due, referrals sent and late; the registrations to tell
    # with their activity; the volunteers whose certificates run out; the user's open action
    # items from round tables; SESSION (nothing recorded: the agenda names no register entry).
    expected = 4 + 1 + 2 + 3 + 1 + 1 + 1 + SESSION
    with django_assert_num_queries(expected):
        client.get("/")
    move_up(actor, "Sprachcafé")
    with django_assert_num_queries(expected):
        page = client.get("/").content.decode()
    assert page.count("Von der Warteliste nachgerückt: Person benachrichtigen") == 2
    assert "Dana Nähcafé" in page and "Dana Sprachcafé" in page


@POSTGRES_ONLY
def test_the_persons_to_tell_are_read_in_order_from_an_index(personas):
    move_up(personas.neighbourhood, "Nähcafé")
    assert read_in_order(selectors.registrations_to_tell(personas.neighbourhood)[:11])
