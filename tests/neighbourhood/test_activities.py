"""Activities: RFC 5545 dates with exceptions and extra dates, registrations with a waiting
list that moves up, headcounts, and their room booked for every date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from lotse.core.agenda import agenda_for
from lotse.neighbourhood import recurrence, services
from lotse.neighbourhood.models import Activity, Headcount, Registration, RoomBooking

from .office import activity, at, office, room

pytestmark = pytest.mark.django_db


def test_weekly_cafe_with_a_holiday_exception_and_an_extra_date(personas):
    start = dt.datetime(2026, 12, 2, 15)
    dates = recurrence.Dates(
        start=start,
        rule=recurrence.rule_for("weekly", start, dt.date(2027, 1, 31)),
        excluded=(dt.date(2026, 12, 23), dt.date(2026, 12, 30)),
        extra=(dt.datetime(2026, 12, 21, 15),),
    )
    cafe = services.activity_create(
        actor=personas.neighbourhood,
        unit=office(),
        starts_at=at(start.date(), 15),
        ends_at=at(start.date(), 17),
        dates=dates,
        title="Integrationscafé",
    )
    days = [
        d.date() for d in recurrence.occurrences(cafe.recurrence, dt.date(2026, 12, 1), dt.date(2027, 1, 10))
    ]
    assert days == [
        dt.date(2026, 12, 2),
        dt.date(2026, 12, 9),
        dt.date(2026, 12, 16),
        dt.date(2026, 12, 21),
        dt.date(2027, 1, 6),
    ]
    assert "EXDATE:20261223T150000,20261230T150000" in cafe.recurrence
    assert "RDATE:20261221T150000" in cafe.recurrence


def test_monthly_rule_keeps_the_weekday_of_the_month():
    start = dt.datetime(2026, 1, 7, 15)  # the first Wednesday
    assert recurrence.rule_for("monthly", start, None) == "FREQ=MONTHLY;BYDAY=1WE"
    text = recurrence.to_text(recurrence.Dates(start=start, rule="FREQ=MONTHLY;BYDAY=1WE;COUNT=3"))
    assert [d.date() for d in recurrence.occurrences(text, dt.date(2026, 1, 1), dt.date(2026, 12, 31))] == [
        dt.date(2026, 1, 7),
        dt.date(2026, 2, 4),
        dt.date(2026, 3, 4),
    ]


def test_event_ending_before_it_starts_is_refused(personas):
    day = dt.date(2026, 3, 1)
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            actor=personas.neighbourhood,
            unit=office(),
            starts_at=at(day, 17),
            ends_at=at(day, 15),
            title="Fest",
        )
    assert "Ende muss nach dem Beginn" in str(error.value)
    assert not Activity.objects.exists()


def test_recurrence_without_a_single_date_is_refused(personas):
    start = dt.datetime(2026, 3, 2, 10)
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            actor=personas.neighbourhood,
            unit=office(),
            starts_at=at(start.date(), 10),
            ends_at=at(start.date(), 11),
            dates=recurrence.Dates(start=start, rule="FREQ=WEEKLY;COUNT=1", excluded=(start.date(),)),
            title="Seniorensport",
        )
    assert "keinen einzigen Termin" in str(error.value.message_dict["recurrence"])
    assert not Activity.objects.exists()


def test_unreadable_rule_is_refused_in_german(personas):
    start = dt.datetime(2026, 3, 2, 10)
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            actor=personas.neighbourhood,
            unit=office(),
            starts_at=at(start.date(), 10),
            ends_at=at(start.date(), 11),
            dates=recurrence.Dates(start=start, rule="FREQ=SOMETIMES"),
            title="Spielbus",
        )
    assert "nicht lesbar" in str(error.value)


def test_registration_past_capacity_goes_to_the_waiting_list_never_over(personas):
    cafe = activity(personas.neighbourhood, capacity=2)
    first = services.registration_create(actor=personas.neighbourhood, activity=cafe, name="Anna")
    second = services.registration_create(actor=personas.neighbourhood, activity=cafe, name="Bogdan")
    third = services.registration_create(
        actor=personas.neighbourhood, activity=cafe, name="Cem", email="cem@example.org"
    )
    fourth = services.registration_create(actor=personas.neighbourhood, activity=cafe, name="Dana")
    assert [r.status for r in (first, second, third, fourth)] == [
        "registered",
        "registered",
        "waiting",
        "waiting",
    ]
    assert services.waiting_position(third) == 1 and services.waiting_position(fourth) == 2
    assert cafe.registrations.filter(status="registered").count() == 2


def test_cancelling_moves_the_first_waiting_up_and_mails_them(personas, django_capture_on_commit_callbacks):
    cafe = activity(personas.neighbourhood, capacity=1)
    first = services.registration_create(actor=personas.neighbourhood, activity=cafe, name="Anna")
    waiting = services.registration_create(
        actor=personas.neighbourhood, activity=cafe, name="Cem", email="cem@example.org"
    )
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.registration_cancel(actor=personas.neighbourhood, registration=first)
    assert [r.pk for r in moved] == [waiting.pk]
    waiting.refresh_from_db()
    assert waiting.status == "registered" and not waiting.notice_pending
    assert [m.to for m in mail.outbox] == [["cem@example.org"]]
    assert "Platz ist frei" in mail.outbox[0].subject


def test_moved_up_without_address_becomes_a_task_on_the_start_page(personas):
    cafe = activity(personas.neighbourhood, capacity=1)
    first = services.registration_create(actor=personas.neighbourhood, activity=cafe, name="Anna")
    waiting = services.registration_create(
        actor=personas.neighbourhood, activity=cafe, name="Dana", phone="0151 1"
    )
    services.registration_cancel(actor=personas.neighbourhood, registration=first)
    waiting.refresh_from_db()
    assert waiting.notice_pending
    sections = agenda_for(personas.neighbourhood, dt.date(2026, 1, 1))
    whats = [item.what for section in sections for item in section.items]
    assert "Von der Warteliste nachgerückt: Person benachrichtigen" in whats
    services.registration_notified(actor=personas.neighbourhood, registration=waiting)
    sections = agenda_for(personas.neighbourhood, dt.date(2026, 1, 1))
    assert "Von der Warteliste nachgerückt: Person benachrichtigen" not in [
        item.what for section in sections for item in section.items
    ]


def test_raising_capacity_moves_waiting_up(personas):
    cafe = activity(personas.neighbourhood, capacity=1)
    services.registration_create(actor=personas.neighbourhood, activity=cafe, name="Anna")
    waiting = services.registration_create(
        actor=personas.neighbourhood, activity=cafe, name="Bo", email="b@example.org"
    )
    services.activity_update(
        actor=personas.neighbourhood,
        activity=cafe,
        starts_at=cafe.starts_at,
        ends_at=cafe.ends_at,
        dates=recurrence.Dates(start=dt.datetime(2026, 1, 7, 15), rule="FREQ=WEEKLY;COUNT=10"),
        capacity=2,
    )
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.REGISTERED


def test_headcount_only_on_a_date_of_the_activity(personas):
    crafts = activity(personas.neighbourhood)
    total = services.headcount_set(
        actor=personas.neighbourhood,
        activity=crafts,
        occurs_on=dt.date(2026, 1, 14),
        counts={("0-13", "f"): 4, ("0-13", "m"): 3, ("27-64", "f"): 2},
    )
    assert total == 9 and Headcount.objects.count() == 3
    with pytest.raises(ValidationError) as error:
        services.headcount_set(
            actor=personas.neighbourhood,
            activity=crafts,
            occurs_on=dt.date(2026, 1, 15),
            counts={("", ""): 1},
        )
    assert "findet „Bastelnachmittag“ nicht statt" in str(error.value)


def test_activity_in_a_room_books_its_dates_and_refuses_a_collision(personas):
    hall = room(personas.neighbourhood)
    crafts = activity(personas.neighbourhood, room=hall)
    assert RoomBooking.objects.filter(activity=crafts).count() == 10
    with pytest.raises(ValidationError) as error:
        services.booking_create(
            actor=personas.neighbourhood,
            room=hall,
            title="Schuldnerberatung",
            starts_at=at(dt.date(2026, 1, 14), 16),
            ends_at=at(dt.date(2026, 1, 14), 18),
        )
    message = str(error.value)
    assert "Großer Raum" in message and "14.01.2026 15:00" in message and "Bastelnachmittag" in message
    with pytest.raises(ValidationError):
        activity(personas.neighbourhood, room=hall, title="Skaterworkshop")
    assert not Activity.objects.filter(title="Skaterworkshop").exists()


def test_booking_ending_before_start_and_back_to_back_bookings(personas):
    hall = room(personas.neighbourhood)
    day = dt.date(2026, 2, 2)
    with pytest.raises(ValidationError):
        services.booking_create(
            actor=personas.neighbourhood, room=hall, title="x", starts_at=at(day, 12), ends_at=at(day, 11)
        )
    services.booking_create(
        actor=personas.neighbourhood, room=hall, title="a", starts_at=at(day, 9), ends_at=at(day, 10)
    )
    services.booking_create(
        actor=personas.neighbourhood, room=hall, title="b", starts_at=at(day, 10), ends_at=at(day, 11)
    )
    assert RoomBooking.objects.count() == 2


def test_a_single_date_without_rule_is_its_start(personas):
    day = dt.date(2026, 6, 13)
    fest = services.activity_create(
        actor=personas.neighbourhood,
        unit=office(),
        starts_at=at(day, 14),
        ends_at=at(day, 18),
        title="Stadtteilfest",
    )
    assert fest.recurrence == "DTSTART:20260613T140000"
    assert recurrence.occurrences(fest.recurrence, dt.date(2026, 6, 1), dt.date(2026, 6, 30)) == [
        dt.datetime(2026, 6, 13, 14)
    ]
