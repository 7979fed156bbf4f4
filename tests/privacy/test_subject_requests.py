"""Requests of persons about their data (rectification, restriction): recorded with the one-month
deadline, listed for the DPO, decided with reasons; a granted restriction restricts at once. And
every read of a person blocked in the register is a signal in the DPO's log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lotse.core.audit import audit_view
from lotse.core.models import AuditEvent
from lotse.people import protection
from lotse.people.models import RegisterBlock
from lotse.privacy import selectors, services
from lotse.privacy.models import SubjectRequest
from tests.cases.casework import Casework

pytestmark = pytest.mark.django_db

LIST = "/datenschutz/antraege/"


@pytest.fixture
def work(personas):
    return Casework(personas)


def record(personas, person, kind="rectification", received_on=None):
    return services.subject_request_create(
        actor=personas.dpo,
        person=person,
        kind=kind,
        received_on=received_on or timezone.localdate(),
        description="Das Geburtsdatum ist falsch: richtig ist der 14.03.1988.",
    )


def test_a_request_gets_the_one_month_deadline_and_its_text_stays_out_of_the_log(personas, work):
    person = work.person("Ana", "Popescu")
    request = record(personas, person, received_on=dt.date(2026, 1, 31))
    assert request.due_on == dt.date(2026, 2, 28)  # one month: the last day of a shorter month
    assert request.organisation == personas.city and request.recorded_by == personas.dpo
    event = AuditEvent.objects.get(object_type="privacy.subjectrequest", object_id=str(request.pk))
    assert event.changes["description"] == [None, "***"]


def test_bad_input_is_named_and_nothing_is_saved(personas, work):
    person = work.person("Ana", "Popescu")
    with pytest.raises(ValidationError) as future:
        record(personas, person, received_on=timezone.localdate() + dt.timedelta(days=2))
    assert "received_on" in future.value.message_dict
    request = record(personas, person)
    with pytest.raises(ValidationError) as no_reason:
        services.subject_request_decide(actor=personas.dpo, request=request, status="refused", decision=" ")
    assert "decision" in no_reason.value.message_dict
    request.refresh_from_db()
    assert request.status == "open" and request.decided_on is None


def test_only_the_organisations_dpo_records_and_decides(personas, work, county_dpo):
    person = work.person("Ana", "Popescu")
    for user in (personas.clearing, personas.outreach, personas.admin, county_dpo):
        with pytest.raises(PermissionDenied):
            services.subject_request_create(
                actor=user,
                person=person,
                kind="rectification",
                received_on=timezone.localdate(),
                description="x",
            )
    request = record(personas, person)
    with pytest.raises(PermissionDenied):
        services.subject_request_decide(actor=county_dpo, request=request, status="granted", decision="")


def test_a_granted_restriction_request_restricts_the_processing(personas, work):
    person = work.person("Ana", "Popescu")
    request = record(personas, person, kind="restriction")
    with pytest.raises(ValidationError) as no_ground:
        services.subject_request_decide(actor=personas.dpo, request=request, status="granted", decision="")
    assert "ground" in no_ground.value.message_dict
    services.subject_request_decide(
        actor=personas.dpo,
        request=request,
        status="granted",
        decision="Richtigkeit wird geprüft",
        ground="accuracy",
    )
    request.refresh_from_db()
    person.refresh_from_db()
    assert request.status == "granted" and request.decided_by == personas.dpo
    assert person.processing_restricted and request.restriction.person == person
    with pytest.raises(ValidationError, match="schon entschieden"):
        services.subject_request_decide(
            actor=personas.dpo, request=request, status="refused", decision="nein"
        )


def test_the_list_shows_open_requests_by_deadline_and_marks_overdue_ones(personas, work, client_for):
    late = record(
        personas, work.person("Ana", "Popescu"), received_on=timezone.localdate() - dt.timedelta(days=40)
    )
    record(personas, work.person("Ion", "Ionescu"))
    html = client_for(personas.dpo).get(LIST).content.decode()
    assert html.index("Popescu") < html.index("Ionescu")
    assert html.count("überfällig") == 1
    assert AuditEvent.objects.filter(action="list", object_type="privacy.subjectrequest").exists()
    page = client_for(personas.dpo).get(f"{LIST}{late.pk}/")
    assert page.status_code == 200 and "Das Geburtsdatum ist falsch" in page.content.decode()
    for user in (personas.outsider, personas.clearing, personas.outreach):
        assert client_for(user).get(f"{LIST}{late.pk}/").status_code == 404
        assert client_for(user).get(LIST).status_code == 404


def test_recording_and_deciding_through_the_pages(personas, work, client_for):
    person = work.person("Ana", "Popescu")
    client = client_for(personas.dpo)
    form_url = f"{LIST}neu/{person.pk}/"
    assert client.get(form_url).status_code == 200
    bad = client.post(
        form_url, {"kind": "restriction", "received_on": "", "description": "bitte einschränken"}
    )
    assert bad.status_code == 400 and not SubjectRequest.objects.exists()
    response = client.post(
        form_url,
        {
            "kind": "restriction",
            "received_on": timezone.localdate().isoformat(),
            "description": "bitte einschränken",
        },
    )
    request = SubjectRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{LIST}{request.pk}/"
    decided = client.post(
        f"{LIST}{request.pk}/", {"status": "granted", "ground": "objection", "decision": ""}
    )
    assert decided.status_code == 302
    person.refresh_from_db()
    assert person.processing_restricted
    assert "Einschränkung der Verarbeitung" in client.get(f"{LIST}{request.pk}/").content.decode()


def test_every_read_of_a_blocked_person_is_a_signal(personas, work, client_for):
    blocked, free = work.person("Maria", "Schutz"), work.person("Ana", "Frei")
    referral = work.refer(blocked)  # the city's Clearingstelle refers her: the city holds it
    protection.register_block_set(
        actor=personas.clearing, person=blocked, kind=RegisterBlock.INFORMATION_BLOCK
    )
    before = selectors.signals(personas.dpo).blocked_reads
    audit_view(actor=personas.outreach, obj=referral)  # a record about her
    audit_view(actor=personas.housing, obj=blocked)  # her register record
    audit_view(actor=personas.outreach, obj=free)  # somebody else: no signal
    assert selectors.signals(personas.dpo).blocked_reads == before + 2
    html = client_for(personas.dpo).get("/datenschutz/protokoll/").content.decode()
    assert "Zugriffe auf Personen mit Sperre im Melderegister" in html
    filtered = selectors.log_events(personas.dpo, selectors.Filters(blocked=True))
    assert {event.actor_name for event in filtered} >= {"outreach-worker", "housing-inspector"}
    assert not filtered.filter(object_type="people.person", object_id=str(free.pk)).exists()


def test_the_export_of_a_restricted_blocked_person_says_so_and_only_the_dpo_gets_it(
    personas, work, client_for
):
    import csv
    import io

    person = work.person("Maria", "Schutz")
    protection.register_block_set(actor=personas.clearing, person=person, kind=RegisterBlock.CONDITIONAL)
    protection.restriction_set(
        actor=personas.dpo, person=person, ground="legal_claims", requested_on=timezone.localdate()
    )
    url = f"/datenschutz/protokoll/person/{person.pk}/"
    for user in (personas.clearing, personas.outreach, personas.admin, personas.outsider):
        assert client_for(user).get(url, {"format": "csv"}).status_code == 404
    response = client_for(personas.dpo).get(url, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Hinweis",
        "Die Verarbeitung der Daten dieser Person ist eingeschränkt (Art. 18 DSGVO).",
    ]
    assert rows[1] == ["Hinweis", "bedingter Sperrvermerk (§ 52 BMG)"]
    assert rows[2][0] == "Nr."
    assert (
        AuditEvent.objects.filter(action="export", object_id=str(person.pk), actor=personas.dpo).count() == 1
    )
