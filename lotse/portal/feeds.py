"""Calendar feeds (RFC 5545) of the public activities.

An activity's dates are kept as rules (its ``recurrence`` text: DTSTART, RRULE, EXDATE, RDATE
as local wall-clock times), and the feed carries them as rules: one VEVENT per activity with
``TZID=Europe/Berlin`` on every time and the zone's VTIMEZONE, never a list of expanded dates.
``UNTIL`` of a rule becomes UTC, as RFC 5545 asks when DTSTART has a zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event, Timezone, vRecur

from lotse.neighbourhood import recurrence
from lotse.neighbourhood.models import Activity
from lotse.portal.models import Portal
from lotse.portal.texts import Texts

PRODID = "-//Lotse//Öffentliche Seiten//DE"


def _moments(value: str) -> list[dt.datetime]:
    return [
        dt.datetime.strptime(part.strip(), recurrence.FORMAT) for part in value.split(",") if part.strip()
    ]


def _lines(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        name, _sep, value = line.partition(":")
        if value:
            found.setdefault(name.strip().upper(), []).append(value.strip())
    return found


def event_of(activity: Activity, texts: Texts, zone: ZoneInfo, uid_domain: str, stamp: dt.datetime) -> Event:
    lines = _lines(activity.recurrence)
    start = _moments(lines["DTSTART"][0])[0].replace(tzinfo=zone)
    event = Event()
    event.add("uid", f"angebot-{activity.pk}@{uid_domain}")
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + activity.duration)
    title = texts.get(activity, "title")
    event.add("summary", title.text, parameters={"language": title.language})
    description = texts.get(activity, "description")
    if description.text:
        event.add("description", description.text, parameters={"language": description.language})
    place = activity.room.name if activity.room_id and activity.room else activity.place
    if place:
        event.add("location", place)
    for rule in lines.get("RRULE", []):
        parsed = vRecur.from_ical(rule)
        if "UNTIL" in parsed:
            until = parsed["UNTIL"][0]
            if isinstance(until, dt.datetime) and until.tzinfo is None:
                parsed["UNTIL"] = [until.replace(tzinfo=zone).astimezone(dt.UTC)]
        event.add("rrule", parsed)
    for value in lines.get("EXDATE", []):
        event.add("exdate", [moment.replace(tzinfo=zone) for moment in _moments(value)])
    for value in lines.get("RDATE", []):
        event.add("rdate", [moment.replace(tzinfo=zone) for moment in _moments(value)])
    return event


def calendar_of(
    portal: Portal, activities: Iterable[Activity], texts: Texts, *, uid_domain: str, stamp: dt.datetime
) -> bytes:
    zone = ZoneInfo(settings.TIME_ZONE)
    activities = list(activities)
    first = min((activity.starts_at.date() for activity in activities), default=stamp.date())
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", portal.name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    # The zone's rules from the first date to the horizon of open-ended rules (not 1970–2038).
    calendar.add_component(
        Timezone.from_tzid(
            settings.TIME_ZONE,
            first_date=first.replace(month=1, day=1),
            last_date=dt.date(max(first.year, stamp.year) + recurrence.HORIZON_YEARS + 1, 1, 1),
        )
    )
    for activity in activities:
        calendar.add_component(event_of(activity, texts, zone, uid_domain, stamp))
    return calendar.to_ical()
