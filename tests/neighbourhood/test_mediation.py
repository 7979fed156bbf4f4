"""Conflict mediation in the district: parties described without names, meetings with
agreements, an outcome; only the office's staff; free text stays out of the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lotse.core.audit import REDACTED
from lotse.core.models import AuditEvent
from lotse.neighbourhood import services
from lotse.neighbourhood.models import Mediation, MediationMeeting

from .office import office

pytestmark = pytest.mark.django_db


def _mediation(user) -> Mediation:
    return services.mediation_open(
        actor=user,
        unit=office(),
        title="Lärm und Müll im Hof",
        place="Naumburger Straße 12",
        parties="Hausgemeinschaft; Familie im 2. OG",
        opened_on=timezone.localdate() - dt.timedelta(days=20),
        description="Beschwerden über Lärm am Abend",
    )


def test_meeting_agreement_and_outcome(personas):
    mediation = _mediation(personas.neighbourhood)
    services.meeting_add(
        actor=personas.neighbourhood,
        mediation=mediation,
        held_on=timezone.localdate() - dt.timedelta(days=10),
        attendees="Vertreterin der Hausgemeinschaft, Eltern aus dem 2. OG, Hausverwaltung",
        agreement="Ruhe ab 22 Uhr; Mülltonnen werden beschriftet",
    )
    with pytest.raises(ValidationError) as error:
        services.mediation_close(
            actor=personas.neighbourhood,
            mediation=mediation,
            status="agreed",
            outcome="",
            closed_on=timezone.localdate(),
        )
    assert "Ergebnis" in str(error.value)
    services.mediation_close(
        actor=personas.neighbourhood,
        mediation=mediation,
        status="agreed",
        outcome="Vereinbarung hält seit vier Wochen",
        closed_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError):
        services.meeting_add(
            actor=personas.neighbourhood, mediation=mediation, held_on=timezone.localdate(), attendees="x"
        )
    assert MediationMeeting.objects.count() == 1
    event = AuditEvent.objects.get(object_type="neighbourhood.mediation", action="create")
    assert event.changes["parties"] == [None, REDACTED]


def test_pages_and_access(personas, client_for, django_assert_num_queries):
    mediation = _mediation(personas.neighbourhood)
    _mediation(personas.neighbourhood)
    client = client_for(personas.neighbourhood)
    client.get("/stadtteilbuero/moderation/")
    # session, user, memberships, organisations; count; the page with meeting counts; session
    # renewal (3).
    with django_assert_num_queries(9):
        assert "Lärm und Müll im Hof" in client.get("/stadtteilbuero/moderation/").content.decode()
    client.get(f"/stadtteilbuero/moderation/{mediation.pk}/")
    # session, user, memberships, organisations; the mediation; its meetings; session renewal
    # (3); the audited read (savepoint, head, insert, release).
    from tests.queries import AUDIT_LOCK

    with django_assert_num_queries(13 + AUDIT_LOCK):
        assert client.get(f"/stadtteilbuero/moderation/{mediation.pk}/").status_code == 200
    early = client.post(
        f"/stadtteilbuero/moderation/{mediation.pk}/termin/",
        {
            "held_on": (mediation.opened_on - dt.timedelta(days=1)).isoformat(),
            "attendees": "Hausgemeinschaft",
        },
    )
    assert early.status_code == 400 and "vor dem Beginn der Moderation" in early.content.decode()
    for name in ("clearing", "partner", "head", "outsider"):
        assert (
            client_for(getattr(personas, name)).get(f"/stadtteilbuero/moderation/{mediation.pk}/").status_code
            == 404
        )
