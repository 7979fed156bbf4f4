"""Calendar feeds: valid RFC 5545 with the activities' rules kept as rules, Europe/Berlin with
its VTIMEZONE, titles in the feed's language; a calendar program expands them to the dates
Lotse shows."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar

from lotse.neighbourhood import recurrence
from lotse.neighbourhood import services as office_services
from lotse.portal import services

from .site import portal, public_activity

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def test_the_feed_keeps_rules_and_expands_to_the_dates_lotse_shows(personas, client):
    site = portal()
    cafe = public_activity(personas.neighbourhood)
    monthly_start = dt.datetime(2026, 3, 4, 15)
    crafts = public_activity(
        personas.neighbourhood,
        title="Bastelnachmittag",
        dates=recurrence.Dates(
            start=monthly_start,
            rule=recurrence.rule_for(
                "monthly", monthly_start, None
            ),  # open-ended, across both changes of time
            extra=(dt.datetime(2026, 12, 21, 15),),
        ),
    )
    services.translation_save(
        actor=personas.neighbourhood, portal=site, record=cafe, field="title", language="ro", text="Cafenea"
    )
    response = client.get("/portal/weissenfels/ro/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 2  # one per activity: rules, not expanded dates
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    by_uid = {str(event["UID"]): event for event in events}
    cafe_event = by_uid[f"angebot-{cafe.pk}@weissenfels.lotse"]
    assert str(cafe_event["SUMMARY"]) == "Cafenea"
    assert cafe_event["SUMMARY"].params["LANGUAGE"] == "ro"
    assert (
        str(by_uid[f"angebot-{crafts.pk}@weissenfels.lotse"]["SUMMARY"]) == "Bastelnachmittag"
    )  # German fallback
    assert cafe_event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert "RRULE" in cafe_event and "EXDATE" in cafe_event and "RDATE" in cafe_event
    assert cafe_event["RRULE"]["UNTIL"][0].tzinfo is not None  # UTC, as RFC 5545 asks with a TZID

    start, end = dt.date(2026, 1, 1), dt.date(2027, 12, 31)
    for activity in (cafe, crafts):
        single = Calendar.from_ical(client.get(f"/portal/weissenfels/de/angebote/{activity.pk}.ics").content)
        expanded = recurring_ical_events.of(single).between(start, end + dt.timedelta(days=1))
        theirs = sorted(event["DTSTART"].dt for event in expanded)
        ours = [
            moment.replace(tzinfo=BERLIN)
            for moment in recurrence.occurrences(activity.recurrence, start, end)
        ]
        assert theirs == ours, activity.title
        assert all(event["DTEND"].dt - event["DTSTART"].dt == activity.duration for event in expanded)
    # Across the change to winter time the café stays at 16:00 local time.
    cafe_dates = sorted(
        event["DTSTART"].dt
        for event in recurring_ical_events.of(calendar).between(dt.date(2026, 10, 20), dt.date(2026, 11, 6))
        if str(event["UID"]).startswith(f"angebot-{cafe.pk}@")
    )
    assert [(d.date().isoformat(), d.hour, d.utcoffset()) for d in cafe_dates] == [
        ("2026-10-22", 16, dt.timedelta(hours=2)),
        ("2026-11-02", 10, dt.timedelta(hours=1)),  # the extra date; 29.10. is excluded
        ("2026-11-05", 16, dt.timedelta(hours=1)),
    ]


def test_the_feed_answers_an_unchanged_copy_with_304(personas, client):
    site = portal()
    cafe = public_activity(personas.neighbourhood)
    first = client.get("/portal/weissenfels/en/calendar.ics")
    assert first["ETag"] and first["Last-Modified"]
    again = client.get("/portal/weissenfels/en/calendar.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    services.translation_save(
        actor=personas.neighbourhood, portal=site, record=cafe, field="title", language="en", text="Café"
    )
    changed = client.get("/portal/weissenfels/en/calendar.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_only_public_activities_are_in_the_feed(personas, client):
    portal()
    shown = public_activity(personas.neighbourhood)
    hidden = public_activity(personas.neighbourhood, title="Interne Teamrunde")
    office_services.activity_publish(actor=personas.neighbourhood, activity=hidden, public=False)
    body = client.get("/portal/weissenfels/de/calendar.ics").content.decode()
    assert f"angebot-{shown.pk}@" in body and "Teamrunde" not in body
    assert client.get(f"/portal/weissenfels/de/angebote/{hidden.pk}.ics").status_code == 404
    assert client.get(f"/portal/weissenfels/de/angebote/{hidden.pk}/").status_code == 404
