"""The list of activities at scale: pages of 25 (activities with dates to come first), the
registrations counted for the activities shown, the calendar of the activities shown — the same
queries and about the same work for ten activities or a thousand (280 ms for the 200 activities
of the generated office at 1,000,000 persons before)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from lotse.neighbourhood import recurrence, selectors, services

from .office import at, office

pytestmark = pytest.mark.django_db

LIST = "/stadtteilbuero/angebote/"


def weekly(user, title: str, first: dt.date, until: dt.date | None = None, capacity: int | None = 5):
    start = dt.datetime.combine(first, dt.time(15))
    return services.activity_create(
        actor=user,
        unit=office(),
        starts_at=at(first, 15),
        ends_at=at(first, 17),
        dates=recurrence.Dates(start=start, rule=recurrence.rule_for("weekly", start, until)),
        title=title,
        capacity=capacity,
    )


def titles(page: str) -> list[str]:
    """The activities of the list (not of the calendar), in order."""
    table = page.split('id="angebote-heading"', 1)[1]
    return re.findall(r'href="/stadtteilbuero/angebote/\d+/">([^<]+)</a>', table)


def test_activities_with_dates_to_come_stand_first_then_the_ended_ones(personas, client_for):
    today = timezone.localdate()
    user = personas.neighbourhood
    weekly(user, "Sprachcafé (beendet)", today - dt.timedelta(days=90), until=today - dt.timedelta(days=30))
    weekly(user, "Nähkurs (kommt)", today + dt.timedelta(days=20))
    weekly(user, "Elterncafé (läuft)", today - dt.timedelta(days=60))
    weekly(user, "Chor (beendet zuletzt)", today - dt.timedelta(days=90), until=today - dt.timedelta(days=2))
    weekly(user, "Schach (kommt bald)", today + dt.timedelta(days=3))
    page = client_for(user).get(LIST).content.decode()
    assert titles(page) == [
        "Elterncafé (läuft)",
        "Schach (kommt bald)",
        "Nähkurs (kommt)",
        "Chor (beendet zuletzt)",
        "Sprachcafé (beendet)",
    ]
    assert "Angebote mit kommenden Terminen stehen oben" in page


def test_the_list_pages_by_25_and_a_bad_page_number_shows_a_page(personas, client_for):
    today = timezone.localdate()
    for number in range(27):
        weekly(personas.neighbourhood, f"Kurs {number:02d}", today + dt.timedelta(days=number))
    client = client_for(personas.neighbourhood)
    first = client.get(LIST).content.decode()
    assert titles(first) == [f"Kurs {n:02d}" for n in range(25)]
    assert "Seite 1 von 2" in first and "seite=2" in first
    assert "Der Kalender zeigt die Termine der Angebote auf dieser Seite der Liste." in first
    second = client.get(LIST, {"seite": "2"}).content.decode()
    assert titles(second) == ["Kurs 25", "Kurs 26"]
    # Like the other lists: a page number that is no number shows the first page, one past the
    # end the last.
    assert titles(client.get(LIST, {"seite": "zwei"}).content.decode()) == titles(first)
    assert titles(client.get(LIST, {"seite": "9"}).content.decode()) == titles(second)
    # The calendar shows the dates of the activities on the page, and keeps the page.
    calendar = second.split('id="angebote-heading"', 1)[0]
    assert "Kurs 25" in calendar and "Kurs 03" not in calendar
    assert "seite=2" in calendar.split('aria-label="Zeitraum"', 1)[1].split("</nav>", 1)[0]


def test_registrations_are_counted_for_the_activities_shown(personas):
    today = timezone.localdate()
    user = personas.neighbourhood
    full = weekly(user, "Skaterworkshop", today, capacity=2)
    free = weekly(user, "Malen", today)
    weekly(user, "Offener Treff", today, capacity=None)
    for name in ("Anna", "Bo", "Cem", "Dana"):
        services.registration_create(actor=user, activity=full, name=name)
    services.registration_create(actor=user, activity=free, name="Emil")
    cancelled = services.registration_create(actor=user, activity=free, name="Fatma")
    services.registration_cancel(actor=user, registration=cancelled)
    shown = list(selectors.activity_list(user))
    selectors.count_registrations(shown)
    assert {a.title: (a.registered, a.waiting) for a in shown} == {
        "Skaterworkshop": (2, 2),
        "Malen": (1, 0),
        "Offener Treff": (0, 0),
    }


def test_the_list_asks_the_same_queries_for_three_times_the_activities(
    personas, client_for, django_assert_num_queries
):
    today = timezone.localdate()
    user = personas.neighbourhood

    def add(count: int) -> None:
        for number in range(count):
            made = weekly(user, f"Angebot {number}", today - dt.timedelta(days=number))
            services.registration_create(actor=user, activity=made, name="Anna")

    add(10)
    client = client_for(user)
    client.get(LIST)
    # session, user, memberships, organisations; the count of activities; the page of them
    # with room and unit; the registrations of those shown, counted by state; session renewal
    # (savepoint, update, release).
    with django_assert_num_queries(10):
        client.get(LIST)
    add(20)
    with django_assert_num_queries(10):
        page = client.get(LIST).content.decode()
    assert len(titles(page)) == 25


def test_outsiders_see_no_list(personas, client_for):
    for name in ("outsider", "clearing", "housing"):
        assert client_for(getattr(personas, name)).get(LIST).status_code == 404, name
