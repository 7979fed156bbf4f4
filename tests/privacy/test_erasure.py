"""Erasure requests (Art. 17 GDPR, decision 0027): the duties to keep are checked before
anything goes; the decision is recorded and audited; an erasure leaves no personal data in
the register, the records or the audit trail, and the chain stays whole."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from lotse.cases.models import CaseFile
from lotse.clearing.models import ArrivalInterview
from lotse.core.audit import audit_verify
from lotse.core.models import AuditEvent
from lotse.people.models import Person
from lotse.privacy import services
from lotse.privacy.models import ErasureRequest
from tests.cases.casework import Casework
from tests.clearing.interviews import make_interview, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(personas) -> Casework:
    return Casework(personas)


def _request(personas, person: Person) -> ErasureRequest:
    return services.erasure_request_record(
        actor=personas.dpo, person=person, received_on=timezone.localdate(), note="per Brief"
    )


def test_a_person_without_duties_to_keep_is_erased_everywhere(personas):
    person = make_person(personas, "Ioana", "Vasilescu")
    interview = make_interview(personas, person, notes="spricht gut Deutsch")
    request = _request(personas, person)
    assert request.findings == []

    decided = services.erasure_request_decide(actor=personas.dpo, request=request, erase=True, reason="")

    assert not Person.objects.filter(pk=person.pk).exists()
    assert not ArrivalInterview.objects.filter(pk=interview.pk).exists()
    assert decided.status == "erased" and decided.person_id is None and decided.decided_by == personas.dpo
    assert any("clearing.arrivalinterview: 1 gelöscht" in line for line in decided.findings)
    about = AuditEvent.objects.filter(
        object_type__in=["people.person", "clearing.arrivalinterview"],
        object_id__in=[str(person.pk), str(interview.pk)],
    )
    assert "Vasilescu" not in json.dumps(list(about.values_list("changes", flat=True)))
    assert "spricht gut" not in json.dumps(list(about.values_list("changes", flat=True)))
    assert AuditEvent.objects.filter(
        action="update", object_type="privacy.erasurerequest", object_id=str(request.pk)
    ).exists()
    assert audit_verify().intact


def test_open_records_and_holds_refuse_the_erasure_with_reasons_and_nothing_is_lost(work, personas):
    case = work.open_case(work.person(family="Dumitru"))
    person = case.person
    services.legal_hold_set(actor=personas.dpo, person=person, reason="Verfahren beim Verwaltungsgericht")
    request = _request(personas, person)
    findings = " | ".join(request.findings)
    assert "Löschsperre: 1 – für die Person gesetzt" in findings
    assert "Fallakte, ab ihrem Abschluss: 1 – noch nicht abgeschlossen" in findings
    assert "Verweisung" in findings  # the referral that led to the case is still open
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError, match="weil Aufbewahrungspflichten entgegenstehen: Löschsperre"):
        services.erasure_request_decide(actor=personas.dpo, request=request, erase=True, reason="")

    assert Person.objects.filter(pk=person.pk).exists() and CaseFile.objects.filter(pk=case.pk).exists()
    assert ErasureRequest.objects.get(pk=request.pk).status == "open"
    assert AuditEvent.objects.count() == events


def test_a_minimum_period_not_yet_run_out_is_a_duty_to_keep(work, personas):
    case = work.open_case(work.person())
    from lotse.cases.services import case_files

    case_files.case_file_set_status(actor=personas.outreach, case=case, status="closed", reason="erledigt")
    request = _request(personas, case.person)
    until = timezone.localdate() + relativedelta(months=36)
    assert any(
        "Mindestfrist von 36 Monaten (Regel der Organisation (Akten der Fallarbeit drei Jahre nach "
        f"Abschluss)) läuft bis {until:%d.%m.%Y}" in line
        for line in request.findings
    )


def test_a_refusal_needs_a_reason_and_is_recorded(work, personas):
    person = make_person(personas)
    request = _request(personas, person)
    with pytest.raises(ValidationError, match="Bitte die Ablehnung begründen"):
        services.erasure_request_decide(actor=personas.dpo, request=request, erase=False, reason=" ")
    decided = services.erasure_request_decide(
        actor=personas.dpo, request=request, erase=False, reason="Meldepflicht nach BMG"
    )
    assert decided.status == "refused" and decided.decision_reason == "Meldepflicht nach BMG"
    assert Person.objects.filter(pk=person.pk).exists()
    with pytest.raises(ValidationError, match="schon entschieden"):
        services.erasure_request_decide(actor=personas.dpo, request=decided, erase=True, reason="")


def test_only_data_protection_records_requests_and_other_authorities_find_nobody(personas, county_dpo):
    person = make_person(personas)
    for user in (personas.outreach, personas.clearing, personas.admin, personas.partner, personas.outsider):
        with pytest.raises(PermissionDenied):
            _request_by(user, person)
    with pytest.raises(Http404):  # the county's officer: a person only the city holds
        _request_by(county_dpo, person)
    assert not ErasureRequest.objects.exists()


def _request_by(user, person):
    return services.erasure_request_record(actor=user, person=person, received_on=timezone.localdate())


def test_a_future_receipt_date_is_refused(personas):
    with pytest.raises(ValidationError, match="Eingangsdatum liegt in der Zukunft"):
        services.erasure_request_record(
            actor=personas.dpo,
            person=make_person(personas),
            received_on=timezone.localdate() + dt.timedelta(1),
        )
