"""Every page that shows a personal record records the read: once per request, when the answer
shows it — not for a redirect after a write (which has its own event), not for a 404."""

from __future__ import annotations

import pytest

from lotse.core.audit import audit_view
from lotse.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def reads(obj) -> int:
    return AuditEvent.objects.filter(
        action="view", object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).count()


def test_starting_a_case_for_a_person_records_the_read_of_the_person(casework, personas, client_for):
    person = casework.person()
    casework.refer(person)
    client = client_for(personas.outreach)
    before = reads(person)
    response = client.get(f"/fallakten/neu/?person={person.pk}")
    assert response.status_code == 200 and person.family_name in response.content.decode()
    assert reads(person) == before + 1


def test_a_page_reading_one_record_twice_records_it_once(casework, personas, client_for):
    case = casework.open_case()
    client = client_for(personas.outreach)
    before = reads(case)
    client.get(f"/fallakten/{case.pk}/bearbeiten/")  # the edit page reads the case (and its tab data)
    assert reads(case) == before + 1


def test_a_write_that_redirects_records_the_write_not_a_read(casework, personas, client_for):
    case = casework.open_case()
    client = client_for(personas.outreach)
    before = reads(case)
    response = client.post(
        f"/fallakten/{case.pk}/bearbeiten/",
        {"title": "Neu", "worker_preference": "", "version": case.version},
    )
    assert response.status_code == 302
    assert reads(case) == before
    assert AuditEvent.objects.filter(
        object_type="cases.casefile", object_id=str(case.pk), action="update"
    ).exists()


def test_a_form_with_errors_shows_the_record_and_records_the_read(casework, personas, client_for):
    case = casework.open_case()
    before = reads(case)
    response = client_for(personas.outreach).post(
        f"/fallakten/{case.pk}/stand/", {"status": "closed", "reason": "", "version": case.version}
    )
    assert response.status_code == 400
    assert reads(case) == before + 1


def test_no_read_is_recorded_for_someone_who_gets_404(casework, personas, client_for):
    case = casework.open_case()
    before = reads(case)
    assert client_for(personas.partner).get(f"/fallakten/{case.pk}/").status_code == 404
    assert reads(case) == before


def test_outside_a_request_the_read_is_written_at_once(casework, personas):
    case = casework.open_case()
    before = reads(case)
    event = audit_view(actor=personas.outreach, obj=case)
    assert event is not None and reads(case) == before + 1
