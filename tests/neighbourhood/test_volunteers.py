"""Volunteers: certificate of conduct with its expiry, the reminder on the start page, no work
with children on an expired certificate, hours."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lotse.core import access
from lotse.core.agenda import agenda_for
from lotse.neighbourhood import services
from lotse.neighbourhood.models import Volunteer, VolunteerAssignment

from .office import activity, office

pytestmark = pytest.mark.django_db


def _volunteer(user, issued: dt.date | None, name: str = "Gisela Brandt") -> Volunteer:
    return services.volunteer_create(
        actor=user, unit=office(), name=name, languages=["de", "ru"], certificate_issued_on=issued
    )


def test_expired_certificate_cannot_be_assigned_to_children(personas):
    today = timezone.localdate()
    volunteer = _volunteer(personas.neighbourhood, today.replace(year=today.year - 6))
    play_bus = activity(personas.neighbourhood, title="Spielbus", for_children=True)
    with pytest.raises(ValidationError) as error:
        services.volunteer_assign(actor=personas.neighbourhood, volunteer=volunteer, activity=play_bus)
    assert "Führungszeugnis von „Gisela Brandt“ ist seit" in str(error.value)
    assert not VolunteerAssignment.objects.exists()
    seniors = activity(personas.neighbourhood, title="Seniorensport")
    services.volunteer_assign(actor=personas.neighbourhood, volunteer=volunteer, activity=seniors)
    assert VolunteerAssignment.objects.count() == 1


def test_no_certificate_cannot_be_assigned_to_children_but_a_valid_one_can(personas):
    play_bus = activity(personas.neighbourhood, title="Spielbus", for_children=True)
    without = _volunteer(personas.neighbourhood, None, "Ohne Zeugnis")
    with pytest.raises(ValidationError) as error:
        services.volunteer_assign(actor=personas.neighbourhood, volunteer=without, activity=play_bus)
    assert "kein erweitertes Führungszeugnis" in str(error.value)
    valid = _volunteer(personas.neighbourhood, timezone.localdate() - dt.timedelta(days=30), "Mit Zeugnis")
    services.volunteer_assign(actor=personas.neighbourhood, volunteer=valid, activity=play_bus)


def test_certificate_about_to_expire_is_on_the_start_page(personas):
    today = timezone.localdate()
    issued = today - dt.timedelta(days=5 * 365 - 20)  # five years minus twenty days
    volunteer = _volunteer(personas.neighbourhood, issued)
    _volunteer(personas.neighbourhood, today - dt.timedelta(days=100), "Frisch")
    items = [item for section in agenda_for(personas.neighbourhood, today) for item in section.items]
    reminders = [item for item in items if item.what.startswith("Führungszeugnis läuft ab")]
    assert [item.about[0].text for item in reminders] == [volunteer.name]
    # The head of office sees nobody's certificate.
    head_items = [item for section in agenda_for(personas.head, today) for item in section.items]
    assert not [item for item in head_items if item.what.startswith("Führungszeugnis")]


def test_hours_are_logged_and_bad_hours_refused(personas):
    volunteer = _volunteer(personas.neighbourhood, None)
    services.hours_log(
        actor=personas.neighbourhood,
        volunteer=volunteer,
        worked_on=timezone.localdate(),
        hours=Decimal("2.5"),
    )
    with pytest.raises(ValidationError):
        services.hours_log(
            actor=personas.neighbourhood,
            volunteer=volunteer,
            worked_on=timezone.localdate(),
            hours=Decimal("30"),
        )
    with pytest.raises(ValidationError):
        services.hours_log(
            actor=personas.neighbourhood,
            volunteer=volunteer,
            worked_on=timezone.localdate() + dt.timedelta(days=2),
            hours=Decimal("1"),
        )
    assert volunteer.hours.count() == 1


def test_volunteers_are_seen_by_the_office_only(personas):
    volunteer = _volunteer(personas.neighbourhood, None)
    for name in ("clearing", "partner", "head", "outsider", "dpo"):
        assert not access.visible(getattr(personas, name), Volunteer).filter(pk=volunteer.pk).exists()


def test_certificate_of_volunteering_as_pdf(personas, client_for):
    volunteer = _volunteer(personas.neighbourhood, None)
    services.hours_log(
        actor=personas.neighbourhood,
        volunteer=volunteer,
        worked_on=timezone.localdate(),
        hours=Decimal("3.5"),
    )
    response = client_for(personas.neighbourhood).get(
        f"/stadtteilbuero/ehrenamt/{volunteer.pk}/bescheinigung.pdf"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (
        client_for(personas.head)
        .get(f"/stadtteilbuero/ehrenamt/{volunteer.pk}/bescheinigung.pdf")
        .status_code
        == 404
    )


def test_certificate_text_names_hours_and_activities(personas):
    from lotse.neighbourhood.documents import certificate_pdf

    volunteer = _volunteer(personas.neighbourhood, None)
    pdf = certificate_pdf(
        volunteer=volunteer,
        hours=[],
        total=Decimal(0),
        activities=["Seniorensport"],
        issued_on=dt.date(2026, 12, 7),
        signer="Sabine Krüger",
    )
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
