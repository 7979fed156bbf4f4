"""Correcting a counselling entry (with the version check) and deleting a room booking after a
confirmation (POST only)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lotse.core.services import StaleVersion
from lotse.neighbourhood import services
from lotse.neighbourhood.models import CounsellingEntry, RoomBooking
from tests.queries import AUDIT_LOCK

from .office import at, office, room, topic

pytestmark = pytest.mark.django_db


def _entry(user) -> CounsellingEntry:
    return services.counselling_create(
        actor=user,
        unit=office(),
        held_on=timezone.localdate(),
        kind="walk_in",
        topics=[topic()],
        language="ro",
    )


def test_counselling_update_changes_topics_and_checks_the_version(personas):
    user = personas.neighbourhood
    entry = _entry(user)
    version = entry.version
    entry = services.counselling_update(
        actor=user,
        entry=entry,
        data={"outcome": CounsellingEntry.Outcome.FOLLOW_UP, "note": " zweiter Termin "},
        topics=[topic("gewaltschutz")],
        expected_version=version,
    )
    assert entry.outcome == CounsellingEntry.Outcome.FOLLOW_UP and entry.note == "zweiter Termin"
    assert [t.code for t in entry.topics.all()] == ["gewaltschutz"]
    with pytest.raises(StaleVersion):
        services.counselling_update(
            actor=user, entry=entry, data={}, topics=[topic()], expected_version=version
        )
    with pytest.raises(ValidationError) as error:
        services.counselling_update(actor=user, entry=entry, data={"outcome": "referred"}, topics=[topic()])
    assert "nur mit einer Verweisung" in error.value.message_dict["outcome"][0]
    with pytest.raises(ValidationError):
        services.counselling_update(actor=user, entry=entry, data={}, topics=[])


def test_counselling_edit_page(personas, client_for, django_assert_num_queries):
    user = personas.neighbourhood
    entry = _entry(user)
    client = client_for(user)
    url = f"/stadtteilbuero/beratung/{entry.pk}/bearbeiten/"
    assert "bearbeiten" in client.get(f"/stadtteilbuero/beratung/{entry.pk}/").content.decode()
    client.get(url)
    # session, user, memberships, organisations; the entry with its topics (2); may edit it;
    # the entry's unit; the unit's topics; session renewal (3); the audited read (savepoint,
    # head, insert, release).
    with django_assert_num_queries(16 + AUDIT_LOCK):
        assert client.get(url).status_code == 200
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    data = {
        "held_on": future,
        "kind": "appointment",
        "topics": [topic().pk],
        "language": "ro",
        "outcome": "answered",
        "version": entry.version,
    }
    response = client.post(url, data)
    assert response.status_code == 400 and "nicht in der Zukunft" in response.content.decode()
    response = client.post(url, {**data, "held_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.kind == "appointment"
    assert client_for(personas.clearing).get(url).status_code == 404


def test_booking_is_deleted_after_confirmation_only_by_post(personas, client_for):
    user = personas.neighbourhood
    booking = services.booking_create(
        actor=user,
        room=room(user),
        title="Energieberatung",
        starts_at=at(dt.date(2026, 3, 3), 14),
        ends_at=at(dt.date(2026, 3, 3), 16),
    )
    client = client_for(user)
    listing = client.get("/stadtteilbuero/raeume/?von=2026-03-01").content.decode()
    url = f"/stadtteilbuero/buchungen/{booking.pk}/loeschen/"
    assert url in listing
    page = client.get(url)
    assert page.status_code == 200 and "Ja, Buchung löschen" in page.content.decode()
    assert RoomBooking.objects.filter(pk=booking.pk).exists()
    assert client_for(personas.clearing).post(url).status_code == 404
    assert RoomBooking.objects.filter(pk=booking.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not RoomBooking.objects.filter(pk=booking.pk).exists()
