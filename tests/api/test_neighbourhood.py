"""The neighbourhood office through the API: activities with their dates, registrations that
answer registered or waiting with the position, counselling, room bookings, volunteers; the
same access as on the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lotse.neighbourhood import services
from lotse.neighbourhood.models import CounsellingEntry, RoomBooking
from lotse.people import protection
from tests.neighbourhood.office import activity, at, office, own_person, room, topic

pytestmark = pytest.mark.django_db


def test_activities_with_occurrences_for_a_range(personas, api_for, django_assert_num_queries):
    crafts = activity(personas.neighbourhood)
    activity(personas.neighbourhood, title="Seniorensport")
    client = api_for(personas.neighbourhood)
    client.get("/api/v1/activities/?from=2026-01-01&to=2026-01-31")
    # token, memberships, their units' organisations, the page of activities with room, unit
    # and counts. The dates are expanded in Python.
    with django_assert_num_queries(4):
        response = client.get("/api/v1/activities/?from=2026-01-01&to=2026-01-31")
    assert response.status_code == 200, response.content
    rows = {row["title"]: row for row in response.json()["results"]}
    dates = [o["starts_at"][:10] for o in rows["Bastelnachmittag"]["occurrences"]]
    assert dates == ["2026-01-07", "2026-01-14", "2026-01-21", "2026-01-28"]
    assert rows["Bastelnachmittag"]["recurrence"].startswith("DTSTART:20260107T150000")
    detail = client.get(f"/api/v1/activities/{crafts.pk}/")
    assert detail.json()["occurrences"] is None and detail["ETag"]
    bad = client.get("/api/v1/activities/?from=2026-02-01&to=2026-01-01")
    assert bad.status_code == 400 and "to" in bad.json()["fields"]


def test_registration_answers_registered_or_waiting_with_position(personas, api_for):
    skaters = activity(personas.neighbourhood, capacity=1, title="Skaterworkshop")
    client = api_for(personas.neighbourhood)
    first = client.post("/api/v1/registrations/", {"activity": skaters.pk, "name": "Anna"}, format="json")
    assert (
        first.status_code == 201
        and first.json()["status"] == "registered"
        and first.json()["position"] is None
    )
    second = client.post("/api/v1/registrations/", {"activity": skaters.pk, "name": "Bo"}, format="json")
    assert second.json()["status"] == "waiting" and second.json()["position"] == 1
    third = client.post("/api/v1/registrations/", {"activity": skaters.pk, "name": "Cem"}, format="json")
    assert third.json()["position"] == 2
    cancelled = client.post(f"/api/v1/registrations/{first.json()['id']}/cancel/")
    assert cancelled.status_code == 200
    assert [row["name"] for row in cancelled.json()["moved_up"]] == ["Bo"]
    listed = client.get(f"/api/v1/registrations/?activity={skaters.pk}").json()["results"]
    assert {row["name"]: row["position"] for row in listed} == {"Anna": None, "Bo": None, "Cem": 1}


def test_outsiders_cannot_register_or_read(personas, api_for):
    skaters = activity(personas.neighbourhood, capacity=1)
    for name in ("partner", "clearing", "outsider"):
        client = api_for(getattr(personas, name))
        response = client.post("/api/v1/registrations/", {"activity": skaters.pk, "name": "X"}, format="json")
        assert response.status_code in (400, 403, 404)
        assert client.get(f"/api/v1/activities/{skaters.pk}/").status_code == 404


def test_counselling_through_the_api(personas, api_for):
    client = api_for(personas.neighbourhood)
    response = client.post(
        "/api/v1/counselling/",
        {
            "held_on": timezone.localdate().isoformat(),
            "kind": "walk_in",
            "topics": ["gewaltschutz"],
            "language": "uk",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["topics"] == ["gewaltschutz"]
    bad = client.post(
        "/api/v1/counselling/",
        {"held_on": timezone.localdate().isoformat(), "kind": "walk_in", "topics": ["astrologie"]},
        format="json",
    )
    assert bad.status_code == 400 and "Unbekannte Themen: astrologie" in bad.json()["fields"]["topics"][0]
    assert CounsellingEntry.objects.count() == 1
    assert api_for(personas.head).get("/api/v1/counselling/").status_code in (403, 404)


def test_counselling_of_a_person_whose_processing_is_restricted_says_so(personas, api_for):
    client = api_for(personas.neighbourhood)
    entries = {}
    for given in ("Mira", "Lena"):
        person = own_person(personas.neighbourhood, given=given)
        entries[given] = services.counselling_create(
            actor=personas.neighbourhood,
            unit=office(),
            held_on=timezone.localdate(),
            kind="appointment",
            topics=[topic("geld")],
            person=person,
        )
    anonymous = services.counselling_create(
        actor=personas.neighbourhood,
        unit=office(),
        held_on=timezone.localdate(),
        kind="walk_in",
        topics=[topic("geld")],
    )
    protection.restriction_set(
        actor=personas.dpo,
        person=entries["Mira"].person,
        ground="objection",
        requested_on=timezone.localdate(),
    )
    listed = {row["id"]: row["restricted"] for row in client.get("/api/v1/counselling/").json()["results"]}
    assert listed == {entries["Mira"].pk: True, entries["Lena"].pk: False, anonymous.pk: False}
    assert client.get(f"/api/v1/counselling/{entries['Mira'].pk}/").json()["restricted"] is True


def test_room_booking_over_another_is_refused_in_german(personas, api_for):
    hall = room(personas.neighbourhood)
    services.booking_create(
        actor=personas.neighbourhood,
        room=hall,
        title="Energieberatung",
        starts_at=at(dt.date(2026, 3, 3), 14),
        ends_at=at(dt.date(2026, 3, 3), 16),
        partner=personas.charity,
    )
    client = api_for(personas.neighbourhood)
    response = client.post(
        f"/api/v1/rooms/{hall.pk}/bookings/",
        {
            "title": "Elterncafé",
            "starts_at": "2026-03-03T15:00:00+01:00",
            "ends_at": "2026-03-03T17:00:00+01:00",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "schon belegt: „Energieberatung“" in str(response.json())
    assert RoomBooking.objects.count() == 1
    partner = api_for(personas.partner).get("/api/v1/rooms/bookings/?day=2026-03-01")
    assert [row["title"] for row in partner.json()] == ["Energieberatung"]


def test_volunteers_with_if_match(personas, api_for):
    client = api_for(personas.neighbourhood)
    created = client.post(
        "/api/v1/volunteers/", {"name": "Gisela Brandt", "languages": ["de"]}, format="json"
    )
    assert created.status_code == 201, created.content
    url = f"/api/v1/volunteers/{created.json()['id']}/"
    assert client.patch(url, {"skills": "Sport"}, format="json").status_code == 428
    etag = client.get(url)["ETag"]
    changed = client.patch(url, {"skills": "Sport"}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200 and changed.json()["skills"] == "Sport"
    assert api_for(personas.outsider).get(url).status_code == 404
    assert office() and topic()
